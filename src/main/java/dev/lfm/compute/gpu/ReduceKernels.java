package dev.lfm.compute.gpu;

import dev.lfm.compute.gpu.Accelerator.Buffer;
import dev.lfm.compute.gpu.Accelerator.Kernel;
import dev.lfm.compute.gpu.Accelerator.Program;

/**
 * The reductions of {@code kernels/reduce.cl}: squared error, regularization penalty, clipped
 * evaluation sums. Each work-group writes one (or two) float partials; the host adds them in
 * double.
 */
public final class ReduceKernels extends KernelFamily {
    public static final String FILE = "reduce.cl";
    public static final String SSE_PARTIALS = "sse_partials";
    public static final String PENALTY_PARTIALS = "penalty_partials";
    public static final String EVAL_PARTIALS = "eval_partials";
    /** REDUCE_WG of common.h: the work-group size of every reduction (a power of two). */
    public static final int WG = 256;
    /** At most this many groups (so ≤ 2·MAX_GROUPS partials come back). */
    static final int MAX_GROUPS = 1024;

    private final Kernel sse = kernel(SSE_PARTIALS);
    private final Kernel penalty = kernel(PENALTY_PARTIALS);
    private final Kernel eval = kernel(EVAL_PARTIALS);
    private final Buffer partials;
    private final float[] host = new float[2 * MAX_GROUPS];

    ReduceKernels(Accelerator acc, Program program) {
        super(acc, program);
        this.partials = acc.alloc(2L * MAX_GROUPS * Float.BYTES);
    }

    /** Groups for n elements: one element per work-item up to MAX_GROUPS groups, then grid-stride. */
    static int groups(long n) {
        return (int) Math.min(MAX_GROUPS, (n + WG - 1) / WG);
    }

    /** Σ (r − r̂)² over the set. Geometry: groups(n) × WG. */
    double sse(GpuRatingSet s, DeviceModel m) {
        int g = groups(s.size());
        if (g == 0) {
            return 0;
        }
        acc.launch(sse, (long) g * WG, WG, s.size(), s.users, s.items, s.values, m.p, m.q, m.bu, m.bi, m.mu,
                m.rank, m.biases ? 1 : 0, partials);
        return sum(g, 1)[0];
    }

    /** {Σ c‖F_r‖², Σ c b_r²} over rows. Geometry: groups(rows) × WG. */
    double[] penalty(int rows, Buffer f, Buffer b, Buffer counts, int k, boolean weighted) {
        int g = groups(rows);
        if (g == 0) {
            return new double[2];
        }
        acc.launch(penalty, (long) g * WG, WG, rows, f, b, counts, k, weighted ? 1 : 0, partials);
        return sum(g, 2);
    }

    /** {Σ e², Σ |e|} of clipped predictions. Geometry: groups(n) × WG. */
    double[] eval(GpuRatingSet s, DeviceModel m) {
        int g = groups(s.size());
        if (g == 0) {
            return new double[2];
        }
        acc.launch(eval, (long) g * WG, WG, s.size(), s.users, s.items, s.values, m.p, m.q, m.bu, m.bi, m.mu,
                m.rank, m.biases ? 1 : 0, m.minRating, m.maxRating, partials);
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
