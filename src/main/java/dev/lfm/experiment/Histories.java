package dev.lfm.experiment;

import dev.lfm.report.Table;
import dev.lfm.train.EpochRecord;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** Column extraction from training histories (for charts and CSV). */
public final class Histories {
    private Histories() {
    }

    public static double[] of(List<EpochRecord> h, ToDoubleFunction<EpochRecord> f) {
        return h.stream().mapToDouble(f).toArray();
    }

    public static double[] epochs(List<EpochRecord> h) {
        return of(h, EpochRecord::epoch);
    }

    /** The CSV columns of a per-epoch history table, after any leading label columns. */
    static final String[] COLUMNS = {"epoch", "elapsed_seconds", "objective", "train_rmse", "validation_rmse",
        "test_rmse", "lr"};

    static Table table(String... labels) {
        String[] cols = new String[labels.length + COLUMNS.length];
        System.arraycopy(labels, 0, cols, 0, labels.length);
        System.arraycopy(COLUMNS, 0, cols, labels.length, COLUMNS.length);
        return new Table(cols);
    }

    static void addRows(Table t, List<EpochRecord> h, Object... labels) {
        for (EpochRecord r : h) {
            Object[] row = new Object[labels.length + COLUMNS.length];
            System.arraycopy(labels, 0, row, 0, labels.length);
            int o = labels.length;
            row[o] = r.epoch();
            row[o + 1] = r.elapsed();
            row[o + 2] = r.objective();
            row[o + 3] = r.trainRmse();
            row[o + 4] = r.validationRmse();
            row[o + 5] = r.testRmse();
            row[o + 6] = r.lr();
            t.add(row);
        }
    }
}
