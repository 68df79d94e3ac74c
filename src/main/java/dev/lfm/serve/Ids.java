package dev.lfm.serve;

import dev.lfm.data.IdMap;
import dev.lfm.data.Ratings;
import dev.lfm.model.FactorModel;

/** Id translation between a rating set's dense indices and a model's, through the file ids. */
final class Ids {
    private Ids() {
    }

    /** The file id of dense index {@code index} in {@code ids} (identity when there is no map). */
    static long external(IdMap ids, int index) {
        return ids == null ? index : ids.externalId(index);
    }

    /** The model's row for file id {@code id}, or -1 (ids the map gained after training are not rows). */
    static int row(IdMap ids, int rows, long id) {
        int j = ids == null ? (id >= 0 && id < rows ? (int) id : -1) : ids.indexOf(id);
        return j < rows ? j : -1;
    }

    static int userRow(FactorModel m, long id) {
        return row(m.userIds, m.numUsers, id);
    }

    static int itemRow(FactorModel m, long id) {
        return row(m.itemIds, m.numItems, id);
    }

    /** For each user index of {@code r}, the model's user row (or -1). */
    static int[] userRows(FactorModel m, Ratings r) {
        return rows(r.userIds(), r.numUsers(), m.userIds, m.numUsers);
    }

    /** For each item index of {@code r}, the model's item row (or -1). */
    static int[] itemRows(FactorModel m, Ratings r) {
        return rows(r.itemIds(), r.numItems(), m.itemIds, m.numItems);
    }

    private static int[] rows(IdMap from, int n, IdMap to, int rows) {
        int[] map = new int[n];
        for (int j = 0; j < n; j++) {
            map[j] = from == to && to != null ? (j < rows ? j : -1) : row(to, rows, external(from, j));
        }
        return map;
    }
}
