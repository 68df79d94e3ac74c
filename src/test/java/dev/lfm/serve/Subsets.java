package dev.lfm.serve;

import dev.lfm.data.IdMap;
import dev.lfm.data.Ratings;
import java.util.function.IntPredicate;

/** Test helpers: rating subsets in fresh id spaces (file ids kept), and small hand-made sets. */
final class Subsets {
    private Subsets() {
    }

    /** The ratings at positions where {@code keep} holds, re-indexed into fresh id maps. */
    static Ratings select(Ratings all, IntPredicate keep) {
        IdMap users = new IdMap();
        IdMap items = new IdMap();
        int[] u = new int[all.size()];
        int[] i = new int[all.size()];
        float[] v = new float[all.size()];
        int n = 0;
        for (int j = 0; j < all.size(); j++) {
            if (keep.test(j)) {
                u[n] = users.add(all.userIds().externalId(all.user(j)));
                i[n] = items.add(all.itemIds().externalId(all.item(j)));
                v[n] = all.value(j);
                n++;
            }
        }
        return new Ratings(users.size(), items.size(), u, i, v, n, users, items, all.minRating(), all.maxRating());
    }

    /** Ratings from (user id, item id, value) triples. */
    static Ratings of(float min, float max, double... triples) {
        IdMap users = new IdMap();
        IdMap items = new IdMap();
        int n = triples.length / 3;
        int[] u = new int[n];
        int[] i = new int[n];
        float[] v = new float[n];
        for (int j = 0; j < n; j++) {
            u[j] = users.add((long) triples[3 * j]);
            i[j] = items.add((long) triples[3 * j + 1]);
            v[j] = (float) triples[3 * j + 2];
        }
        return new Ratings(users.size(), items.size(), u, i, v, n, users, items, min, max);
    }
}
