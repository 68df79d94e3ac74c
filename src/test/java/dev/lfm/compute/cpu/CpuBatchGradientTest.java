package dev.lfm.compute.cpu;

import dev.lfm.data.SyntheticRatings;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lfm.objective.Gradient;
import dev.lfm.compute.RatingSet;
import dev.lfm.compute.cpu.CpuBackend;
import dev.lfm.data.Ratings;
import dev.lfm.model.FactorModel;
import dev.lfm.objective.Objective;
import dev.lfm.objective.Reference;
import dev.lfm.objective.Regularization;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The CPU backend's batch gradients (owner-computes in units of 64 rows, regularization added
 * once per touched row) against the double-precision reference, on batches large enough to run
 * on several threads.
 */
class CpuBatchGradientTest {

    @ParameterizedTest
    @CsvSource({"1, WEIGHTED", "2, WEIGHTED", "3, UNIFORM"})
    void fullAndMiniBatchGradientsMatchTheReference(int threads, Regularization reg) {
        Ratings r = SyntheticRatings.uniform(700, 300, 30000, 4, 0.1, 9);
        FactorModel m = new FactorModel(r.numUsers(), r.numItems(), 16, true);
        m.mu = (float) r.mean();
        m.minRating = 1;
        m.maxRating = 5;
        m.initialize(3, 0.3, r.userCounts(), r.itemCounts());
        for (int u = 0; u < m.numUsers; u++) {
            m.userBias[u] = 0.01f * (u % 7);
        }
        Objective obj = new Objective(0.1, 0.05, reg, true);
        try (CpuBackend b = new CpuBackend(threads)) {
            RatingSet set = b.upload(r);
            b.setModel(m);
            check(b.gradient(set, 0, r.size(), obj),
                    Reference.batchGradient(m, r, null, 0, r.size(), r.userCounts(), r.itemCounts(), obj));

            b.shuffle(set, 5);
            int[] order = shuffled(r.size(), 5);
            check(b.gradient(set, 1000, 21000, obj),
                    Reference.batchGradient(m, r, order, 1000, 21000, r.userCounts(), r.itemCounts(), obj));
        }
    }

    /** The order CpuBackend.shuffle(seed) documents: Fisher-Yates from the identity, SplittableRandom(seed). */
    private static int[] shuffled(int n, long seed) {
        int[] o = new int[n];
        for (int j = 0; j < n; j++) {
            o[j] = j;
        }
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed);
        for (int j = n - 1; j > 0; j--) {
            int s = rnd.nextInt(j + 1);
            int x = o[j];
            o[j] = o[s];
            o[s] = x;
        }
        return o;
    }

    private static void check(Gradient g, double[][] ref) {
        assertClose(g.p(), ref[0]);
        assertClose(g.q(), ref[1]);
        assertClose(g.userBias(), ref[2]);
        assertClose(g.itemBias(), ref[3]);
    }

    private static void assertClose(float[] actual, double[] expected) {
        assertThat(actual).hasSize(expected.length);
        double scale = 0;
        for (double x : expected) {
            scale = Math.max(scale, Math.abs(x));
        }
        assertThat(scale).isPositive();
        for (int j = 0; j < expected.length; j++) {
            assertThat(Math.abs(actual[j] - expected[j])).as("entry %d", j).isLessThanOrEqualTo(1e-4 * scale + 1e-5);
        }
    }
}
