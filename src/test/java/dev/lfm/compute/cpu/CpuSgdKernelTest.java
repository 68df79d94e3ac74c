package dev.lfm.compute.cpu;

import dev.lfm.data.SyntheticRatings;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lfm.compute.RatingSet;
import dev.lfm.compute.cpu.CpuBackend;
import dev.lfm.data.Ratings;
import dev.lfm.model.FactorModel;
import dev.lfm.objective.Objective;
import dev.lfm.objective.Regularization;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The register-resident SGD kernels (k a multiple of the vector width) against the generic loop:
 * a model of rank k+1 whose extra column is zero keeps it zero under the update rule; trained by
 * the loop (forced) through the same plan it must end where the rank-k model ends. The loop
 * interleaves a pair of runs, so the comparison holds for the kernels that do
 * ({@link CpuSgdKernels#interleaves}; the others are compared with a scalar reference in
 * {@link CpuSgdOddRankTest}).
 */
class CpuSgdKernelTest {

    @ParameterizedTest
    @ValueSource(ints = {16, 32, 48, 64, 128})
    void specializedKernelMatchesGenericLoop(int k) {
        org.junit.jupiter.api.Assumptions.assumeTrue(CpuSgdKernels.interleaves(CpuSgdKernels.choose(k)),
                () -> CpuSgdKernels.describe(CpuSgdKernels.choose(k)) + " takes a pair's runs one after the other");
        Ratings r = SyntheticRatings.uniform(300, 120, 6000, 4, 0.1, 7);
        FactorModel fast = model(r, k);
        FactorModel wide = new FactorModel(r.numUsers(), r.numItems(), k + 1, true);
        wide.mu = fast.mu;
        wide.minRating = 1;
        wide.maxRating = 5;
        copyPadded(fast.p, wide.p, r.numUsers(), k);
        copyPadded(fast.q, wide.q, r.numItems(), k);
        Objective obj = new Objective(0.05, 0.01, Regularization.WEIGHTED, true);

        FactorModel a = train(r, fast, obj, 2);
        FactorModel b;
        String was = System.getProperty("lfm.cpu.kernel");
        System.setProperty("lfm.cpu.kernel", "loop");
        try {
            b = train(r, wide, obj, 2);
        } finally {
            if (was == null) {
                System.clearProperty("lfm.cpu.kernel");
            } else {
                System.setProperty("lfm.cpu.kernel", was);
            }
        }
        for (int u = 0; u < r.numUsers(); u++) {
            assertThat(b.p[u * (k + 1) + k]).isZero();
            for (int c = 0; c < k; c++) {
                assertThat(a.p[u * k + c]).isCloseTo(b.p[u * (k + 1) + c], org.assertj.core.data.Offset.offset(2e-4f));
            }
            assertThat(a.userBias[u]).isCloseTo(b.userBias[u], org.assertj.core.data.Offset.offset(2e-4f));
        }
        for (int i = 0; i < r.numItems(); i++) {
            for (int c = 0; c < k; c++) {
                assertThat(a.q[i * k + c]).isCloseTo(b.q[i * (k + 1) + c], org.assertj.core.data.Offset.offset(2e-4f));
            }
        }
        // and the epochs really moved the parameters
        assertThat(a.p[0]).isNotEqualTo(fast.p[0]);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void sameThreadsSameResult(int threads) {
        Ratings r = SyntheticRatings.uniform(500, 200, 20000, 4, 0.1, 3);
        Objective obj = new Objective(0.05, 0.01, Regularization.UNIFORM, true);
        FactorModel a = train(r, model(r, 32), obj, threads);
        FactorModel b = train(r, model(r, 32), obj, threads);
        assertThat(a.p).containsExactly(b.p);
        assertThat(a.q).containsExactly(b.q);
        assertThat(a.itemBias).containsExactly(b.itemBias);
    }

    private static FactorModel model(Ratings r, int k) {
        FactorModel m = new FactorModel(r.numUsers(), r.numItems(), k, true);
        m.mu = (float) r.mean();
        m.minRating = 1;
        m.maxRating = 5;
        m.initialize(11, 0.1, r.userCounts(), r.itemCounts());
        return m;
    }

    private static void copyPadded(float[] from, float[] to, int rows, int k) {
        for (int row = 0; row < rows; row++) {
            System.arraycopy(from, row * k, to, row * (k + 1), k);
        }
    }

    private static FactorModel train(Ratings r, FactorModel init, Objective obj, int threads) {
        try (CpuBackend b = new CpuBackend(threads)) {
            RatingSet set = b.upload(r);
            b.setModel(init);
            for (int e = 1; e <= 3; e++) {
                b.sgdEpoch(set, obj, 0.01f, 0.01f, 100 + e);
            }
            FactorModel out = new FactorModel(init.numUsers, init.numItems, init.rank, true);
            b.getModel(out);
            return out;
        }
    }
}
