package dev.lfm.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lfm.compute.Backend;
import dev.lfm.compute.Optimizer;
import dev.lfm.compute.cpu.CpuBackend;
import dev.lfm.data.IdMap;
import dev.lfm.data.Ratings;
import org.junit.jupiter.api.Test;

class DivergenceTest {
    @Test
    void thresholdIsAThousandTimesTheInitialObjectiveWithAFloorOfOneHundredthPerRating() {
        assertThat(Divergence.threshold(100, 10)).isEqualTo(1e5);
        assertThat(Divergence.threshold(0.01, 10)).isEqualTo(100, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(Divergence.threshold(Double.NaN, 10)).isEqualTo(100, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(Divergence.threshold(Double.POSITIVE_INFINITY, 1000)).isEqualTo(1e4, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(Divergence.diverged(1e5, 1, 1e5)).isFalse();
        assertThat(Divergence.diverged(1.0000001e5, 1, 1e5)).isTrue();
        assertThat(Divergence.diverged(Double.NaN, 1, 1e5)).isTrue();
        assertThat(Divergence.diverged(Double.POSITIVE_INFINITY, 1, 1e5)).isTrue();
        assertThat(Divergence.diverged(1, Double.NaN, 1e5)).isTrue();
        assertThat(Divergence.diverged(1, Double.NEGATIVE_INFINITY, 1e5)).isTrue();
        assertThat(Divergence.diverged(1, 1, 1e5)).isFalse();
    }

    @Test
    void adviceFitsTheAlgorithmAndLeavesOutOptionsInUse() {
        TrainingConfig sgd = Classic.config();
        sgd.lr = 40;
        assertThat(Divergence.advice(sgd))
                .isEqualTo("lower the learning rate (--lr 40.0 now; try --lr 4.00), use --lr-decay or try --optimizer adam");
        sgd.lrDecay = 0.9;
        assertThat(Divergence.advice(sgd)).isEqualTo("lower the learning rate (--lr 40.0 now; try --lr 4.00) or try --optimizer adam");
        TrainingConfig adam = TrainingConfig.defaults(Algorithm.GD, Optimizer.ADAM);
        adam.lr = 1e6;
        adam.lrDecay = 1.0;
        assertThat(Divergence.advice(adam)).isEqualTo("lower the learning rate (--lr 1.00e+06 now; try --lr 1.00e+05) or use --lr-decay");
        adam.lrDecay = 0.5;
        assertThat(Divergence.advice(adam)).isEqualTo("lower the learning rate (--lr 1.00e+06 now; try --lr 1.00e+05)");
        TrainingConfig als = TrainingConfig.defaults(Algorithm.ALS, Optimizer.SGD);
        als.lambda = 0;
        assertThat(Divergence.advice(als)).isEqualTo("ALS with --reg 0 solves least squares that are singular for rows "
                + "with fewer ratings than k: set --reg (e.g. --reg 0.05)").doesNotContain("--lr");
        als.lambda = 0.002;
        assertThat(Divergence.advice(als)).isEqualTo("raise --reg (0.00200 now; try 0.0200)");
    }

    private static Ratings ratings(float... v) {
        int n = v.length;
        int[] u = new int[n];
        int[] i = new int[n];
        for (int j = 0; j < n; j++) {
            u[j] = j % 7;
            i[j] = j;
        }
        return new Ratings(7, n, u, i, v, n, IdMap.identity(7), IdMap.identity(n), -1e4f, 1e4f);
    }

    @Test
    void anAbsurdLargestRatingIsNamedAndOrdinaryDataIsNot() {
        float[] v = new float[200];
        for (int j = 0; j < v.length; j++) {
            v[j] = 1 + j % 5;
        }
        assertThat(Divergence.outlier(ratings(v))).isNull();
        v[17] = -9000;
        assertThat(Divergence.outlier(ratings(v)))
                .isEqualTo("the largest |rating| is 9.00e+03, far outside the rest (99% are within 5.00): check the data");
        v[17] = 50; // exactly 10x the 99th percentile: not "far outside"
        assertThat(Divergence.outlier(ratings(v))).isNull();
        v[17] = 50.01f;
        assertThat(Divergence.outlier(ratings(v))).startsWith("the largest |rating| is 50.0");
        assertThat(Divergence.outlier(ratings(new float[] {0, 0, 0}))).isNull();
        assertThat(Divergence.outlier(ratings())).isNull();
    }

    @Test
    void theMessageSaysWhenHowMuchAndWhatToDo() {
        TrainingConfig c = Classic.config();
        c.lr = 2;
        assertThat(Divergence.message(c, 3, 5e9, 1e4, ratings(1, 2, 3)))
                .isEqualTo("training diverged at epoch 3 (objective 5.00e+09, 5.00e+05 times the initial 1.00e+04): "
                        + "lower the learning rate (--lr 2.00 now; try --lr 0.200), use --lr-decay or try --optimizer adam");
        assertThat(Divergence.message(c, 1, Double.NaN, 1e4, ratings(1, 2, 3)))
                .startsWith("training diverged at epoch 1 (objective NaN): lower");
    }

    @Test
    void adamAtAHugeStepStopsBeforeOverflowingWithTheRatioInTheMessage() {
        Planted data = new Planted(200, 150, 4, 0.3, 0.1, 5);
        TrainingConfig c = TrainingConfig.defaults(Algorithm.GD, Optimizer.ADAM);
        c.rank = 4;
        c.batchSize = 64;
        c.lr = 1e6;
        c.epochs = 10;
        try (Backend b = new CpuBackend(1)) {
            assertThatThrownBy(() -> new Trainer(c, null).train(b, data.train, data.validation, data.test))
                    .isInstanceOf(DivergenceException.class)
                    .hasMessageMatching("training diverged at epoch \\d+ \\(objective [0-9.]+e\\+\\d+, [0-9.]+e\\+\\d+ "
                            + "times the initial [0-9.e+]+\\): lower the learning rate .*");
        }
    }
}
