package dev.lfm.spark;

import dev.lfm.train.Algorithm;

import dev.lfm.compute.Optimizer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lfm.TestData;
import dev.lfm.compute.cpu.CpuBackend;
import dev.lfm.data.Ratings;
import dev.lfm.data.RatingsReader;
import dev.lfm.data.Split;
import dev.lfm.data.Splits;
import dev.lfm.train.Trainer;
import dev.lfm.train.TrainingConfig;
import dev.lfm.train.TrainingResult;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ml-latest-small, the seeded 80/20 split (seed 42, 10% of the training part for validation):
 * DSGD in local[2] with the single-machine settings reaches its test RMSE + 0.01 (MLlib ALS is
 * exercised in {@link DsgdTest}; its ml-latest-small figures are in the README).
 */
class MovieLensSparkTest {
    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = Sessions.local("local[2]", 2);
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    static TrainingConfig settings() {
        TrainingConfig c = TrainingConfig.defaults(Algorithm.GD, Optimizer.SGD); // DSGD runs plain per-rating SGD
        c.rank = 32;
        c.epochs = 40;
        c.lr = 0.01;
        c.lambda = 0.05;
        c.lambdaBias = 0.02;
        c.lrDecay = 0.98;
        c.patience = 5;
        c.seed = 42;
        return c;
    }

    @Test
    void dsgdMatchesTheSingleMachineOnTheSameSplit() {
        Path file = TestData.movieLensSmall();
        Ratings all = RatingsReader.read(file);
        Split split = Splits.random(all, 0.2, 0.1, 42);
        TrainingConfig c = settings();
        long t0 = System.nanoTime();
        TrainingResult local;
        try (CpuBackend b = new CpuBackend(2)) {
            local = new Trainer(c, null).train(b, split.train(), split.validation(), split.test());
        }
        double localSeconds = (System.nanoTime() - t0) / 1e9;

        // Spark reads the file itself (never collected); it must see the same ratings
        assertThat(SparkRatings.read(spark, file.toString(), "auto", null).count()).isEqualTo(all.size());

        SparkData data = SparkData.prepare(spark, SparkRatings.of(spark, split, 2), 2, file.toString());
        try {
            assertThat(data.summary().train()).isEqualTo(split.train().size());
            long t1 = System.nanoTime();
            SparkTrainingResult dsgd = new DsgdTrainer(c, DsgdOptions.of(2), null).train(data);
            double sparkSeconds = (System.nanoTime() - t1) / 1e9;
            double l = local.best().testRmse();
            double s = dsgd.result().best().testRmse();
            System.out.printf("ml-latest-small k=32: local %.4f (%d epochs, %.1f s), spark DSGD p=2 %.4f (%d epochs, %.1f s)%n",
                    l, local.epochsRun(), localSeconds, s, dsgd.result().epochsRun(), sparkSeconds);
            assertThat(s).isLessThanOrEqualTo(l + 0.01);
        } finally {
            data.release();
        }
    }
}
