package dev.lfm.cli;

import dev.lfm.data.Split;
import dev.lfm.spark.DsgdOptions;
import dev.lfm.spark.DsgdTrainer;
import dev.lfm.spark.MllibAls;
import dev.lfm.spark.Sessions;
import dev.lfm.spark.SparkData;
import dev.lfm.spark.SparkRatings;
import dev.lfm.spark.SparkTrainingResult;
import dev.lfm.train.EpochRecord;
import dev.lfm.train.TrainingConfig;
import dev.lfm.train.TrainingResult;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.SparkSession;

/**
 * The Spark rows of {@code lfm compare --engines ...}: DSGD and MLlib ALS on exactly the split the
 * local engine trained on ({@link SparkRatings#of}), with the same settings. Loaded only after
 * {@code SparkAvailability.require()} (see {@link CompareCommand}).
 */
final class SparkCompare {
    private SparkCompare() {
    }

    static List<CompareCommand.EngineRow> run(Dataset ds, TrainingConfig config, List<String> engines, SparkOptions so,
                                              PrintWriter out, PrintWriter err) {
        List<CompareCommand.EngineRow> rows = new ArrayList<>();
        try (Sessions.Handle h = Sessions.open(so.master, so.partitions == null ? 0 : so.partitions,
                note -> err.println("note: " + note))) {
            SparkSession spark = h.spark();
            if (so.checkpointDir != null) {
                spark.sparkContext().setCheckpointDir(so.checkpointDir);
            }
            int p = so.partitions != null ? so.partitions : spark.sparkContext().defaultParallelism();
            SparkData data = SparkData.prepare(spark, SparkRatings.of(spark, new Split(ds.train(), ds.validation(),
                    ds.test()), p), p, ds.description());
            try {
                out.printf(Locale.ROOT, "spark: %s (Spark %s), %d x %d blocks, the same split prepared in %.1f s%n",
                        h.master(), spark.version(), p, p, data.summary().seconds());
                for (String engine : engines) {
                    String where = h.master() + " p=" + p;
                    out.printf("%s: training on %s ...%n", engine, where);
                    out.flush();
                    long t0 = System.nanoTime();
                    if (engine.equals("spark")) {
                        DsgdOptions o = new DsgdOptions(p, so.checkpointEvery == null
                                ? DsgdOptions.DEFAULT_CHECKPOINT_EVERY : so.checkpointEvery, "cpu");
                        SparkTrainingResult sr = new DsgdTrainer(config, o, null).train(data);
                        TrainingResult r = sr.result();
                        EpochRecord best = r.best();
                        rows.add(new CompareCommand.EngineRow("spark", "DSGD " + where, r.epochsRun(), r.trainSeconds(),
                                (System.nanoTime() - t0) / 1e9, best.testRmse(), best.objective(), r.history()));
                    } else {
                        MllibAls.Result r = MllibAls.train(data, config);
                        rows.add(new CompareCommand.EngineRow("spark-als", "MLlib ALS " + where, r.iterations(),
                                r.seconds(), (System.nanoTime() - t0) / 1e9, r.testRmse(), r.objective(), List.of()));
                    }
                }
            } finally {
                data.release();
            }
        }
        return rows;
    }
}
