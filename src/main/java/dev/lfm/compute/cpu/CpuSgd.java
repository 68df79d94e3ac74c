package dev.lfm.compute.cpu;

import dev.lfm.data.Permutation;
import dev.lfm.model.FactorModel;
import dev.lfm.objective.Objective;
import java.util.SplittableRandom;

/**
 * Per-rating SGD epochs on the CPU (the counterpart of {@code gpu/SgdKernels}): a conflict-free
 * block schedule ({@link SgdPlan}) with vectorized updates ({@link CpuKernels#sgdPair}); results
 * are independent of thread timing for a fixed thread count.
 *
 * <p>The visiting order is the plan's: blocks in a seeded random diagonal order each epoch;
 * inside a block, users' runs (all of a user's ratings in the block, in an order shuffled once
 * when the plan is built) taken two at a time, users ascending, the two runs' ratings alternating
 * (A₁ B₁ A₂ B₂ …, then the rest of the longer). p_u and b_u stay in registers across a run, and
 * the two users' independent dependency chains overlap in the core.
 */
final class CpuSgd {
    private final Parallel parallel;

    CpuSgd(Parallel parallel) {
        this.parallel = parallel;
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

    /** One epoch of {@link dev.lfm.compute.Backend#sgdEpoch}'s rule over the plan's order. */
    void epoch(FactorModel m, CpuRatingSet t, Objective obj, float lr, float lrBias, long seed) {
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
        int[] diagonalOrder = Permutation.random(grid, rnd);
        int[] columnLabel = Permutation.random(grid, rnd);
        for (int d = 0; d < grid; d++) {
            int r = diagonalOrder[d];
            parallel.forThreads(Math.min(threads, grid), th -> {
                for (int b = th; b < grid; b += threads) {
                    int cb = columnLabel[(b + r) % grid];
                    block(m, plan, b * grid + cb, wu, wi, lr, lrBias, lambda, lambdaB, biases);
                }
            });
        }
    }

    private void block(FactorModel m, SgdPlan plan, int blk, float[] wu, float[] wi, float lr, float lrBias,
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

    /** Keeps the prefetching loads of {@link #block} alive (never read). */
    @SuppressWarnings("unused")
    private volatile float prefetchSink;
}
