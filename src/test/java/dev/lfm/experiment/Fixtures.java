package dev.lfm.experiment;

import dev.lfm.train.Algorithm;

import dev.lfm.compute.Optimizer;

import dev.lfm.compute.cpu.CpuBackend;
import dev.lfm.report.Progress;
import dev.lfm.train.Planted;
import dev.lfm.train.TrainingConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Small planted problems and helpers shared by the experiment tests. */
final class Fixtures {
    /** 300 users × 200 items, rank 3, about 15k ratings: every test run trains in milliseconds. */
    static final Planted SMALL = new Planted(300, 200, 3, 0.3, 0.3, 11);

    private Fixtures() {
    }

    /** {@code temp}, or the directory named by -Dlfm.chartDir (to look at the charts the tests draw). */
    static Path outDir(Path temp) {
        String d = System.getProperty("lfm.chartDir");
        return d == null ? temp : Path.of(d);
    }

    static TrainingConfig config() {
        TrainingConfig c = TrainingConfig.defaults(Algorithm.GD, Optimizer.SGD);
        c.rank = 4;
        c.epochs = 8;
        c.lr = 0.01;
        c.lambda = 0.02;
        c.lambdaBias = 0.01;
        c.seed = 5;
        return c;
    }

    static ExperimentContext context(TrainingConfig c) {
        return new ExperimentContext(SMALL.train, SMALL.validation, SMALL.test, () -> new CpuBackend(2), c,
                Progress.silent());
    }

    /** A CSV file as header + rows of cells (the writer only quotes cells with commas, which these have not). */
    static List<String[]> readCsv(Path p) throws IOException {
        List<String[]> rows = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(p)) {
            String line;
            while ((line = r.readLine()) != null) {
                rows.add(line.split(",", -1));
            }
        }
        return rows;
    }

    static int column(List<String[]> csv, String name) {
        String[] h = csv.get(0);
        for (int c = 0; c < h.length; c++) {
            if (h[c].equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no column " + name);
    }
}
