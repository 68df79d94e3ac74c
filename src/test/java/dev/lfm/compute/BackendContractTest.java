package dev.lfm.compute;

import dev.lfm.data.Gaussian;

import dev.lfm.objective.Gradient;

import dev.lfm.objective.LossTerms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.lfm.verify.BackendVerifier;
import dev.lfm.verify.ConvergencePlan;
import dev.lfm.verify.PlantedProblem;
import dev.lfm.compute.gpu.GpuBackend;
import dev.lfm.data.Permutation;
import dev.lfm.data.Ratings;
import dev.lfm.model.FactorModel;
import dev.lfm.objective.Objective;
import dev.lfm.objective.Reference;
import dev.lfm.objective.Regularization;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract every {@link Backend} keeps, run once per backend by a subclass that says how to
 * open it. Deterministic kernels are compared with the double-precision {@link Reference} on
 * fresh seeded random inputs, including awkward sizes (one rating, k = 1, k = 33, one user, no
 * biases, and a set large enough for grid-stride reductions).
 *
 * <p>Error metric: {@code max_j |a_j − ref_j| / max(1, max_j |ref_j|)}, i.e. the worst absolute
 * error relative to the scale of the whole array (a gradient's small components are sums of
 * large cancelling terms, so elementwise relative error is meaningless there), with the floor 1
 * for arrays of small values. Limit: {@value #TOLERANCE}. A NaN anywhere fails.
 *
 * <p>Poisoning: untouched rows of a mini-batch are set to NaN in the model, so a kernel that reads
 * or writes outside the batch produces NaN; backends with device scratch poison it through
 * {@link #poison} before each call.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class BackendContractTest {
    static final double TOLERANCE = 1e-5;

    private Backend backend;

    /** Opens the backend under test (may skip the class through Assumptions). */
    protected abstract Backend open();

    /** Fills the backend's scratch outputs with NaN where it can (default: nothing to poison). */
    protected void poison(Backend b) {
    }

    @BeforeAll
    void openBackend() {
        backend = open();
    }

    @AfterAll
    void closeBackend() {
        if (backend != null) {
            backend.close();
        }
    }

    protected Backend backend() {
        return backend;
    }

    // ------------------------------------------------------------------ fixtures

    /** A random problem: ratings uniform in [1, 5] at random (u, i), a random model. */
    record Case(String name, int users, int items, int ratings, int k, boolean biases) {
        @Override
        public String toString() {
            return name;
        }

        Ratings ratings(long seed) {
            SplittableRandom rnd = new SplittableRandom(seed);
            int[] u = new int[ratings];
            int[] i = new int[ratings];
            float[] v = new float[ratings];
            for (int n = 0; n < ratings; n++) {
                u[n] = rnd.nextInt(users);
                i[n] = rnd.nextInt(items);
                v[n] = 1 + 4 * (float) rnd.nextDouble();
            }
            return new Ratings(users, items, u, i, v, ratings, null, null, 1f, 5f);
        }

        FactorModel model(Ratings r, long seed) {
            SplittableRandom rnd = new SplittableRandom(seed ^ 0xABCDL);
            FactorModel m = new FactorModel(users, items, k, biases);
            for (float[] a : new float[][] {m.p, m.q}) {
                for (int j = 0; j < a.length; j++) {
                    a[j] = (float) (Gaussian.next(rnd) * 0.4);
                }
            }
            if (biases) {
                for (float[] a : new float[][] {m.userBias, m.itemBias}) {
                    for (int j = 0; j < a.length; j++) {
                        a[j] = (float) (Gaussian.next(rnd) * 0.3);
                    }
                }
            }
            m.mu = (float) r.mean();
            m.minRating = 1f;
            m.maxRating = 5f;
            return m;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("random 40x30 k=8", 40, 30, 400, 8, true),
                new Case("one rating", 3, 3, 1, 4, true),
                new Case("k=1", 20, 15, 100, 1, true),
                new Case("k=33", 30, 20, 200, 33, true),
                new Case("one user", 1, 50, 30, 5, true),
                new Case("no biases k=6", 25, 25, 150, 6, false),
                new Case("large 3000x2000 k=4", 3000, 2000, 300_000, 4, true));
    }

    static final Objective[] OBJECTIVES = {
        new Objective(0.05, 0.02, Regularization.UNIFORM, true),
        new Objective(0.03, 0.01, Regularization.WEIGHTED, true),
        new Objective(0.1, 0.0, Regularization.WEIGHTED, false),
    };

    /** worst |a − ref| / max(1, max|ref|); +∞ when anything is NaN or the lengths differ. */
    static double error(float[] a, double[] ref) {
        if (a.length != ref.length) {
            return Double.POSITIVE_INFINITY;
        }
        double scale = 1;
        for (double r : ref) {
            scale = Math.max(scale, Math.abs(r));
        }
        double worst = 0;
        for (int j = 0; j < a.length; j++) {
            double d = Math.abs(a[j] - ref[j]);
            if (!(d <= Double.MAX_VALUE)) {
                return Double.POSITIVE_INFINITY;
            }
            worst = Math.max(worst, d);
        }
        return worst / scale;
    }

    static double relative(double a, double ref) {
        double d = Math.abs(a - ref) / Math.max(1, Math.abs(ref));
        return Double.isNaN(d) ? Double.POSITIVE_INFINITY : d;
    }

    static void within(String what, double err) {
        if (!(err <= TOLERANCE)) {
            fail(what + ": error " + err + " > " + TOLERANCE);
        }
    }

    // ------------------------------------------------------------------ deterministic kernels

    /**
     * A closed rating set is released: a GPU backend frees it at once (its resident count falls back, and it
     * refuses the set afterwards); closing twice is harmless; training on a backend leaves none behind, and a
     * cached evaluation of a closed set is not reused for a new one.
     */
    @Test
    void closedRatingSetsAreReleasedAndTrainingLeavesNoneResident() {
        Case c = new Case("random 40x30 k=8", 40, 30, 400, 8, true);
        Ratings r = c.ratings(41);
        FactorModel m = c.model(r, 42);
        int before = backend instanceof GpuBackend g ? g.residentRatingSets() : 0;
        backend.setModel(m);
        RatingSet set = backend.upload(r);
        backend.loss(set, OBJECTIVES[0]);
        ErrorSums first = backend.evaluate(set);
        set.close();
        set.close();
        RatingSet again = backend.upload(r);
        ErrorSums second = backend.evaluate(again);
        assertThat(second.sse()).isEqualTo(first.sse());
        again.close();
        dev.lfm.train.TrainingConfig config = dev.lfm.train.TrainingConfig.defaults();
        config.rank = c.k();
        config.lambda = 0.05;
        config.epochs = 3;
        config.patience = 0;
        for (int round = 0; round < 2; round++) {
            new dev.lfm.train.Trainer(config, null).train(backend, r, c.ratings(43 + round), c.ratings(45 + round));
        }
        if (backend instanceof GpuBackend g) {
            assertThat(g.residentRatingSets()).as("rating sets left on the device").isEqualTo(before);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> backend.evaluate(set))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("closed");
        }
    }

    /**
     * evaluate(train) right after loss(train) (what the trainer asks each epoch; a GPU answers it
     * from the loss's pass) equals the reference, and after a step it follows the new model.
     */
    @Test
    void evaluateAfterLossIsTheSameSumAndFollowsTheModel() {
        Case c = new Case("random 40x30 k=8", 40, 30, 400, 8, true);
        Ratings r = c.ratings(31);
        FactorModel m = c.model(r, 32);
        RatingSet set = backend.upload(r);
        backend.setModel(m);
        Objective obj = OBJECTIVES[0];
        for (int round = 0; round < 2; round++) {
            backend.loss(set, obj);
            ErrorSums got = backend.evaluate(set);
            FactorModel now = new FactorModel(c.users(), c.items(), c.k(), c.biases());
            backend.getModel(now);
            now.mu = m.mu;
            now.minRating = m.minRating;
            now.maxRating = m.maxRating;
            double sse = 0;
            for (int n = 0; n < r.size(); n++) {
                double pr = Math.max(1, Math.min(5, Reference.predict(now, r.user(n), r.item(n))));
                sse += (r.value(n) - pr) * (r.value(n) - pr);
            }
            within(c + " evaluate after loss, round " + round, relative(got.sse(), sse));
            backend.sgdEpoch(set, obj, 0.05f, 0.05f, 7 + round);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void residualsMatchReference(Case c) {
        Ratings r = c.ratings(11);
        FactorModel m = c.model(r, 12);
        RatingSet set = backend.upload(r);
        backend.setModel(m);
        poison(backend);
        float[] e = backend.residuals(set);
        within(c + " residuals", error(e, Reference.residuals(m, r)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void lossAndEvaluateMatchReference(Case c) {
        Ratings r = c.ratings(21);
        FactorModel m = c.model(r, 22);
        RatingSet set = backend.upload(r);
        backend.setModel(m);
        for (Objective obj : OBJECTIVES) {
            poison(backend);
            LossTerms got = backend.loss(set, obj);
            LossTerms ref = Reference.loss(m, r, obj);
            within(c + " sse " + obj, relative(got.sse(), ref.sse()));
            within(c + " factor penalty " + obj, relative(got.factorPenalty(), ref.factorPenalty()));
            within(c + " bias penalty " + obj, relative(got.biasPenalty(), ref.biasPenalty()));
            assertThat(got.count()).isEqualTo(r.size());
        }
        poison(backend);
        ErrorSums got = backend.evaluate(set);
        double sse = 0;
        double sae = 0;
        for (int n = 0; n < r.size(); n++) {
            double pr = Math.max(m.minRating, Math.min(m.maxRating, Reference.predict(m, r.user(n), r.item(n))));
            double e = r.value(n) - pr;
            sse += e * e;
            sae += Math.abs(e);
        }
        within(c + " evaluate sse", relative(got.sse(), sse));
        within(c + " evaluate sae", relative(got.sae(), sae));
        assertThat(got.count()).isEqualTo(r.size());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void fullBatchGradientMatchesReference(Case c) {
        Ratings r = c.ratings(31);
        FactorModel m = c.model(r, 32);
        RatingSet set = backend.upload(r);
        // rows without ratings are never read by the gradient: poison them
        poisonRows(m, r.userCounts(), r.itemCounts(), null, 0, 0, r);
        backend.setModel(m);
        for (Objective obj : OBJECTIVES) {
            poison(backend);
            Gradient g = backend.gradient(set, 0, r.size(), obj);
            double[][] ref = Reference.batchGradient(m, r, null, 0, r.size(), r.userCounts(), r.itemCounts(), obj);
            checkGradient(c + " full batch " + obj, g, ref, m.biases);
            Gradient again = backend.gradient(set, 0, r.size(), obj);
            assertThat(again.p()).as("repeatable (accumulators restored)").containsExactly(g.p());
            assertThat(again.itemBias()).containsExactly(g.itemBias());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void miniBatchGradientOverShuffledOrderMatchesReference(Case c) {
        Ratings r = c.ratings(41);
        FactorModel m = c.model(r, 42);
        RatingSet set = backend.upload(r);
        long seed = 43;
        backend.shuffle(set, seed);
        int[] order = Permutation.seeded(r.size(), seed);
        int from = r.size() / 3;
        int to = Math.min(r.size(), from + Math.max(1, r.size() / 4));
        poisonRows(m, r.userCounts(), r.itemCounts(), order, from, to, r);
        backend.setModel(m);
        for (Objective obj : OBJECTIVES) {
            poison(backend);
            Gradient g = backend.gradient(set, from, to, obj);
            double[][] ref = Reference.batchGradient(m, r, order, from, to, r.userCounts(), r.itemCounts(), obj);
            checkGradient(c + " batch [" + from + "," + to + ") " + obj, g, ref, m.biases);
        }
    }

    /**
     * Sets to NaN every row not touched by positions [from, to) of order (all rows without ratings
     * when order is null), so reads of them poison results.
     */
    static void poisonRows(FactorModel m, int[] userCounts, int[] itemCounts, int[] order, int from, int to,
                           Ratings r) {
        boolean[] tu = new boolean[m.numUsers];
        boolean[] ti = new boolean[m.numItems];
        if (order == null) {
            for (int u = 0; u < m.numUsers; u++) {
                tu[u] = userCounts[u] > 0;
            }
            for (int i = 0; i < m.numItems; i++) {
                ti[i] = itemCounts[i] > 0;
            }
        } else {
            for (int j = from; j < to; j++) {
                tu[r.user(order[j])] = true;
                ti[r.item(order[j])] = true;
            }
        }
        for (int u = 0; u < m.numUsers; u++) {
            if (!tu[u]) {
                Arrays.fill(m.p, u * m.rank, (u + 1) * m.rank, Float.NaN);
                m.userBias[u] = Float.NaN;
            }
        }
        for (int i = 0; i < m.numItems; i++) {
            if (!ti[i]) {
                Arrays.fill(m.q, i * m.rank, (i + 1) * m.rank, Float.NaN);
                m.itemBias[i] = Float.NaN;
            }
        }
    }

    private static void checkGradient(String what, Gradient g, double[][] ref, boolean modelBiases) {
        within(what + " dP", error(g.p(), ref[0]));
        within(what + " dQ", error(g.q(), ref[1]));
        if (modelBiases) {
            within(what + " db_u", error(g.userBias(), ref[2]));
            within(what + " db_i", error(g.itemBias(), ref[3]));
        } else {
            // a model without biases trains none: their gradient is reported as zero
            within(what + " db_u", error(g.userBias(), new double[ref[2].length]));
            within(what + " db_i", error(g.itemBias(), new double[ref[3].length]));
        }
    }

    // ------------------------------------------------------------------ optimizer steps

    /** Host recomputation of OptimizerStep's formulas in double, with lazy per-element state. */
    static final class HostOptimizer {
        final double[] m1;
        final double[] m2;

        HostOptimizer(int size) {
            m1 = new double[size];
            m2 = new double[size];
        }

        /** θ ← step(θ, h = g/2) at touched elements (g = full gradient, 0 means untouched unless flagged). */
        void apply(OptimizerStep s, float lr, float[] theta, double[] g, boolean[] touched, int width) {
            for (int j = 0; j < theta.length; j++) {
                if (!touched[j / width]) {
                    continue;
                }
                double h = g[j] / 2;
                switch (s.kind()) {
                    case SGD -> theta[j] = (float) (theta[j] - lr * h);
                    case MOMENTUM -> {
                        m1[j] = s.momentum() * m1[j] + h;
                        theta[j] = (float) (theta[j] - lr * m1[j]);
                    }
                    case NESTEROV -> {
                        m1[j] = s.momentum() * m1[j] + h;
                        theta[j] = (float) (theta[j] - lr * (h + s.momentum() * m1[j]));
                    }
                    case ADAM -> {
                        m1[j] = s.beta1() * m1[j] + (1 - s.beta1()) * h;
                        m2[j] = s.beta2() * m2[j] + (1 - s.beta2()) * h * h;
                        double mh = m1[j] / (1 - Math.pow(s.beta1(), s.t()));
                        double vh = m2[j] / (1 - Math.pow(s.beta2(), s.t()));
                        theta[j] = (float) (theta[j] - lr * mh / (Math.sqrt(vh) + s.epsilon()));
                    }
                    default -> throw new IllegalStateException();
                }
            }
        }
    }

    static Stream<OptimizerStep> optimizers() {
        return Stream.of(
                OptimizerStep.plain(0.05f, 0.03f),
                new OptimizerStep(Optimizer.MOMENTUM, 0.05f, 0.03f, 0.8f, 0.9f, 0.999f, 1e-8f, 1),
                new OptimizerStep(Optimizer.NESTEROV, 0.05f, 0.03f, 0.8f, 0.9f, 0.999f, 1e-8f, 1),
                new OptimizerStep(Optimizer.ADAM, 0.01f, 0.02f, 0f, 0.9f, 0.999f, 1e-8f, 1));
    }

    /**
     * Two steps (a mini-batch of a shuffled order, then the full batch) of each optimizer against
     * the host recomputation; rows outside the first batch hold NaN until the full batch (they
     * must stay NaN after the first step), so the full batch starts from a clean model instead.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizers")
    void gradientStepMatchesHostRecomputation(OptimizerStep step) {
        Case c = new Case("steps k=7", 60, 45, 900, 7, true);
        Ratings r = c.ratings(51);
        RatingSet set = backend.upload(r);
        for (Objective obj : new Objective[] {OBJECTIVES[0], OBJECTIVES[1]}) {
            // step 1: a mini-batch, untouched rows poisoned
            FactorModel m = c.model(r, 52);
            long seed = 53;
            int[] order = Permutation.seeded(r.size(), seed);
            int from = 100;
            int to = 300;
            poisonRows(m, r.userCounts(), r.itemCounts(), order, from, to, r);
            backend.setModel(m);
            backend.shuffle(set, seed);
            poison(backend);
            backend.gradientStep(set, from, to, obj, step);
            FactorModel expected = m.copy();
            HostState hs = new HostState(m);
            hs.step(step, m, r, order, from, to, obj, expected);
            FactorModel got = m.copy();
            backend.getModel(got);
            compareModels(step.kind() + " " + obj + " mini-batch", got, expected);

            // steps 2 and 3: full batch from a clean model (state carried between the two)
            FactorModel clean = c.model(r, 54);
            backend.setModel(clean);
            FactorModel exp2 = clean.copy();
            HostState hs2 = new HostState(clean);
            for (int t = 1; t <= 2; t++) {
                OptimizerStep st = step.withStep(t, step.lr(), step.lrBias());
                poison(backend);
                backend.gradientStep(set, 0, r.size(), obj, st);
                FactorModel before = exp2.copy();
                hs2.step(st, before, r, null, 0, r.size(), obj, exp2);
            }
            FactorModel got2 = clean.copy();
            backend.getModel(got2);
            compareModels(step.kind() + " " + obj + " full batch x2", got2, exp2);
        }
    }

    /** Optimizer state for P, Q, b_u, b_i. */
    static final class HostState {
        final HostOptimizer p;
        final HostOptimizer q;
        final HostOptimizer bu;
        final HostOptimizer bi;

        HostState(FactorModel m) {
            p = new HostOptimizer(m.p.length);
            q = new HostOptimizer(m.q.length);
            bu = new HostOptimizer(m.numUsers);
            bi = new HostOptimizer(m.numItems);
        }

        /** Applies one step of the batch's gradient at {@code at} to {@code into}. */
        void step(OptimizerStep s, FactorModel at, Ratings r, int[] order, int from, int to, Objective obj,
                  FactorModel into) {
            double[][] g = Reference.batchGradient(at, r, order, from, to, r.userCounts(), r.itemCounts(), obj);
            boolean[] tu = new boolean[at.numUsers];
            boolean[] ti = new boolean[at.numItems];
            for (int j = from; j < to; j++) {
                int n = order == null ? j : order[j];
                tu[r.user(n)] = true;
                ti[r.item(n)] = true;
            }
            p.apply(s, s.lr(), into.p, g[0], tu, at.rank);
            q.apply(s, s.lr(), into.q, g[1], ti, at.rank);
            if (obj.biases()) {
                bu.apply(s, s.lrBias(), into.userBias, g[2], tu, 1);
                bi.apply(s, s.lrBias(), into.itemBias, g[3], ti, 1);
            }
        }
    }

    private static void compareModels(String what, FactorModel got, FactorModel exp) {
        compareArray(what + " P", got.p, exp.p);
        compareArray(what + " Q", got.q, exp.q);
        compareArray(what + " b_u", got.userBias, exp.userBias);
        compareArray(what + " b_i", got.itemBias, exp.itemBias);
    }

    /** NaN where expected (untouched poisoned rows) must stay NaN; elsewhere the error metric. */
    private static void compareArray(String what, float[] got, float[] exp) {
        double scale = 1;
        double worst = 0;
        for (int j = 0; j < exp.length; j++) {
            if (Float.isNaN(exp[j])) {
                if (!Float.isNaN(got[j])) {
                    fail(what + "[" + j + "]: an untouched row was written (" + got[j] + ")");
                }
                continue;
            }
            scale = Math.max(scale, Math.abs(exp[j]));
            double d = Math.abs(got[j] - exp[j]);
            worst = Double.isNaN(d) ? Double.POSITIVE_INFINITY : Math.max(worst, d);
        }
        within(what, worst / scale);
    }

    // ------------------------------------------------------------------ SGD

    /**
     * Two ratings of one user (so w_u = 1/2 under uniform R): an SGD epoch is exactly the
     * documented update applied in one of the two orders (k = 1, 4, 33: lanes and strides).
     */
    @Test
    void sgdEpochOnTwoRatingsIsTheDocumentedUpdate() {
        for (int k : new int[] {1, 4, 33}) {
            Ratings r = new Ratings(2, 3, new int[] {1, 1}, new int[] {0, 2}, new float[] {4.5f, 1.5f}, 2, null, null,
                    1f, 5f);
            FactorModel m = new Case("sgd", 2, 3, 2, k, true).model(r, 62 + k);
            m.mu = 2.5f;
            RatingSet set = backend.upload(r);
            Objective obj = new Objective(0.1, 0.05, Regularization.UNIFORM, true);
            backend.setModel(m);
            float lr = 0.1f;
            float lrb = 0.05f;
            backend.sgdEpoch(set, obj, lr, lrb, 63);
            FactorModel got = m.copy();
            backend.getModel(got);
            int[] counts = {0, 2};
            FactorModel first = m.copy();
            sgdHost(first, r, 0, obj, lr, lrb, counts);
            sgdHost(first, r, 1, obj, lr, lrb, counts);
            FactorModel second = m.copy();
            sgdHost(second, r, 1, obj, lr, lrb, counts);
            sgdHost(second, r, 0, obj, lr, lrb, counts);
            double a = modelError(got, first);
            double b = modelError(got, second);
            within("sgd k=" + k + " (best of both orders)", Math.min(a, b));
        }
    }

    /**
     * AdaGrad (per-row step sizes): two epochs with the state carried, on two ratings of one user,
     * equal {@link BackendVerifier#adagradHost} (double precision) in one of the four pairs of
     * orders; each setModel restarts the schedule (the second objective starts from G = H = 1
     * again). k = 1, 4, 33: lanes and strides. A batch step cannot use the per-rating rule.
     */
    @Test
    void adagradEpochsOnTwoRatingsAreTheDocumentedRule() {
        for (int k : new int[] {1, 4, 33}) {
            Ratings r = new Ratings(2, 3, new int[] {1, 1}, new int[] {0, 2}, new float[] {4.5f, 1.5f}, 2, null, null,
                    1f, 5f);
            FactorModel m = new Case("adagrad", 2, 3, 2, k, true).model(r, 92 + k);
            m.mu = 2.5f;
            RatingSet set = backend.upload(r);
            for (Objective obj : new Objective[] {OBJECTIVES[0], OBJECTIVES[1]}) {
                backend.setModel(m);
                backend.sgdEpoch(set, obj, Optimizer.ADAGRAD, 0.1f, 0.05f, 93);
                backend.sgdEpoch(set, obj, Optimizer.ADAGRAD, 0.1f, 0.05f, 94);
                FactorModel got = m.copy();
                backend.getModel(got);
                within("adagrad k=" + k + " " + obj + " (best of the orders)", BackendVerifier.adagradBestOfOrders(
                        got, m, r, obj, 0.1f, 0.05f, r.userCounts(), r.itemCounts()));
            }
            OptimizerStep batch = new OptimizerStep(Optimizer.ADAGRAD, 0.1f, 0.1f, 0f, 0.9f, 0.999f, 1e-8f, 1);
            org.assertj.core.api.Assertions.assertThatThrownBy(
                    () -> backend.gradientStep(set, 0, 2, OBJECTIVES[0], batch))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    /** The documented SGD update of rating n in double (item counts are 1 here). */
    private static void sgdHost(FactorModel m, Ratings r, int n, Objective obj, float lr, float lrb, int[] userCounts) {
        int k = m.rank;
        int u = r.user(n);
        int i = r.item(n);
        double wu = obj.regularization().perRatingWeight(userCounts[u]);
        double wi = obj.regularization().perRatingWeight(1);
        double e = r.value(n) - Reference.predict(m, u, i);
        for (int c = 0; c < k; c++) {
            double p = m.p[u * k + c];
            double q = m.q[i * k + c];
            m.p[u * k + c] = (float) (p + lr * (e * q - obj.lambda() * wu * p));
            m.q[i * k + c] = (float) (q + lr * (e * p - obj.lambda() * wi * q));
        }
        m.userBias[u] = (float) (m.userBias[u] + lrb * (e - obj.lambdaBias() * wu * m.userBias[u]));
        m.itemBias[i] = (float) (m.itemBias[i] + lrb * (e - obj.lambdaBias() * wi * m.itemBias[i]));
    }

    private static double modelError(FactorModel got, FactorModel exp) {
        double worst = 0;
        float[][] g = {got.p, got.q, got.userBias, got.itemBias};
        float[][] x = {exp.p, exp.q, exp.userBias, exp.itemBias};
        for (int a = 0; a < 4; a++) {
            double[] ref = new double[x[a].length];
            for (int j = 0; j < ref.length; j++) {
                ref[j] = x[a][j];
            }
            worst = Math.max(worst, error(g[a], ref));
        }
        return worst;
    }

    private static Map<ConvergencePlan, Double> cpuReference;

    private static synchronized double cpuRmse(ConvergencePlan plan, PlantedProblem problem) {
        if (cpuReference == null) {
            cpuReference = new EnumMap<>(ConvergencePlan.class);
            try (Backend cpu = Backends.open("cpu", BackendOptions.defaults(), null)) {
                for (ConvergencePlan p : ConvergencePlan.values()) {
                    cpuReference.put(p, p.run(cpu, problem, 7));
                }
            }
        }
        return cpuReference.get(plan);
    }

    private static PlantedProblem planted;

    static synchronized PlantedProblem planted() {
        if (planted == null) {
            planted = PlantedProblem.generate(300, 200, 3, 0.3, 0.1, 42);
        }
        return planted;
    }

    /**
     * Every optimizer trains the planted problem to the CPU backend's test RMSE within 1%, and to
     * near the noise level (0.1 planted; 0.13 allowed), so a backend that does not learn fails.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(ConvergencePlan.class)
    void trainingReachesCpuRmseOnPlantedProblem(ConvergencePlan plan) {
        PlantedProblem p = planted();
        double ref = cpuRmse(plan, p);
        double got = plan.run(backend, p, 7);
        assertThat(ref).as("cpu reference rmse").isLessThan(0.13);
        assertThat(got).as(plan + " rmse vs cpu " + ref).isCloseTo(ref, org.assertj.core.data.Percentage.withPercentage(1));
    }
    // ================================================================== ALS (begin)
    //
    // One half-sweep (USERS, ITEMS) against the CPU backend's double-precision solve from the same
    // model, both regularization forms, with and without biases, k = 1, 8, 33, 64, 100 (on a
    // GpuBackend: the local-memory form up to k = 64, the global-memory form beyond, and also
    // forced variants: global form at every k, 1 and 64 lanes per row). The solved side starts as
    // NaN, and rows of the other side without ratings too, so reading either shows up. Metric:
    // worst |a − ref| / max(1, max|ref|) ≤ ALS_TOLERANCE (well-conditioned systems: every row
    // has more ratings than k + 1 or a regularization that dominates).

    static final double ALS_TOLERANCE = 1e-4;

    static final Objective[] ALS_OBJECTIVES = {
        new Objective(2.0, 1.0, Regularization.UNIFORM, true),
        new Objective(0.1, 0.05, Regularization.WEIGHTED, true),
        new Objective(2.0, 0.0, Regularization.UNIFORM, false),
        new Objective(0.1, 0.0, Regularization.WEIGHTED, false),
    };

    /** ~75% dense users × items with the last user and the last item left without ratings. */
    static Ratings alsRatings(int users, int items, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int cap = users * items;
        int[] u = new int[cap];
        int[] i = new int[cap];
        float[] v = new float[cap];
        int n = 0;
        for (int a = 0; a < users - 1; a++) {
            for (int b = 0; b < items - 1; b++) {
                if (rnd.nextDouble() < 0.75) {
                    u[n] = a;
                    i[n] = b;
                    v[n] = 1 + 4 * (float) rnd.nextDouble();
                    n++;
                }
            }
        }
        return new Ratings(users, items, u, i, v, n, null, null, 1f, 5f);
    }

    static Stream<Integer> alsRanks() {
        return Stream.of(1, 8, 33, 64, 100);
    }

    /** (name, configure) pairs of the ALS forms to run on this backend. */
    private java.util.List<Map.Entry<String, Runnable>> alsVariants() {
        java.util.List<Map.Entry<String, Runnable>> v = new java.util.ArrayList<>();
        if (backend instanceof GpuBackend g) {
            v.add(Map.entry("default", () -> g.forceAls(false, 0)));
            v.add(Map.entry("global form", () -> g.forceAls(true, 0)));
            v.add(Map.entry("1 lane", () -> g.forceAls(false, 1)));
            v.add(Map.entry("64 lanes", () -> g.forceAls(false, 64)));
        } else {
            v.add(Map.entry("default", () -> { }));
        }
        return v;
    }

    @ParameterizedTest(name = "k={0}")
    @MethodSource("alsRanks")
    void alsHalfSweepMatchesCpuSolve(int k) {
        Ratings r = alsRatings(40, 150, 71 + k);
        int[] uc = r.userCounts();
        int[] ic = r.itemCounts();
        RatingSet set = backend.upload(r);
        try (Backend cpu = Backends.open("cpu", BackendOptions.defaults(), null)) {
            RatingSet cpuSet = cpu.upload(r);
            for (Map.Entry<String, Runnable> variant : alsVariants()) {
                variant.getValue().run();
                for (Objective obj : ALS_OBJECTIVES) {
                    for (Side side : Side.values()) {
                        String what = "k=" + k + " " + variant.getKey() + " " + side + " " + obj;
                        FactorModel m = new Case("als", r.numUsers(), r.numItems(), r.size(), k, obj.biases())
                                .model(r, 72 + k);
                        poisonRows(m, uc, ic, null, 0, 0, r);
                        float[] solved = side == Side.USERS ? m.p : m.q;
                        Arrays.fill(solved, Float.NaN);
                        if (obj.biases()) {
                            Arrays.fill(side == Side.USERS ? m.userBias : m.itemBias, Float.NaN);
                        }
                        cpu.setModel(m);
                        cpu.alsSweep(cpuSet, obj, side);
                        FactorModel expected = m.copy();
                        cpu.getModel(expected);
                        backend.setModel(m);
                        backend.alsSweep(set, obj, side);
                        FactorModel got = m.copy();
                        backend.getModel(got);
                        compareAls(what, got, expected);
                        int[] counts = side == Side.USERS ? uc : ic;
                        float[] x = side == Side.USERS ? got.p : got.q;
                        float[] xb = side == Side.USERS ? got.userBias : got.itemBias;
                        int row = counts.length - 1;
                        assertThat(counts[row]).isZero();
                        for (int j = 0; j < k; j++) {
                            assertThat(x[row * k + j]).as(what + " row without ratings").isEqualTo(0f);
                        }
                        assertThat(xb[row]).as(what + " bias of a row without ratings").isEqualTo(0f);
                    }
                }
            }
        } finally {
            alsVariants().get(0).getValue().run();
        }
    }

    /** Every array within ALS_TOLERANCE; NaN exactly where the CPU left NaN (rows never written). */
    private static void compareAls(String what, FactorModel got, FactorModel exp) {
        float[][] g = {got.p, got.q, got.userBias, got.itemBias};
        float[][] x = {exp.p, exp.q, exp.userBias, exp.itemBias};
        String[] names = {"P", "Q", "b_u", "b_i"};
        for (int a = 0; a < 4; a++) {
            double scale = 1;
            double worst = 0;
            for (int j = 0; j < x[a].length; j++) {
                if (Float.isNaN(x[a][j])) {
                    if (!Float.isNaN(g[a][j])) {
                        fail(what + " " + names[a] + "[" + j + "]: written where the CPU leaves it (" + g[a][j] + ")");
                    }
                    continue;
                }
                scale = Math.max(scale, Math.abs(x[a][j]));
                double d = Math.abs(g[a][j] - x[a][j]);
                worst = Double.isNaN(d) ? Double.POSITIVE_INFINITY : Math.max(worst, d);
            }
            if (!(worst / scale <= ALS_TOLERANCE)) {
                fail(what + " " + names[a] + ": error " + worst / scale + " > " + ALS_TOLERANCE);
            }
        }
    }

    /**
     * Singular systems (λ = 0, rows with fewer ratings than k + 1): the minimizer is not unique,
     * but the minimum is. The sweep gives finite factors and the CPU solve's objective value.
     */
    @Test
    void alsWithoutRegularizationOnFewRatingsReachesTheMinimum() {
        Ratings r = alsRatings(7, 6, 81);
        RatingSet set = backend.upload(r);
        Objective obj = new Objective(0, 0, Regularization.UNIFORM, true);
        FactorModel m = new Case("als", 7, 6, r.size(), 8, true).model(r, 82);
        try (Backend cpu = Backends.open("cpu", BackendOptions.defaults(), null)) {
            RatingSet cpuSet = cpu.upload(r);
            for (Side side : Side.values()) {
                cpu.setModel(m);
                cpu.alsSweep(cpuSet, obj, side);
                double expected = cpu.loss(cpuSet, obj).value();
                backend.setModel(m);
                backend.alsSweep(set, obj, side);
                FactorModel got = m.copy();
                backend.getModel(got);
                for (float[] a : new float[][] {got.p, got.q, got.userBias, got.itemBias}) {
                    for (float x : a) {
                        assertThat(Float.isFinite(x)).as(side + " finite parameters").isTrue();
                    }
                }
                double value = backend.loss(set, obj).value();
                assertThat(value).as(side + " objective vs the cpu's " + expected)
                        .isLessThanOrEqualTo(expected + 1e-4 * Math.max(1, Reference.loss(m, r, obj).value()));
            }
        }
    }

    /** {@link dev.lfm.train.AlsTest}'s block-minimizer properties on this backend. */
    @Test
    void alsHalfSweepZeroesTheGradientAndNeverRaisesTheObjective() {
        dev.lfm.train.AlsTest.checkHalfSweepZeroesTheGradient(backend);
        dev.lfm.train.AlsTest.checkObjectiveNeverIncreases(backend);
    }

    private static double cpuAlsRmse = Double.NaN;

    /** ALS from the planted problem's seeded start: test RMSE after the sweeps. */
    static double alsPlantedRmse(Backend b, PlantedProblem p) {
        RatingSet train = b.upload(p.train());
        RatingSet test = b.upload(p.test());
        b.setModel(p.initialModel(ConvergencePlan.RANK, 7));
        for (int epoch = 0; epoch < 8; epoch++) {
            b.alsSweep(train, ConvergencePlan.OBJECTIVE, Side.USERS);
            b.alsSweep(train, ConvergencePlan.OBJECTIVE, Side.ITEMS);
        }
        return b.evaluate(test).rmse();
    }

    /** End to end: ALS on the planted problem reaches the CPU backend's test RMSE within 1%. */
    @Test
    void alsReachesCpuRmseOnPlantedProblem() {
        PlantedProblem p = planted();
        synchronized (BackendContractTest.class) {
            if (Double.isNaN(cpuAlsRmse)) {
                try (Backend cpu = Backends.open("cpu", BackendOptions.defaults(), null)) {
                    cpuAlsRmse = alsPlantedRmse(cpu, p);
                }
            }
        }
        double got = alsPlantedRmse(backend, p);
        assertThat(cpuAlsRmse).as("cpu reference rmse").isLessThan(0.13);
        assertThat(got).as("als rmse vs cpu " + cpuAlsRmse)
                .isCloseTo(cpuAlsRmse, org.assertj.core.data.Percentage.withPercentage(1));
    }

    // ================================================================== ALS (end)

    @Test
    void aNanPredictionIsNotClippedIntoAFiniteRmse() {
        Case c = new Case("nan model", 20, 15, 100, 4, true);
        Ratings r = c.ratings(3);
        FactorModel m = c.model(r, 4);
        m.userBias[r.user(0)] = Float.NaN;
        Backend b = backend();
        RatingSet set = b.upload(r);
        b.setModel(m);
        assertThat(b.evaluate(set).rmse()).as("clipping must not hide a NaN").isNaN();
    }
}
