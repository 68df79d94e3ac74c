package dev.lfm.compute.gpu;

import dev.lfm.compute.gpu.Accelerator.Buffer;
import dev.lfm.compute.gpu.Accelerator.Kernel;
import dev.lfm.compute.gpu.Accelerator.Program;

/**
 * The reductions of {@code kernels/reduce.cl}: the three error sums of one pass over a rating set
 * (unclipped squared error for the objective, clipped squared and absolute error for RMSE/MAE)
 * and the regularization penalty. Each work-group writes a few float partials; the host adds them
 * in double. Ratings (rows) are read lane-strided: {@link SgdKernels#lanes} lanes per rating on a
 * GPU (coalesced factor reads), one on a CPU device.
 */
public final class ReduceKernels extends KernelFamily {
    public static final String FILE = "reduce.cl";
    public static final String ERROR_PARTIALS = "error_partials";
    public static final String PENALTY_PARTIALS = "penalty_partials";
    /** REDUCE_WG of common.h: the work-group size of every reduction (a power of two). */
    public static final int WG = 256;
    /** At most this many groups (so ≤ 3·MAX_GROUPS partials come back). */
    static final int MAX_GROUPS = 1024;

    private final Kernel errors = kernel(ERROR_PARTIALS);
    private final Kernel penalty = kernel(PENALTY_PARTIALS);
    private final Buffer partials;
    private final float[] host = new float[3 * MAX_GROUPS];
    private int forcedLanes;

    ReduceKernels(Accelerator acc, Program program) {
        super(acc, program);
        this.partials = acc.alloc(3L * MAX_GROUPS * Float.BYTES);
    }

    /** Lanes per rating or row: SgdKernels.lanes(k) on a GPU, 1 on a CPU device. */
    int lanes(int k) {
        return forcedLanes > 0 ? forcedLanes : acc.cpuDevice() ? 1 : SgdKernels.lanes(k);
    }

    /** Forces the lanes per rating (a power of two 1..32; 0 = automatic): tests. */
    void forceLanes(int lanes) {
        this.forcedLanes = lanes;
    }

    /**
     * Groups for n elements taken by WG/lanes slots per group: one element per slot up to
     * MAX_GROUPS groups, then grid-stride.
     */
    static int groups(long n, int lanes) {
        long slots = WG / lanes;
        return (int) Math.min(MAX_GROUPS, (n + slots - 1) / slots);
    }

    /**
     * {Σ e², Σ e_clipped², Σ |e_clipped|} over the set in one pass (e = r − r̂; clipped: r̂ clipped
     * to the model's rating range). Geometry: groups(n, lanes) × WG.
     */
    double[] errors(GpuRatingSet s, DeviceModel m) {
        int lanes = lanes(m.rank);
        int g = groups(s.size(), lanes);
        if (g == 0) {
            return new double[3];
        }
        acc.launch(errors, (long) g * WG, WG, s.size(), s.users, s.items, s.values, m.p, m.q, m.bu, m.bi, m.mu,
                m.rank, m.biases ? 1 : 0, m.minRating, m.maxRating, lanes, partials);
        return sum(g, 3);
    }

    /** {Σ c‖F_r‖², Σ c b_r²} over rows. Geometry: groups(rows, lanes) × WG. */
    double[] penalty(int rows, Buffer f, Buffer b, Buffer counts, int k, boolean weighted) {
        int lanes = lanes(k);
        int g = groups(rows, lanes);
        if (g == 0) {
            return new double[2];
        }
        acc.launch(penalty, (long) g * WG, WG, rows, f, b, counts, k, weighted ? 1 : 0, lanes, partials);
        return sum(g, 2);
    }

    /** Poisons the partials (tests: a group that fails to write shows up as NaN). */
    void poison() {
        acc.fill(partials, Float.NaN);
    }

    private double[] sum(int groups, int width) {
        acc.download(partials, 0, host, 0, groups * width);
        double[] s = new double[width];
        for (int g = 0; g < groups; g++) {
            for (int w = 0; w < width; w++) {
                s[w] += host[g * width + w];
            }
        }
        return s;
    }

    void close() {
        partials.close();
    }
}
