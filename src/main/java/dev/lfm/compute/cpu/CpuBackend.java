package dev.lfm.compute.cpu;

import dev.lfm.compute.Backend;
import dev.lfm.compute.ErrorSums;
import dev.lfm.objective.Gradient;
import dev.lfm.objective.LossTerms;
import dev.lfm.compute.Optimizer;
import dev.lfm.compute.OptimizerStep;
import dev.lfm.compute.RatingSet;
import dev.lfm.compute.Side;
import dev.lfm.data.Permutation;
import dev.lfm.data.Ratings;
import dev.lfm.model.FactorModel;
import dev.lfm.objective.Objective;

/**
 * The pure-Java backend: float32 parameters in host arrays, multithreaded kernels. It owns the
 * model and the scalar queries (loss, evaluation, residuals) and hands each step to the class of
 * its kernel family, split as the GPU side is:
 *
 * <ul>
 *   <li>{@link CpuSgd} (≈ {@code gpu/SgdKernels}): per-rating SGD epochs over a conflict-free
 *       block schedule ({@link SgdPlan}) with vectorized updates ({@link CpuKernels}); the update
 *       rule is exactly {@link Backend#sgdEpoch}'s, applied rating by rating in the plan's order.
 *   <li>{@link CpuGradients} (≈ {@code gpu/GradientKernels}): batch half gradients accumulated
 *       without atomics, each thread owning rows in units of 64.
 *   <li>{@link CpuOptimizers} (≈ {@code gpu/OptimizerKernels}): the rules of
 *       {@link OptimizerStep} on the touched rows, and their lazily allocated state.
 *   <li>{@link CpuAls} (≈ {@code gpu/AlsKernels}): each row's (k+1)×(k+1) normal equations solved
 *       by Cholesky in double precision.
 * </ul>
 */
public final class CpuBackend implements Backend {
    private final Parallel parallel;
    private final CpuSgd sgd;
    private final CpuGradients gradients;
    private final CpuOptimizers optimizers;
    private FactorModel m;

