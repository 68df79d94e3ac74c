package dev.lfm.train;

import dev.lfm.data.Gaussian;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lfm.compute.Backend;
import dev.lfm.compute.RatingSet;
import dev.lfm.compute.Side;
import dev.lfm.compute.cpu.CpuBackend;
import dev.lfm.data.Ratings;
import dev.lfm.model.FactorModel;
import dev.lfm.objective.Objective;
import dev.lfm.objective.Reference;
import dev.lfm.objective.Regularization;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * ALS as an exact block minimizer of L, on the CPU backend. The two backend-level properties
 * ({@link #checkHalfSweepZeroesTheGradient}, {@link #checkObjectiveNeverIncreases}) are public so
 * the backend contract suite runs them on every backend.
 */
public class AlsTest {
    private static final Planted PLANTED = new Planted(300, 200, 4, 0.3, 0.1, 11);

    /** Both regularization forms, with and without biases. */
    public static final Objective[] OBJECTIVES = {
        new Objective(0.5, 0.2, Regularization.UNIFORM, true),
        new Objective(0.02, 0.01, Regularization.WEIGHTED, true),
        new Objective(0.5, 0, Regularization.UNIFORM, false),
        new Objective(0.02, 0, Regularization.WEIGHTED, false),
    };

    private static FactorModel randomModel(Ratings train, int k, boolean biases, long seed) {
        FactorModel m = new FactorModel(train.numUsers(), train.numItems(), k, biases);
        SplittableRandom rnd = new SplittableRandom(seed);
        for (float[] a : new float[][] {m.p, m.q}) {
            for (int j = 0; j < a.length; j++) {
                a[j] = (float) (0.3 * Gaussian.next(rnd));
            }
        }
        if (biases) {
            for (float[] a : new float[][] {m.userBias, m.itemBias}) {
                for (int j = 0; j < a.length; j++) {
                    a[j] = (float) (0.2 * Gaussian.next(rnd));
                }
            }
        }
        m.mu = (float) train.mean();
        m.minRating = train.minRating();
        m.maxRating = train.maxRating();
        return m;
    }

    private static double maxAbs(double[] a) {
        double s = 0;
        for (double x : a) {
            s = Math.max(s, Math.abs(x));
        }
        return s;
    }

    /**
     * After one half-sweep of each side, ∂L/∂(that side's factors and biases) is ~0:
     * max|g_after| ≤ 1e-4 · max|g_before| (double-precision {@link Reference#gradient}), for every
     * objective of {@link #OBJECTIVES} at ranks 5 and 20.
     */
    public static void checkHalfSweepZeroesTheGradient(Backend b) {
        Ratings train = PLANTED.train;
        RatingSet set = b.upload(train);
        for (int k : new int[] {5, 20}) {
            for (Objective obj : OBJECTIVES) {
                for (Side side : Side.values()) {
                    FactorModel m = randomModel(train, k, obj.biases(), 31 + k);
                    double[][] before = Reference.gradient(m, train, obj);
                    b.setModel(m);
                    b.alsSweep(set, obj, side);
                    FactorModel after = m.copy();
                    b.getModel(after);
                    double[][] g = Reference.gradient(after, train, obj);
                    int f = side == Side.USERS ? 0 : 1;
                    int bias = side == Side.USERS ? 2 : 3;
                    String what = b.name() + " k=" + k + " " + side + " " + obj;
                    assertThat(maxAbs(before[f])).as(what + " gradient before").isGreaterThan(1);
                    assertThat(maxAbs(g[f])).as(what + " factor gradient after")
                            .isLessThanOrEqualTo(1e-4 * maxAbs(before[f]));
                    if (obj.biases()) {
                        assertThat(maxAbs(before[bias])).as(what + " bias gradient before").isGreaterThan(1);
                        assertThat(maxAbs(g[bias])).as(what + " bias gradient after")
                                .isLessThanOrEqualTo(1e-4 * maxAbs(before[bias]));
                    }
                }
            }
        }
    }

    /** Eight epochs of half-sweeps at rank 8: L never increases from one half-sweep to the next. */
    public static void checkObjectiveNeverIncreases(Backend b) {
        Ratings train = PLANTED.train;
        RatingSet set = b.upload(train);
        for (Objective obj : OBJECTIVES) {
            FactorModel m = randomModel(train, 8, obj.biases(), 41);
            b.setModel(m);
            double previous = b.loss(set, obj).value();
            for (int half = 0; half < 16; half++) {
                b.alsSweep(set, obj, half % 2 == 0 ? Side.USERS : Side.ITEMS);
                double value = b.loss(set, obj).value();
                assertThat(value).as(b.name() + " " + obj + " half-sweep " + (half + 1))
                        .isLessThanOrEqualTo(previous * (1 + 1e-6));
                previous = value;
            }
        }
    }

    @Test
    void halfSweepZeroesTheGradient() {
        try (Backend b = new CpuBackend(2)) {
            checkHalfSweepZeroesTheGradient(b);
        }
    }

    @Test
    void objectiveNeverIncreases() {
        try (Backend b = new CpuBackend(2)) {
            checkObjectiveNeverIncreases(b);
        }
    }

    /** {@code r} with one more user (the last) who has no ratings. */
    private static Ratings withNewUser(Ratings r) {
        int n = r.size();
        int[] u = new int[n];
        int[] i = new int[n];
        float[] v = new float[n];
        for (int j = 0; j < n; j++) {
            u[j] = r.user(j);
            i[j] = r.item(j);
            v[j] = r.value(j);
        }
        return new Ratings(r.numUsers() + 1, r.numItems(), u, i, v, n, null, null, r.minRating(), r.maxRating());
    }

    @Test
    void usersWithoutRatingsKeepZeroFactorsAndArePredictedByBiases() {
        Ratings train = withNewUser(PLANTED.train);
        int cold = train.numUsers() - 1;
        assertThat(train.userCounts()[cold]).isZero();
        TrainingConfig c = TrainingConfig.defaults();
        c.algorithm = Algorithm.ALS;
        c.rank = 4;
        c.epochs = 3;
        c.lambda = 0.02;
        c.lambdaBias = 0.02;
        TrainingResult r;
        try (Backend b = new CpuBackend(2)) {
            r = new Trainer(c, null).train(b, train, null, null);
        }
        FactorModel m = r.model();
        float[] row = Arrays.copyOfRange(m.p, cold * m.rank, (cold + 1) * m.rank);
        assertThat(row).containsOnly(0f);
        assertThat(m.userBias[cold]).isZero();
        for (int i = 0; i < m.numItems; i += 17) {
            assertThat(m.predictRaw(cold, i)).isEqualTo(m.mu + m.itemBias[i]);
        }
        assertThat(m.itemBias).as("item biases are learned").isNotEqualTo(new float[m.numItems]);
    }

    /**
     * Patience with ALS: rank 8 on sparse rank-3 data (weighted λ = 0.1) improves validation RMSE
     * for about ten sweeps, then overfits; training stops {@code patience} epochs after the best
     * validation RMSE and returns that epoch's model.
     */
    @Test
    void earlyStoppingWorksWithAls() {
        Planted sparse = new Planted(200, 150, 3, 0.12, 0.3, 5);
        TrainingConfig c = TrainingConfig.defaults();
        c.algorithm = Algorithm.ALS;
        c.rank = 8;
        c.epochs = 40;
        c.lambda = 0.1;
        c.lambdaBias = 0.1;
        c.regularization = Regularization.WEIGHTED;
        c.patience = 2;
        TrainingResult r;
        try (Backend b = new CpuBackend(2)) {
            r = new Trainer(c, null).train(b, sparse.train, sparse.validation, sparse.test);
        }
        assertThat(r.stoppedEarly()).as("stopped early").isTrue();
        assertThat(r.bestEpoch()).as("validation improved first").isGreaterThan(3);
        assertThat(r.epochsRun()).isEqualTo(r.bestEpoch() + c.patience).isLessThan(c.epochs);
        double best = r.history().stream().mapToDouble(EpochRecord::validationRmse).min().orElseThrow();
        assertThat(r.best().validationRmse()).isEqualTo(best);
        try (Backend b = new CpuBackend(2)) {
            RatingSet val = b.upload(sparse.validation);
            b.setModel(r.model());
            assertThat(b.evaluate(val).rmse()).as("returned model is the best epoch's")
                    .isCloseTo(best, org.assertj.core.data.Offset.offset(1e-9));
        }
    }
}
