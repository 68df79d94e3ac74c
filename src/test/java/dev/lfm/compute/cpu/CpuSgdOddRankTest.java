package dev.lfm.compute.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lfm.compute.Optimizer;
import dev.lfm.compute.RatingSet;
import dev.lfm.data.Ratings;
import dev.lfm.data.SyntheticRatings;
import dev.lfm.model.FactorModel;
import dev.lfm.objective.Objective;
import dev.lfm.objective.Regularization;
import org.assertj.core.data.Offset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every rank's vector path (register kernels with overlapping last vectors, or the vectorized
 * loop) against a plain scalar reference of the same update in the same order (one thread, so
 * one block: runs two at a time, A₁ B₁ A₂ B₂ …), for SGD and AdaGrad, with biases.
 */
class CpuSgdOddRankTest {
    private static final int EPOCHS = 3;

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 4, 5, 8, 10, 12, 16, 20, 33, 50, 64, 65, 100, 128, 200})
    void sgdMatchesScalarReference(int k) {
        check(k, Optimizer.SGD);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 4, 5, 8, 10, 12, 16, 20, 33, 50, 64, 65, 100, 128, 200})
    void adagradMatchesScalarReference(int k) {
        check(k, Optimizer.ADAGRAD);
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 8, 10, 16, 20, 50, 64})
    void epochSseIsThePreUpdateResiduals(int k) {
        Ratings r = SyntheticRatings.uniform(200, 80, 3000, 4, 0.1, 5);
        Objective obj = new Objective(0.05, 0.01, Regularization.WEIGHTED, true);
        FactorModel init = model(r, k);
        double[] refSse = new double[1];
        reference(r, init.copy(), obj, Optimizer.SGD, refSse);
        try (CpuBackend b = new CpuBackend(1)) {
            RatingSet set = b.upload(r);
            b.setModel(init);
            assertThat(b.lastSgdEpochSse()).isNaN();
            for (int e = 1; e <= EPOCHS; e++) {
                b.sgdEpoch(set, obj, Optimizer.SGD, 0.02f, 0.01f, 100 + e);
            }
            assertThat(b.lastSgdEpochSse()).isCloseTo(refSse[0], Offset.offset(1e-4 * refSse[0]));
        }
    }

    private static void check(int k, Optimizer rule) {
        Ratings r = SyntheticRatings.uniform(300, 120, 6000, 4, 0.1, 7);
        Objective obj = new Objective(0.05, 0.01, Regularization.WEIGHTED, true);
        FactorModel init = model(r, k);
        FactorModel ref = reference(r, init.copy(), obj, rule, new double[1]);
        FactorModel out = new FactorModel(init.numUsers, init.numItems, k, true);
        try (CpuBackend b = new CpuBackend(1)) {
            RatingSet set = b.upload(r);
            b.setModel(init);
            for (int e = 1; e <= EPOCHS; e++) {
                b.sgdEpoch(set, obj, rule, 0.02f, 0.01f, 100 + e);
            }
            b.getModel(out);
        }
        Offset<Float> tol = Offset.offset(1e-4f);
        for (int j = 0; j < out.p.length; j++) {
            assertThat(out.p[j]).as("p[%d], kernel %s", j, CpuSgdKernels.describe(CpuSgdKernels.choose(k)))
                    .isCloseTo(ref.p[j], tol);
        }
        for (int j = 0; j < out.q.length; j++) {
            assertThat(out.q[j]).as("q[%d]", j).isCloseTo(ref.q[j], tol);
        }
        for (int u = 0; u < out.numUsers; u++) {
            assertThat(out.userBias[u]).isCloseTo(ref.userBias[u], tol);
        }
        for (int i = 0; i < out.numItems; i++) {
            assertThat(out.itemBias[i]).isCloseTo(ref.itemBias[i], tol);
        }
        assertThat(out.p[0]).isNotEqualTo(init.p[0]);
    }

    /**
     * Scalar reference: CpuSgd's one-thread order (a pair of runs interleaved, or one after the
     * other for the kernels that do so), every update in plain float arithmetic.
     */
    private static FactorModel reference(Ratings r, FactorModel m, Objective obj, Optimizer rule, double[] lastSse) {
        CpuRatingSet t = new CpuRatingSet(r);
        SgdPlan plan = new SgdPlan(r, 1, 101);
        float[] wu = t.userWeights(obj.regularization());
        float[] wi = t.itemWeights(obj.regularization());
        float[] gu = new float[2 * m.numUsers];
        float[] gi = new float[2 * m.numItems];
        java.util.Arrays.fill(gu, 1f);
        java.util.Arrays.fill(gi, 1f);
        boolean ada = rule == Optimizer.ADAGRAD;
        int kernel = ada ? CpuSgdKernels.chooseAdagrad(m.rank) : CpuSgdKernels.choose(m.rank);
        boolean interleaved = CpuSgdKernels.interleaves(kernel);
        for (int e = 1; e <= EPOCHS; e++) {
            double sse = 0;
            for (int run = 0; run < plan.numRuns(); run += 2) {
                int uA = plan.runUser[run];
                int a = plan.runStart[run];
                int endA = plan.runStart[run + 1];
                boolean pair = run + 1 < plan.numRuns();
                int uB = pair ? plan.runUser[run + 1] : -1;
                int b = pair ? plan.runStart[run + 1] : 0;
                int endB = pair ? plan.runStart[run + 2] : 0;
                while (!interleaved && a < endA) {
                    sse += one(m, uA, plan.items[a], plan.values[a], obj, wu, wi, ada, gu, gi);
                    a++;
                }
                while (a < endA || b < endB) {
                    if (a < endA) {
                        sse += one(m, uA, plan.items[a], plan.values[a], obj, wu, wi, ada, gu, gi);
                        a++;
                    }
                    if (b < endB) {
                        sse += one(m, uB, plan.items[b], plan.values[b], obj, wu, wi, ada, gu, gi);
                        b++;
                    }
                }
            }
            lastSse[0] = sse;
        }
        return m;
    }

    private static double one(FactorModel m, int u, int i, float r, Objective obj, float[] wu, float[] wi,
                              boolean ada, float[] gu, float[] gi) {
        final float lr = 0.02f;
        final float lrBias = 0.01f;
        final float lambda = (float) obj.lambda();
        final float lambdaB = (float) obj.lambdaBias();
        int k = m.rank;
        float dot = 0f;
        for (int c = 0; c < k; c++) {
            dot += m.p[u * k + c] * m.q[i * k + c];
        }
        float bu = m.userBias[u];
        float bi = m.itemBias[i];
        float e = r - m.mu - bu - bi - dot;
        float etaP = ada ? lr / (float) Math.sqrt(gu[2 * u]) : lr;
        float etaQ = ada ? lr / (float) Math.sqrt(gi[2 * i]) : lr;
        float sp = 0f;
        float sq = 0f;
        for (int c = 0; c < k; c++) {
            float pc = m.p[u * k + c];
            float qc = m.q[i * k + c];
            float dp = e * qc - lambda * wu[u] * pc;
            float dq = e * pc - lambda * wi[i] * qc;
            m.p[u * k + c] = pc + etaP * dp;
            m.q[i * k + c] = qc + etaQ * dq;
            sp += dp * dp;
            sq += dq * dq;
        }
        float du = e - lambdaB * wu[u] * bu;
        float di = e - lambdaB * wi[i] * bi;
        if (ada) {
            gu[2 * u] += sp / k;
            gi[2 * i] += sq / k;
            m.userBias[u] = bu + lrBias / (float) Math.sqrt(gu[2 * u + 1]) * du;
            m.itemBias[i] = bi + lrBias / (float) Math.sqrt(gi[2 * i + 1]) * di;
            gu[2 * u + 1] += du * du;
            gi[2 * i + 1] += di * di;
        } else {
            m.userBias[u] = bu + lrBias * du;
            m.itemBias[i] = bi + lrBias * di;
        }
        return (double) e * e;
    }

    private static FactorModel model(Ratings r, int k) {
        FactorModel m = new FactorModel(r.numUsers(), r.numItems(), k, true);
        m.mu = (float) r.mean();
        m.minRating = 1;
        m.maxRating = 5;
        m.initialize(11, 0.1, r.userCounts(), r.itemCounts());
        return m;
    }
}