    public CpuBackend(int threads) {
        this.parallel = new Parallel(Math.max(1, threads));
        this.sgd = new CpuSgd(parallel);
        this.gradients = new CpuGradients(parallel);
        this.optimizers = new CpuOptimizers(parallel);
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public String device() {
        return System.getProperty("os.arch") + " CPU, " + parallel.threads() + " threads, Java "
                + Runtime.version().feature() + ", " + (CpuKernels.S.length() * 32) + "-bit vectors";
    }

    @Override
    public int threads() {
        return parallel.threads();
    }

    @Override
    public RatingSet upload(Ratings ratings) {
        return new CpuRatingSet(ratings);
    }

    @Override
    public void setModel(FactorModel model) {
        boolean sameShape = m != null && m.numUsers == model.numUsers && m.numItems == model.numItems
                && m.rank == model.rank;
        m = model.copy();
        optimizers.reset(sameShape);
        sgd.reset(m);
        if (!sameShape) {
            gradients.reset();
        }
    }

    @Override
    public void getModel(FactorModel into) {
        requireModel();
        m.copyInto(into);
    }

    /** The live parameters (no copy); for callers in this package and tests. */
    FactorModel model() {
        return m;
    }

    private void requireModel() {
        if (m == null) {
            throw new IllegalStateException("setModel must be called first");
        }
    }

    private static CpuRatingSet cpu(RatingSet s) {
        if (!(s instanceof CpuRatingSet c)) {
            throw new IllegalArgumentException("rating set was not uploaded to this backend");
        }
        return c;
    }

    @Override
    public LossTerms loss(RatingSet train, Objective obj) {
        requireModel();
        CpuRatingSet t = cpu(train);
        Ratings r = t.ratings;
        int threads = parallel.threads();
        double[] sse = new double[threads];
        parallel.forRange(r.size(), (th, from, to) -> {
            double s = 0;
            for (int n = from; n < to; n++) {
                double e = r.value(n) - predict(r.user(n), r.item(n));
                s += e * e;
            }
            sse[th] = s;
        });
        return withPenalties(sum(sse), t, obj);
    }

    @Override
    public LossTerms penalty(RatingSet train, Objective obj) {
        requireModel();
        return withPenalties(Double.NaN, cpu(train), obj);
    }

    /** The loss terms of {@code sse} and the current model's regularization penalties on {@code t}'s counts. */
    private LossTerms withPenalties(double sse, CpuRatingSet t, Objective obj) {
        int threads = parallel.threads();
        double[] fp = new double[threads];
        double[] bp = new double[threads];
        penalty(m.p, m.userBias, m.numUsers, t.userCounts, obj, fp, bp);
        double[] fp2 = new double[threads];
        double[] bp2 = new double[threads];
        penalty(m.q, m.itemBias, m.numItems, t.itemCounts, obj, fp2, bp2);
        return new LossTerms(sse, obj.lambda() * (sum(fp) + sum(fp2)),
                obj.biases() ? obj.lambdaBias() * (sum(bp) + sum(bp2)) : 0, t.ratings.size());
    }

    private void penalty(float[] f, float[] b, int rows, int[] counts, Objective obj, double[] fp, double[] bp) {
        int k = m.rank;
        parallel.forRange(rows, (th, from, to) -> {
            double s = 0;
            double sb = 0;
            for (int row = from; row < to; row++) {
                double c = obj.regularization().coefficient(counts[row]);
                double norm = CpuKernels.dot(f, row * k, f, row * k, k);
                s += c * norm;
                sb += c * (double) b[row] * b[row];
            }
            fp[th] = s;
            bp[th] = sb;
        });
    }

    private static double sum(double[] a) {
        double s = 0;
        for (double x : a) {
            s += x;
        }
        return s;
    }

    private float predict(int u, int i) {
        return CpuKernels.predict(m, u, i);
    }

    @Override
    public ErrorSums evaluate(RatingSet set) {
        requireModel();
        Ratings r = cpu(set).evaluationOrder(m.rank); // sums do not depend on the order: the fastest one
        int threads = parallel.threads();
        double[] sse = new double[threads];
        double[] sae = new double[threads];
        float lo = m.minRating;
        float hi = m.maxRating;
        parallel.forRange(r.size(), (th, from, to) -> {
            double s = 0;
            double a = 0;
            for (int n = from; n < to; n++) {
                float pr = Math.max(lo, Math.min(hi, predict(r.user(n), r.item(n))));
                double e = r.value(n) - pr;
                s += e * e;
                a += Math.abs(e);
            }
            sse[th] = s;
            sae[th] = a;
        });
        return new ErrorSums(sum(sse), sum(sae), r.size());
    }

    @Override
    public float[] residuals(RatingSet set) {
        requireModel();
        Ratings r = cpu(set).ratings;
        float[] e = new float[r.size()];
        parallel.forRange(r.size(), (th, from, to) -> {
            for (int n = from; n < to; n++) {
                e[n] = r.value(n) - predict(r.user(n), r.item(n));
            }
        });
        return e;
    }

    // ---------------------------------------------------------------- SGD

    @Override
    public void sgdEpoch(RatingSet train, Objective obj, Optimizer rule, float lr, float lrBias, long seed) {
        requireModel();
        sgd.epoch(m, cpu(train), obj, rule, lr, lrBias, seed);
    }

    @Override
    public double lastSgdEpochSse() {
        return sgd.lastSse();
    }

    // ---------------------------------------------------------- gradient steps

    @Override
    public void shuffle(RatingSet train, long seed) {
        CpuRatingSet t = cpu(train);
        if (t.order == null) {
            t.order = new int[t.ratings.size()];
        }
        // a fresh permutation from the identity, so the order depends on this seed alone
        Permutation.seededInto(t.order, seed);
    }

    @Override
    public Gradient gradient(RatingSet train, int from, int to, Objective obj) {
        requireModel();
        CpuRatingSet t = cpu(train);
        t.checkBatch(from, to);
        return gradients.download(m, gradients.accumulate(m, t, from, to, obj));
    }

    @Override
    public void gradientStep(RatingSet train, int from, int to, Objective obj, OptimizerStep step) {
        requireModel();
        CpuRatingSet t = cpu(train);
        t.checkBatch(from, to);
        optimizers.step(m, gradients, gradients.accumulate(m, t, from, to, obj), obj.biases() && m.biases, step);
    }

    // ---------------------------------------------------------------- ALS

    @Override
    public void alsSweep(RatingSet train, Objective obj, Side side) {
        requireModel();
        CpuAls.solve(m, cpu(train), obj, side, parallel);
    }

    @Override
    public void close() {
        parallel.close();
    }
}
