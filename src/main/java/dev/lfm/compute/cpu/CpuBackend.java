package dev.lfm.compute.cpu;

import dev.lfm.compute.Optimizer;

import dev.lfm.compute.Backend;
import dev.lfm.compute.ErrorSums;
import dev.lfm.objective.Gradient;
import dev.lfm.objective.LossTerms;
import dev.lfm.compute.OptimizerStep;
import dev.lfm.compute.RatingSet;
import dev.lfm.compute.Side;
import dev.lfm.data.Ratings;
import dev.lfm.model.FactorModel;
import dev.lfm.objective.Objective;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The pure-Java backend: float32 parameters in host arrays, multithreaded kernels.
 *
 * <ul>
 *   <li>SGD epochs use a conflict-free block schedule ({@link SgdPlan}) with vectorized updates;
 *       results are independent of thread timing for a fixed thread count. The visiting order is
 *       the plan's: blocks in a seeded random diagonal order each epoch; inside a block, users'
 *       runs (all of a user's ratings in the block, in an order shuffled once when the plan is
 *       built) taken two at a time, users ascending, the two runs' ratings alternating (A₁ B₁ A₂
 *       B₂ …, then the rest of the longer). p_u and b_u stay in registers across a run, and the two
 *       users' independent dependency chains overlap in the core. The update rule is exactly
 *       {@link Backend#sgdEpoch}'s, applied rating by rating in that order.
 *   <li>Batch gradients are accumulated without atomics: thread t owns the users and items whose
 *       index / 64 ≡ t (mod threads) and sums the batch's contributions to its own rows (units of
 *       64 rows keep threads from writing one cache line).
 *   <li>ALS solves each row's (k+1)×(k+1) normal equations by Cholesky in double precision.
 * </ul>
 */
public final class CpuBackend implements Backend {
    private final Parallel parallel;
    private FactorModel m;
    // optimizer state (lazily allocated): first moment / velocity and second moment
    private float[] mP;
    private float[] mQ;
    private float[] mBu;
    private float[] mBi;
    private float[] vP;
    private float[] vQ;
    private float[] vBu;
    private float[] vBi;
    // gradient scratch (half gradients), zero outside the rows of the step being taken
    private float[] gP;
    private float[] gQ;
    private float[] gBu;
    private float[] gBi;
    private int[] userStamp;
    private int[] itemStamp;
    private int stamp;
    private int[] userOccurrences;
    private int[] itemOccurrences;
    private float[] residualScratch = new float[0];
    private int[] batchUsers = new int[0];
    private int[] batchItems = new int[0];

    public CpuBackend(int threads) {
        this.parallel = new Parallel(Math.max(1, threads));
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
        FactorModel fresh = model.copy();
        boolean sameShape = m != null && m.numUsers == model.numUsers && m.numItems == model.numItems
                && m.rank == model.rank;
        m = fresh;
        if (sameShape && mP != null) {
            zero(mP, mQ, mBu, mBi, vP, vQ, vBu, vBi);
        } else {
            mP = null;
            vP = null;
            gP = null;
        }
    }

