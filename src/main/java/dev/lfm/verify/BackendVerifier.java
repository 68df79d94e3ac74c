package dev.lfm.verify;

import dev.lfm.compute.Optimizer;

import dev.lfm.data.SyntheticRatings;
import dev.lfm.data.Gaussian;


import dev.lfm.compute.Backend;
import dev.lfm.compute.BackendOptions;
import dev.lfm.compute.Backends;
import dev.lfm.compute.ErrorSums;
import dev.lfm.objective.Gradient;
import dev.lfm.objective.LossTerms;
import dev.lfm.compute.OptimizerStep;
import dev.lfm.compute.RatingSet;
import dev.lfm.compute.Side;
import dev.lfm.data.Permutation;
import dev.lfm.data.Ratings;
import dev.lfm.model.FactorModel;
import dev.lfm.objective.Objective;
import dev.lfm.objective.Reference;
import dev.lfm.objective.Regularization;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Kernel-by-kernel verification of a backend against the double-precision {@link Reference}
 * (used by {@code lfm verify}). Error metric of arrays: max|a − ref| / max(1, max|ref|); of
 * scalars: |a − ref| / max(1, |ref|). Deterministic kernels must be within {@link #TOLERANCE};
 * training on the planted problem within 1% of the CPU backend's test RMSE.
 */
public final class BackendVerifier {
    public static final double TOLERANCE = 1e-5;
    public static final double RMSE_TOLERANCE = 0.01;
    /** An ALS half-sweep must leave ‖∂L/∂(solved side)‖∞ at most this fraction of what it was. */
    public static final double ALS_TOLERANCE = 1e-4;

    /** One verified quantity. */
    public record Row(String check, double error, double tolerance) {
        public boolean ok() {
            return error <= tolerance;
        }
    }

    private static Map<ConvergencePlan, Double> cpuRmse;

    private BackendVerifier() {
    }

    /** Runs every check on {@code b}. */
    public static List<Row> verify(Backend b) {
        List<Row> rows = new ArrayList<>();
        Objective uniform = new Objective(0.05, 0.02, Regularization.UNIFORM, true);
        Objective weighted = new Objective(0.03, 0.01, Regularization.WEIGHTED, true);
        for (int k : new int[] {1, 33}) {
            Ratings r = SyntheticRatings.noise(500, 400, 20_000, 11 + k);
            FactorModel m = model(r, k, 12 + k);
            RatingSet set = b.upload(r);
            b.setModel(m);
            String sz = " (k=" + k + ")";
            rows.add(new Row("residuals" + sz, error(b.residuals(set), Reference.residuals(m, r)), TOLERANCE));
            for (Objective obj : new Objective[] {uniform, weighted}) {
                String o = " " + obj.regularization().name().toLowerCase() + sz;
                LossTerms got = b.loss(set, obj);
                LossTerms ref = Reference.loss(m, r, obj);
                rows.add(new Row("loss" + o, Math.max(rel(got.sse(), ref.sse()),
                        Math.max(rel(got.factorPenalty(), ref.factorPenalty()), rel(got.biasPenalty(), ref.biasPenalty()))),
                        TOLERANCE));
                Gradient g = b.gradient(set, 0, r.size(), obj);
                rows.add(new Row("gradient full batch" + o, gradientError(g, Reference.batchGradient(m, r, null, 0,
                        r.size(), r.userCounts(), r.itemCounts(), obj)), TOLERANCE));
                b.shuffle(set, 5);
                int[] order = Permutation.seeded(r.size(), 5);
                g = b.gradient(set, 1000, 3000, obj);
                rows.add(new Row("gradient mini-batch" + o, gradientError(g, Reference.batchGradient(m, r, order, 1000,
                        3000, r.userCounts(), r.itemCounts(), obj)), TOLERANCE));
            }
            ErrorSums es = b.evaluate(set);
            double sse = 0;
            double sae = 0;
            for (int n = 0; n < r.size(); n++) {
                double pr = Math.max(m.minRating, Math.min(m.maxRating, Reference.predict(m, r.user(n), r.item(n))));
                sse += (r.value(n) - pr) * (r.value(n) - pr);
                sae += Math.abs(r.value(n) - pr);
            }
            rows.add(new Row("evaluate" + sz, Math.max(rel(es.sse(), sse), rel(es.sae(), sae)), TOLERANCE));
            for (OptimizerStep step : optimizers()) {
                rows.add(new Row("step " + step.kind().name().toLowerCase() + sz, stepError(b, set, r, m, weighted, step),
                        TOLERANCE));
            }
            for (Objective obj : new Objective[] {uniform, weighted}) {
                for (Side side : Side.values()) {
                    rows.add(new Row("als " + side.name().toLowerCase() + " " + obj.regularization().name().toLowerCase()
                            + sz, alsError(b, set, r, m, obj, side), ALS_TOLERANCE));
                }
            }
        }
        rows.add(new Row("sgd epoch rule (2 ratings, k=33)", sgdRuleError(b), TOLERANCE));
        rows.add(new Row("sgd adagrad rule (2 ratings, 2 epochs, k=33)", adagradRuleError(b), TOLERANCE));
        PlantedProblem planted = PlantedProblem.generate(300, 200, 3, 0.3, 0.1, 42);
        Map<ConvergencePlan, Double> ref = cpuReference(planted);
        for (ConvergencePlan plan : ConvergencePlan.values()) {
            double got = plan.run(b, planted, 7);
            rows.add(new Row("train " + plan.name().toLowerCase() + " test rmse vs cpu",
                    Double.isNaN(got) ? Double.POSITIVE_INFINITY : Math.abs(got - ref.get(plan)) / ref.get(plan),
                    RMSE_TOLERANCE));
        }
        return rows;
    }

    private static synchronized Map<ConvergencePlan, Double> cpuReference(PlantedProblem p) {
        if (cpuRmse == null) {
            Map<ConvergencePlan, Double> m = new EnumMap<>(ConvergencePlan.class);
            try (Backend cpu = Backends.open("cpu", BackendOptions.defaults(), null)) {
                for (ConvergencePlan plan : ConvergencePlan.values()) {
                    m.put(plan, plan.run(cpu, p, 7));
                }
            }
            cpuRmse = m;
        }
        return cpuRmse;
    }

    static List<OptimizerStep> optimizers() {
        return List.of(OptimizerStep.plain(0.05f, 0.03f),
                new OptimizerStep(Optimizer.MOMENTUM, 0.05f, 0.03f, 0.8f, 0.9f, 0.999f, 1e-8f, 1),
                new OptimizerStep(Optimizer.NESTEROV, 0.05f, 0.03f, 0.8f, 0.9f, 0.999f, 1e-8f, 1),
                new OptimizerStep(Optimizer.ADAM, 0.01f, 0.02f, 0f, 0.9f, 0.999f, 1e-8f, 1));
    }

    /** Two mini-batch steps (state carried) against the formulas of {@link OptimizerStep} in double. */
    private static double stepError(Backend b, RatingSet set, Ratings r, FactorModel m, Objective obj,
                                    OptimizerStep step) {
        b.setModel(m);
        b.shuffle(set, 9);
        int[] order = Permutation.seeded(r.size(), 9);
        FactorModel exp = m.copy();
        double[][] m1 = {new double[m.p.length], new double[m.q.length], new double[m.numUsers], new double[m.numItems]};
        double[][] m2 = {new double[m.p.length], new double[m.q.length], new double[m.numUsers], new double[m.numItems]};
        for (int t = 1; t <= 2; t++) {
            int from = (t - 1) * 2000;
            int to = from + 2000;
            OptimizerStep st = step.withStep(t, step.lr(), step.lrBias());
            b.gradientStep(set, from, to, obj, st);
            double[][] g = Reference.batchGradient(exp, r, order, from, to, r.userCounts(), r.itemCounts(), obj);
            boolean[] tu = new boolean[m.numUsers];
            boolean[] ti = new boolean[m.numItems];
            for (int j = from; j < to; j++) {
                tu[r.user(order[j])] = true;
                ti[r.item(order[j])] = true;
            }
            float[][] theta = {exp.p, exp.q, exp.userBias, exp.itemBias};
            boolean[][] touched = {tu, ti, tu, ti};
            int[] width = {m.rank, m.rank, 1, 1};
            for (int a = 0; a < 4; a++) {
                float lr = a < 2 ? st.lr() : st.lrBias();
                for (int j = 0; j < theta[a].length; j++) {
                    if (touched[a][j / width[a]]) {
                        theta[a][j] = (float) (theta[a][j] - lr * delta(st, g[a][j] / 2, m1[a], m2[a], j));
                    }
                }
            }
        }
        FactorModel got = m.copy();
        b.getModel(got);
        return modelError(got, exp);
    }

    private static double delta(OptimizerStep s, double h, double[] m1, double[] m2, int j) {
        switch (s.kind()) {
            case SGD:
                return h;
            case MOMENTUM:
                m1[j] = s.momentum() * m1[j] + h;
                return m1[j];
            case NESTEROV:
                m1[j] = s.momentum() * m1[j] + h;
                return h + s.momentum() * m1[j];
            default:
                m1[j] = s.beta1() * m1[j] + (1 - s.beta1()) * h;
                m2[j] = s.beta2() * m2[j] + (1 - s.beta2()) * h * h;
                return (m1[j] / (1 - Math.pow(s.beta1(), s.t())))
                        / (Math.sqrt(m2[j] / (1 - Math.pow(s.beta2(), s.t()))) + s.epsilon());
        }
    }

    /** The SGD rule checks' fixture: two ratings of user 1 (items 0 and 2), 2 users × 3 items. */
    private static Ratings twoRatings() {
        return new Ratings(2, 3, new int[] {1, 1}, new int[] {0, 2}, new float[] {4.5f, 1.5f}, 2, null, null, 1f, 5f);
    }

    /** Two ratings of one user; the epoch must equal the documented update in one of the two orders. */
    private static double sgdRuleError(Backend b) {
        Ratings r = twoRatings();
        FactorModel m = model(r, 33, 3);
        Objective obj = new Objective(0.1, 0.05, Regularization.UNIFORM, true);
        FactorModel got = trained(b, r, m, set -> b.sgdEpoch(set, obj, 0.1f, 0.05f, 1));
        FactorModel a = m.copy();
        sgdHost(a, r, 0, obj, 0.1f, 0.05f);
        sgdHost(a, r, 1, obj, 0.1f, 0.05f);
        FactorModel c = m.copy();
        sgdHost(c, r, 1, obj, 0.1f, 0.05f);
        sgdHost(c, r, 0, obj, 0.1f, 0.05f);
        return Math.min(modelError(got, a), modelError(got, c));
    }

    /**
     * Two ratings of one user, two AdaGrad epochs from a fresh model (G = H = 1): the result must
     * equal {@link #adagradHost} in one of the four pairs of orders.
     */
    private static double adagradRuleError(Backend b) {
        Ratings r = twoRatings();
        FactorModel m = model(r, 33, 4);
        Objective obj = new Objective(0.1, 0.05, Regularization.WEIGHTED, true);
        FactorModel got = trained(b, r, m, set -> {
            b.sgdEpoch(set, obj, Optimizer.ADAGRAD, 0.1f, 0.05f, 1);
            b.sgdEpoch(set, obj, Optimizer.ADAGRAD, 0.1f, 0.05f, 2);
        });
        return adagradBestOfOrders(got, m, r, obj, 0.1f, 0.05f, r.userCounts(), r.itemCounts());
    }

    /** The model b holds after {@code epochs} on r from {@code m} (m itself is left as it is). */
    private static FactorModel trained(Backend b, Ratings r, FactorModel m, Consumer<RatingSet> epochs) {
        RatingSet set = b.upload(r);
        b.setModel(m);
        epochs.accept(set);
        FactorModel got = m.copy();
        b.getModel(got);
        return got;
    }

    /** The smallest model error of {@code got} against two host AdaGrad epochs of r (2 ratings) over all 4 order pairs. */
    public static double adagradBestOfOrders(FactorModel got, FactorModel start, Ratings r, Objective obj, float lr,
                                             float lrb, int[] userCounts, int[] itemCounts) {
        double best = Double.POSITIVE_INFINITY;
        int[][] orders = {{0, 1}, {1, 0}};
        for (int[] first : orders) {
            for (int[] second : orders) {
                FactorModel x = start.copy();
                double[][] g = {fill(x.numUsers), fill(x.numItems)};
                for (int[] order : new int[][] {first, second}) {
                    for (int n : order) {
                        adagradHost(x, r, n, obj, lr, lrb, userCounts, itemCounts, g[0], g[1]);
                    }
                }
                best = Math.min(best, modelError(got, x));
            }
        }
        return best;
    }

    private static double[] fill(int rows) {
        double[] g = new double[2 * rows];
        java.util.Arrays.fill(g, 1.0);
        return g;
    }

    /**
     * {@link OptimizerStep}'s ADAGRAD update of rating n in double: (G, H) per row at
     * gu/gi[2·row], [2·row + 1].
     */
    public static void adagradHost(FactorModel m, Ratings r, int n, Objective obj, float lr, float lrb,
                                   int[] userCounts, int[] itemCounts, double[] gu, double[] gi) {
        int k = m.rank;
        int u = r.user(n);
        int i = r.item(n);
        double wu = obj.regularization().perRatingWeight(userCounts[u]);
        double wi = obj.regularization().perRatingWeight(itemCounts[i]);
        double e = r.value(n) - Reference.predict(m, u, i);
        double etaP = lr / Math.sqrt(gu[2 * u]);
        double etaQ = lr / Math.sqrt(gi[2 * i]);
        double sp = 0;
        double sq = 0;
        for (int c = 0; c < k; c++) {
            double p = m.p[u * k + c];
            double q = m.q[i * k + c];
            double hp = obj.lambda() * wu * p - e * q;
            double hq = obj.lambda() * wi * q - e * p;
            m.p[u * k + c] = (float) (p - etaP * hp);
            m.q[i * k + c] = (float) (q - etaQ * hq);
            sp += hp * hp;
            sq += hq * hq;
        }
        gu[2 * u] += sp / k;
        gi[2 * i] += sq / k;
        if (m.biases && obj.biases()) {
            double bu = m.userBias[u];
            double bi = m.itemBias[i];
            double hu = obj.lambdaBias() * wu * bu - e;
            double hi = obj.lambdaBias() * wi * bi - e;
            m.userBias[u] = (float) (bu - lrb / Math.sqrt(gu[2 * u + 1]) * hu);
            m.itemBias[i] = (float) (bi - lrb / Math.sqrt(gi[2 * i + 1]) * hi);
            gu[2 * u + 1] += hu * hu;
            gi[2 * i + 1] += hi * hi;
        }
    }

    private static void sgdHost(FactorModel m, Ratings r, int n, Objective obj, float lr, float lrb) {
        int k = m.rank;
        int u = r.user(n);
        int i = r.item(n);
        double wu = obj.regularization().perRatingWeight(r.userCounts()[u]);
        double wi = obj.regularization().perRatingWeight(r.itemCounts()[i]);
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

    // ---------------------------------------------------------------- fixtures and metrics

    static FactorModel model(Ratings r, int k, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        FactorModel m = new FactorModel(r.numUsers(), r.numItems(), k, true);
        for (float[] a : new float[][] {m.p, m.q, m.userBias, m.itemBias}) {
            for (int j = 0; j < a.length; j++) {
                a[j] = (float) (Gaussian.next(rnd) * 0.3);
            }
        }
        m.mu = (float) r.mean();
        m.minRating = r.minRating();
        m.maxRating = r.maxRating();
        return m;
    }

    static double error(float[] a, double[] ref) {
        double scale = 1;
        for (double x : ref) {
            scale = Math.max(scale, Math.abs(x));
        }
        double worst = 0;
        for (int j = 0; j < ref.length; j++) {
            double d = Math.abs(a[j] - ref[j]);
            if (!(d <= Double.MAX_VALUE)) {
                return Double.POSITIVE_INFINITY;
            }
            worst = Math.max(worst, d);
        }
        return worst / scale;
    }

    /**
     * One ALS half-sweep from {@code m}: the solved rows must sit at the exact minimizer of L with
     * the other side fixed, i.e. the reference gradient with respect to them (factors and biases)
     * vanishes; measured as max|g_after| / max|g_before|.
     */
    private static double alsError(Backend b, RatingSet set, Ratings r, FactorModel m, Objective obj, Side side) {
        b.setModel(m);
        double[][] before = Reference.gradient(m, r, obj);
        b.alsSweep(set, obj, side);
        FactorModel got = new FactorModel(m.numUsers, m.numItems, m.rank, m.biases);
        b.getModel(got);
        double[][] after = Reference.gradient(got, r, obj);
        int f = side == Side.USERS ? 0 : 1;
        int bias = side == Side.USERS ? 2 : 3;
        double e = Math.max(maxAbs(after[f]) / maxAbs(before[f]), maxAbs(after[bias]) / maxAbs(before[bias]));
        return Double.isNaN(e) ? Double.POSITIVE_INFINITY : e;
    }

    private static double maxAbs(double[] a) {
        double x = 0;
        for (double v : a) {
            x = Math.max(x, Math.abs(v));
        }
        return x;
    }

    private static double error(float[] a, float[] ref) {
        double[] d = new double[ref.length];
        for (int j = 0; j < ref.length; j++) {
            d[j] = ref[j];
        }
        return error(a, d);
    }

    static double rel(double a, double ref) {
        double d = Math.abs(a - ref) / Math.max(1, Math.abs(ref));
        return Double.isNaN(d) ? Double.POSITIVE_INFINITY : d;
    }

    private static double gradientError(Gradient g, double[][] ref) {
        return Math.max(Math.max(error(g.p(), ref[0]), error(g.q(), ref[1])),
                Math.max(error(g.userBias(), ref[2]), error(g.itemBias(), ref[3])));
    }

    private static double modelError(FactorModel got, FactorModel exp) {
        return Math.max(Math.max(error(got.p, exp.p), error(got.q, exp.q)),
                Math.max(error(got.userBias, exp.userBias), error(got.itemBias, exp.itemBias)));
    }
}
