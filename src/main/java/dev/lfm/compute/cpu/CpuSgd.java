package dev.lfm.compute.cpu;

import dev.lfm.compute.Optimizer;
import dev.lfm.data.Permutation;
import dev.lfm.model.FactorModel;
import dev.lfm.objective.Objective;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Per-rating SGD epochs on the CPU (the counterpart of {@code gpu/SgdKernels}): a conflict-free
 * block schedule ({@link SgdPlan}) with vectorized updates ({@link CpuKernels#sgdPair}); results
 * are independent of thread timing for a fixed thread count.
 *
 * <p>The visiting order is the plan's: blocks in a seeded random diagonal order each epoch;
 * inside a block, users' runs (all of a user's ratings in the block, in an order shuffled once
 * when the plan is built) taken two at a time, users ascending, the two runs' ratings alternating
 * (A₁ B₁ A₂ B₂ …, then the rest of the longer; for the widest register kernels, which are bound
 * by arithmetic, one run after the other: {@link CpuSgdKernels#interleaves}). p_u and b_u stay in
 * registers across a run, and the two users' independent dependency chains overlap in the core.
 *
 * <p>Rows are dealt to blocks in chunks of neighbouring indices ({@link SgdPlan}), so threads on
 * different blocks do not write the same cache lines.
 *
 * <p>{@link Optimizer#ADAGRAD} walks the same order with {@link CpuKernels#adagradPair}
 * (p_u, G_u and H_u register-resident for a run as for SGD; G_i, H_i read and written per rating).
 * The kernel is chosen per k ({@link CpuSgdKernels#choose}): a species and vector count that keep
 * p_u in registers for 4 ≤ k ≤ 8·L (AdaGrad: 4·L), else a vectorized loop.
 */
final class CpuSgd {
    private final Parallel parallel;
    /**
     * AdaGrad state per row, (G, H) at [2·row], [2·row + 1] (factor and bias), allocated on the
     * first {@link Optimizer#ADAGRAD} epoch, reset to 1 by {@link #reset}.
     */
    private float[] adaUsers;
    private float[] adaItems;

    CpuSgd(Parallel parallel) {
        this.parallel = parallel;
    }

    /**
     * Blocks per side of the SGD grid: 1 for one thread, else the least multiple of the thread
     * count from 2·threads (every diagonal has twice as many blocks as threads, which evens out
     * block sizes) at which one block's item rows, numItems·k floats / grid, fit in
     * {@link #BLOCK_BYTES} (a core's cache: past it, per-rating SGD waits on the next level; at
     * k = 128 on 20k items, 8 blocks instead of 4 took 14% off the epoch), at most 8·threads. The
     * system property {@code lfm.cpu.sgdGrid} overrides it (benchmarks). Results depend on the
     * grid.
     */
    static int sgdGrid(int threads, int numItems, int k) {
        Integer forced = Integer.getInteger("lfm.cpu.sgdGrid");
        if (forced != null && forced >= 1 && (forced >= threads || forced == 1)) {
            return forced;
        }
        if (threads == 1) {
            return 1;
        }
        long itemBytes = 4L * numItems * k;
        int grid = 2 * threads;
        while (grid < 8 * threads && itemBytes / grid > BLOCK_BYTES) {
            grid += threads;
        }
        return grid;
    }

    /** The item rows one block may hold before the grid grows ({@link #sgdGrid}): 1.5 MiB. */
    static final long BLOCK_BYTES = 3L << 19;

    /** Restarts the AdaGrad schedule (G = H = 1 for every row) for a new model; drops it if the shape changed. */
    void reset(FactorModel m) {
        lastSse = Double.NaN;
        if (adaUsers != null && adaUsers.length == 2 * m.numUsers && adaItems.length == 2 * m.numItems) {
            Arrays.fill(adaUsers, 1f);
            Arrays.fill(adaItems, 1f);
        } else {
            adaUsers = adaItems = null;
        }
    }

    /**
     * One epoch of {@link dev.lfm.compute.Backend#sgdEpoch}'s update with step rule {@code rule}
     * ({@link Optimizer#SGD} or {@link Optimizer#ADAGRAD}) over the plan's order.
     */
    void epoch(FactorModel m, CpuRatingSet t, Objective obj, Optimizer rule, float lr, float lrBias, long seed) {
        if (!rule.perRating()) {
            throw new IllegalArgumentException(rule.label() + " is not a per-rating SGD rule");
        }
        if (rule == Optimizer.ADAGRAD && adaUsers == null) {
            adaUsers = new float[2 * m.numUsers];
            adaItems = new float[2 * m.numItems];
            Arrays.fill(adaUsers, 1f);
            Arrays.fill(adaItems, 1f);
        }
        final float[] gu = rule == Optimizer.ADAGRAD ? adaUsers : null;
        final float[] gi = rule == Optimizer.ADAGRAD ? adaItems : null;
        int threads = parallel.threads();
        int grid = sgdGrid(threads, m.numItems, m.rank);
        if (t.sgdPlan == null || t.sgdPlan.grid != grid) {
            // the within-block shuffle is fixed at the plan's creation (from the first epoch's seed)
            t.sgdPlan = new SgdPlan(t.ratings, grid, seed, parallel);
        }
        SgdPlan plan = t.sgdPlan;
        float[] wu = t.userWeights(obj.regularization());
        float[] wi = t.itemWeights(obj.regularization());
        float lambda = (float) obj.lambda();
        float lambdaB = (float) obj.lambdaBias();
        boolean biases = obj.biases() && m.biases;
        final int kernel = rule == Optimizer.ADAGRAD ? CpuSgdKernels.chooseAdagrad(m.rank) : CpuSgdKernels.choose(m.rank);
        double[] sse = new double[threads];
        SplittableRandom rnd = new SplittableRandom(seed);
        int[] diagonalOrder = Permutation.random(grid, rnd);
        int[] columnLabel = Permutation.random(grid, rnd);
        for (int d = 0; d < grid; d++) {
            int r = diagonalOrder[d];
            parallel.forThreads(Math.min(threads, grid), th -> {
                for (int b = th; b < grid; b += threads) {
                    int cb = columnLabel[(b + r) % grid];
                    sse[th] += block(kernel, m, plan, b * grid + cb, wu, wi, lr, lrBias, lambda, lambdaB, biases,
                            gu, gi);
                }
            });
        }
        double total = 0;
        for (double s : sse) {
            total += s;
        }
        lastSse = total;
    }

    /** Σe² of the last {@link #epoch}'s updates (pre-update residuals); NaN before the first. */
    double lastSse() {
        return lastSse;
    }

    private double lastSse = Double.NaN;

    /** One block's runs, two at a time; AdaGrad when {@code gu} (and {@code gi}) are given; returns Σe². */
    private double block(int kernel, FactorModel m, SgdPlan plan, int blk, float[] wu, float[] wi, float lr, float lrBias,
                       float lambda, float lambdaB, boolean biases, float[] gu, float[] gi) {
        final int k = m.rank;
        final float[] p = m.p;
        final float[] q = m.q;
        final float[] bu = m.userBias;
        final float[] bi = m.itemBias;
        final float mu = m.mu;
        final int[] runUser = plan.runUser;
        final int[] runStart = plan.runStart;
        float touched = 0f;
        double sse = 0;
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
            int uB = pair ? runUser[run + 1] : -1;
            int b = pair ? runStart[run + 1] : 0;
            int endB = pair ? runStart[run + 2] : 0;
            if (gu == null) {
                sse += CpuKernels.sgdPair(kernel, p, q, k, items, values, mu, bu, bi, wu, wi, lr, lrBias, lambda, lambdaB, biases,
                        runUser[run], runStart[run], runStart[run + 1], uB, b, endB);
            } else {
                sse += CpuKernels.adagradPair(kernel, p, q, k, items, values, mu, bu, bi, wu, wi, lr, lrBias, lambda, lambdaB,
                        biases, gu, gi, runUser[run], runStart[run], runStart[run + 1], uB, b, endB);
            }
        }
        prefetchSink = touched;
        return sse;
    }

    /** Keeps the prefetching loads of {@link #block} alive (never read). */
    @SuppressWarnings("unused")
    private volatile float prefetchSink;
}