    private static void zero(float[]... arrays) {
        for (float[] a : arrays) {
            if (a != null) {
                Arrays.fill(a, 0f);
            }
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
        double[] fp = new double[threads];
        double[] bp = new double[threads];
        penalty(m.p, m.userBias, m.numUsers, t.userCounts, obj, fp, bp);
        double[] fp2 = new double[threads];
        double[] bp2 = new double[threads];
        penalty(m.q, m.itemBias, m.numItems, t.itemCounts, obj, fp2, bp2);
        return new LossTerms(sum(sse), obj.lambda() * (sum(fp) + sum(fp2)),
                obj.biases() ? obj.lambdaBias() * (sum(bp) + sum(bp2)) : 0, r.size());
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
        int k = m.rank;
        float s = m.mu + CpuKernels.dot(m.p, u * k, m.q, i * k, k);
        if (m.biases) {
            s += m.userBias[u] + m.itemBias[i];
        }
        return s;
    }

    @Override
    public ErrorSums evaluate(RatingSet set) {
        requireModel();
        Ratings r = cpu(set).ratings;
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
    public void sgdEpoch(RatingSet train, Objective obj, float lr, float lrBias, long seed) {
        requireModel();
        CpuRatingSet t = cpu(train);
        int threads = parallel.threads();
        int grid = sgdGrid(threads);
        if (t.sgdPlan == null || t.sgdPlan.grid != grid) {
            // the within-block shuffle is fixed at the plan's creation (from the first epoch's seed)
            t.sgdPlan = new SgdPlan(t.ratings, grid, seed);
        }
        SgdPlan plan = t.sgdPlan;
        float[] wu = t.userWeights(obj.regularization());
        float[] wi = t.itemWeights(obj.regularization());
        float lambda = (float) obj.lambda();
        float lambdaB = (float) obj.lambdaBias();
        boolean biases = obj.biases() && m.biases;
        SplittableRandom rnd = new SplittableRandom(seed);
        int[] diagonalOrder = permutation(grid, rnd);
        int[] columnLabel = permutation(grid, rnd);
        for (int d = 0; d < grid; d++) {
            int r = diagonalOrder[d];
            parallel.forThreads(Math.min(threads, grid), th -> {
                for (int b = th; b < grid; b += threads) {
                    int cb = columnLabel[(b + r) % grid];
                    sgdBlock(plan, b * grid + cb, wu, wi, lr, lrBias, lambda, lambdaB, biases);
                }
            });
        }
    }

    /**
     * Blocks per side of the SGD grid: 1 for one thread, else 2·threads (every diagonal has twice
     * as many blocks as threads, which evens out block sizes); the system property
     * {@code lfm.cpu.sgdGrid} overrides it (benchmarks). Results depend on the grid.
     */
    static int sgdGrid(int threads) {
        Integer forced = Integer.getInteger("lfm.cpu.sgdGrid");
        if (forced != null && forced >= 1 && (forced >= threads || forced == 1)) {
            return forced;
        }
        return threads == 1 ? 1 : 2 * threads;
    }

    private void sgdBlock(SgdPlan plan, int blk, float[] wu, float[] wi, float lr, float lrBias,
                          float lambda, float lambdaB, boolean biases) {
        final int k = m.rank;
        final float[] p = m.p;
        final float[] q = m.q;
        final float[] bu = m.userBias;
        final float[] bi = m.itemBias;
        final float mu = m.mu;
        final int[] runUser = plan.runUser;
        final int[] runStart = plan.runStart;
        float touched = 0f;
        final int[] items = plan.items;
        final float[] values = plan.values;
        for (int run = plan.blockRun[blk], end = plan.blockRun[blk + 1]; run < end; run += 2) {
            if (run + 2 < end) {
                // touch the next pair's p rows (one load per cache line) so their misses overlap this pair
                int nextA = runUser[run + 2] * k;
                int nextB = run + 3 < end ? runUser[run + 3] * k : nextA;
                for (int c = 0; c < k; c += 16) {
                    touched += p[nextA + c] + p[nextB + c];
                }
            }
            boolean pair = run + 1 < end;
            CpuKernels.sgdPair(p, q, k, items, values, mu, bu, bi, wu, wi, lr, lrBias, lambda, lambdaB, biases,
                    runUser[run], runStart[run], runStart[run + 1],
                    pair ? runUser[run + 1] : -1, pair ? runStart[run + 1] : 0, pair ? runStart[run + 2] : 0);
        }
        prefetchSink = touched;
    }

    /** Keeps the prefetching loads of {@link #sgdBlock} alive (never read). */
    @SuppressWarnings("unused")
    private volatile float prefetchSink;

    private static int[] permutation(int n, SplittableRandom rnd) {
        int[] a = new int[n];
        for (int j = 0; j < n; j++) {
            a[j] = j;
        }
        for (int j = n - 1; j > 0; j--) {
            int s = rnd.nextInt(j + 1);
            int x = a[j];
            a[j] = a[s];
            a[s] = x;
        }
        return a;
    }

    // ---------------------------------------------------------- gradient steps

    @Override
    public void shuffle(RatingSet train, long seed) {
        CpuRatingSet t = cpu(train);
        int n = t.ratings.size();
        if (t.order == null) {
            t.order = new int[n];
            for (int j = 0; j < n; j++) {
                t.order[j] = j;
            }
        }
        // a fresh permutation from the identity, so the order depends on this seed alone
        int[] o = t.order;
        for (int j = 0; j < n; j++) {
            o[j] = j;
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int j = n - 1; j > 0; j--) {
            int s = rnd.nextInt(j + 1);
            int x = o[j];
            o[j] = o[s];
            o[s] = x;
        }
    }

    private void ensureScratch() {
        if (gP == null) {
            gP = new float[m.p.length];
            gQ = new float[m.q.length];
            gBu = new float[m.numUsers];
            gBi = new float[m.numItems];
            userStamp = new int[m.numUsers];
            itemStamp = new int[m.numItems];
            userOccurrences = new int[m.numUsers];
            itemOccurrences = new int[m.numItems];
            stamp = 0;
        }
    }

    /** Rows per ownership unit of the batch gradients (keeps two threads off one cache line). */
    private static final int OWNER_SHIFT = 6;

    /** The thread that owns {@code row} in a batch step with {@code threads} threads. */
    static int owner(int row, int threads) {
        return (row >>> OWNER_SHIFT) % threads;
    }

    /**
     * Accumulates half gradients of the batch's per-rating terms into gP/gQ/gBu/gBi and returns
     * the touched rows per thread: [thread] → {users..., items...} as two lists.
     *
     * <p>Two parallel passes: (1) contiguous ranges of the batch gather (u, i) and the residual e
     * into compact scratch arrays; (2) owner-computes: thread t owns the rows in units of 64
     * consecutive indices, unit ≡ t (mod threads), scans the compact batch and adds −e·q_i to its
     * users' g_p and −e·p_u to its items' g_q, counting each row's occurrences c; the
     * regularization part, c·λ·w·θ for each touched row, is added once per row at the end
     * (the same sum as adding λ·w·θ per rating). No atomics; the result does not depend on timing.
     */
    private int[][][] accumulate(CpuRatingSet t, int from, int to, Objective obj) {
        ensureScratch();
        Ratings r = t.ratings;
        int[] order = t.order;
        int count = to - from;
        if (residualScratch.length < count) {
            residualScratch = new float[count];
            batchUsers = new int[count];
            batchItems = new int[count];
        }
        final float[] e = residualScratch;
        final int[] bu = batchUsers;
        final int[] bi = batchItems;
        int threads = count < 8192 ? 1 : parallel.threads();
        parallel.forRange(count, threads, (th, a, b) -> {
            for (int j = a; j < b; j++) {
                int n = order == null ? from + j : order[from + j];
                int u = r.user(n);
                int i = r.item(n);
                bu[j] = u;
                bi[j] = i;
                e[j] = r.value(n) - predict(u, i);
            }
        });
        if (++stamp == Integer.MAX_VALUE) {
            Arrays.fill(userStamp, 0);
            Arrays.fill(itemStamp, 0);
            stamp = 1;
        }
        final int st = stamp;
        final int k = m.rank;
        float[] wu = t.userWeights(obj.regularization());
        float[] wi = t.itemWeights(obj.regularization());
        float lambda = (float) obj.lambda();
        float lambdaB = (float) obj.lambdaBias();
        boolean biases = obj.biases() && m.biases;
        final float[] p = m.p;
        final float[] q = m.q;
        int[][][] touched = new int[threads][][];
        parallel.forThreads(threads, th -> {
            IntList tu = new IntList();
            IntList ti = new IntList();
            for (int j = 0; j < count; j++) {
                int u = bu[j];
                int i = bi[j];
                float ej = e[j];
                if (owner(u, threads) == th) {
                    if (userStamp[u] != st) {
                        userStamp[u] = st;
                        userOccurrences[u] = 0;
                        tu.add(u);
                    }
                    userOccurrences[u]++;
                    // g/2 for p_u: −e q_i (+ λ w_u p_u per occurrence, added below)
                    CpuKernels.axpy(gP, u * k, -ej, q, i * k, k);
                    if (biases) {
                        gBu[u] -= ej;
                    }
                }
                if (owner(i, threads) == th) {
                    if (itemStamp[i] != st) {
                        itemStamp[i] = st;
                        itemOccurrences[i] = 0;
                        ti.add(i);
                    }
                    itemOccurrences[i]++;
                    CpuKernels.axpy(gQ, i * k, -ej, p, u * k, k);
                    if (biases) {
                        gBi[i] -= ej;
                    }
                }
            }
            int[] us = tu.toArray();
            int[] is = ti.toArray();
            for (int u : us) {
                float c = userOccurrences[u];
                CpuKernels.axpy(gP, u * k, c * lambda * wu[u], p, u * k, k);
                if (biases) {
                    gBu[u] += c * lambdaB * wu[u] * m.userBias[u];
                }
            }
            for (int i : is) {
                float c = itemOccurrences[i];
                CpuKernels.axpy(gQ, i * k, c * lambda * wi[i], q, i * k, k);
                if (biases) {
                    gBi[i] += c * lambdaB * wi[i] * m.itemBias[i];
                }
            }
            touched[th] = new int[][] {us, is};
        });
        return touched;
    }

    @Override
    public Gradient gradient(RatingSet train, int from, int to, Objective obj) {
        requireModel();
        CpuRatingSet t = cpu(train);
        checkRange(t, from, to);
        int[][][] touched = accumulate(t, from, to, obj);
        int k = m.rank;
        float[] dp = new float[m.p.length];
        float[] dq = new float[m.q.length];
        float[] dbu = new float[m.numUsers];
        float[] dbi = new float[m.numItems];
        for (int[][] tt : touched) {
            for (int u : tt[0]) {
                for (int c = 0; c < k; c++) {
                    dp[u * k + c] = 2 * gP[u * k + c];
                    gP[u * k + c] = 0;
                }
                dbu[u] = 2 * gBu[u];
                gBu[u] = 0;
            }
            for (int i : tt[1]) {
                for (int c = 0; c < k; c++) {
                    dq[i * k + c] = 2 * gQ[i * k + c];
                    gQ[i * k + c] = 0;
                }
                dbi[i] = 2 * gBi[i];
                gBi[i] = 0;
            }
        }
        return new Gradient(k, dp, dq, dbu, dbi);
    }

    private static void checkRange(CpuRatingSet t, int from, int to) {
        if (from < 0 || to > t.ratings.size() || from > to) {
            throw new IllegalArgumentException("batch [" + from + ", " + to + ") outside 0.." + t.ratings.size());
        }
    }

    @Override
    public void gradientStep(RatingSet train, int from, int to, Objective obj, OptimizerStep step) {
        requireModel();
        CpuRatingSet t = cpu(train);
        checkRange(t, from, to);
        int[][][] touched = accumulate(t, from, to, obj);
        ensureState(step.kind());
        boolean biases = obj.biases() && m.biases;
        parallel.forThreads(touched.length, th -> {
            int k = m.rank;
            for (int u : touched[th][0]) {
                applyRow(step, step.lr(), m.p, gP, mP, vP, u * k, k);
                if (biases) {
                    applyRow(step, step.lrBias(), m.userBias, gBu, mBu, vBu, u, 1);
                }
                gBu[u] = 0;
            }
            for (int i : touched[th][1]) {
                applyRow(step, step.lr(), m.q, gQ, mQ, vQ, i * k, k);
                if (biases) {
                    applyRow(step, step.lrBias(), m.itemBias, gBi, mBi, vBi, i, 1);
                }
                gBi[i] = 0;
            }
        });
    }

    private void ensureState(Optimizer kind) {
        if (kind != Optimizer.SGD && mP == null) {
            mP = new float[m.p.length];
            mQ = new float[m.q.length];
            mBu = new float[m.numUsers];
            mBi = new float[m.numItems];
        }
        if (kind == Optimizer.ADAM && vP == null) {
            vP = new float[m.p.length];
            vQ = new float[m.q.length];
            vBu = new float[m.numUsers];
            vBi = new float[m.numItems];
        }
    }

    /** Applies the optimizer to θ[o..o+len) with half gradient h = g[o..o+len), then clears g there. */
    private static void applyRow(OptimizerStep s, float lr, float[] theta, float[] g, float[] m1, float[] m2,
                                 int o, int len) {
        switch (s.kind()) {
            case SGD -> {
                for (int c = o; c < o + len; c++) {
                    theta[c] -= lr * g[c];
                    g[c] = 0;
                }
            }
            case MOMENTUM -> {
                float beta = s.momentum();
                for (int c = o; c < o + len; c++) {
                    m1[c] = beta * m1[c] + g[c];
                    theta[c] -= lr * m1[c];
                    g[c] = 0;
                }
            }
            case NESTEROV -> {
                float beta = s.momentum();
                for (int c = o; c < o + len; c++) {
                    m1[c] = beta * m1[c] + g[c];
                    theta[c] -= lr * (g[c] + beta * m1[c]);
                    g[c] = 0;
                }
            }
            case ADAM -> {
                float b1 = s.beta1();
                float b2 = s.beta2();
                float c1 = (float) (1 - Math.pow(b1, s.t()));
                float c2 = (float) (1 - Math.pow(b2, s.t()));
                for (int c = o; c < o + len; c++) {
                    float h = g[c];
                    m1[c] = b1 * m1[c] + (1 - b1) * h;
                    m2[c] = b2 * m2[c] + (1 - b2) * h * h;
                    theta[c] -= lr * (m1[c] / c1) / ((float) Math.sqrt(m2[c] / c2) + s.epsilon());
                    g[c] = 0;
                }
            }
            default -> throw new IllegalStateException();
        }
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

    /** A growable int list (no boxing). */
    static final class IntList {
        private int[] a = new int[16];
        private int n;

        void add(int x) {
            if (n == a.length) {
                a = Arrays.copyOf(a, n * 2);
            }
            a[n++] = x;
        }

        int[] toArray() {
            return Arrays.copyOf(a, n);
        }
    }
}
