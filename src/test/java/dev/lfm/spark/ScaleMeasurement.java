package dev.lfm.spark;

import dev.lfm.train.Algorithm;

import dev.lfm.compute.Optimizer;

import dev.lfm.data.Ratings;
import dev.lfm.data.SyntheticRatings;
import dev.lfm.train.TrainingConfig;
import java.io.BufferedWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.spark.sql.SparkSession;

/**
 * Not a test: the measurement behind the README's Spark numbers. Args: users items ratings dir
 * [epochs]. Writes the synthetic problem as LIBMF text, converts it to Parquet with Spark, then
 * in the same session trains DSGD (k = 8) and MLlib ALS on the Parquet and prints seconds per
 * epoch and the driver heap after a full GC at each epoch's end, less what Spark's block manager
 * caches (in local mode the executor shares the driver JVM).
 */
public final class ScaleMeasurement {
    public static void main(String[] args) throws Exception {
        int users = Integer.parseInt(args[0]);
        int items = Integer.parseInt(args[1]);
        long n = Long.parseLong(args[2]);
        Path dir = Path.of(args[3]);
        int epochs = args.length > 4 ? Integer.parseInt(args[4]) : 5;
        Path parquet = dir.resolve("ratings.parquet");
        SparkSession spark = Sessions.local("local[2]", 2);
        if (!Files.isDirectory(parquet)) {
            Ratings r = SyntheticRatings.generate(SyntheticRatings.Config.ofCount(users, items, 8, n)).ratings();
            Path text = dir.resolve("ratings.txt");
            try (BufferedWriter w = Files.newBufferedWriter(text)) {
                for (int j = 0; j < r.size(); j++) {
                    w.write(r.user(j) + " " + r.item(j) + " " + r.value(j) + "\n");
                }
            }
            r = null;
            SparkRatings.read(spark, text.toString(), "libmf", null).select("user", "item", "rating")
                    .write().parquet(parquet.toString());
            Files.delete(text);
        }
        System.gc();
        System.out.printf(Locale.ROOT, "heap after GC before reading: %d MB%n", heap() >> 20);
        TrainingConfig c = TrainingConfig.defaults(Algorithm.GD, Optimizer.SGD); // DSGD runs plain per-rating SGD
        c.rank = 8;
        c.epochs = epochs;
        c.lr = 0.01;
        c.lambda = 0.05;
        SparkData data = SparkData.prepare(spark, SparkRatings.split(SparkRatings.read(spark, parquet.toString(),
                "parquet", null), 0.2, 0, 42), 2, parquet.toString());
        System.gc();
        System.out.printf(Locale.ROOT, "prepared %d train ratings in %.1f s; heap after GC %d MB, cached %d MB%n",
                data.summary().train(), data.summary().seconds(), heap() >> 20, cached(spark) >> 20);
        SparkTrainingResult r = new DsgdTrainer(c, DsgdOptions.of(2), e -> {
            System.gc();
            System.out.printf(Locale.ROOT, "epoch %d: %.2f s, test RMSE %.4f, heap after GC %d MB, cached by Spark %d MB, "
                    + "difference %d MB%n", e.epoch(), e.seconds(), e.testRmse(), heap() >> 20, cached(spark) >> 20,
                    (heap() - cached(spark)) >> 20);
        }).train(data);
        System.out.printf(Locale.ROOT, "DSGD: %.2f s/epoch%n", r.result().trainSeconds() / r.result().epochsRun());
        TrainingConfig a = c.copy();
        a.epochs = epochs;
        MllibAls.Result als = MllibAls.train(data, a);
        System.out.printf(Locale.ROOT, "MLlib ALS k=8 %d iterations: %.1f s (%.2f s/iteration), test RMSE %.4f%n",
                a.epochs, als.seconds(), als.seconds() / a.epochs, als.testRmse());
        spark.stop();
    }

    private static long heap() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long cached(SparkSession spark) {
        long s = 0;
        for (var info : spark.sparkContext().getRDDStorageInfo()) {
            s += info.memSize();
        }
        return s;
    }
}
