package dev.lfm.compute.gpu;

import dev.lfm.compute.gpu.Accelerator.Buffer;
import dev.lfm.compute.gpu.Accelerator.Kernel;
import dev.lfm.compute.gpu.Accelerator.Program;

/**
 * The batch-gradient kernels of {@code kernels/gradient.cl}: half gradients accumulated into
 * {@link Accumulators}, either by float atomics ({@value #GRAD_SCATTER}, any batch of the order)
 * or by CSR/CSC segments ({@value #GRAD_ROWS}, full batch, no atomics).
 *
 * <p>Choice, measured on PoCL 3.1 (2-core AMD EPYC, a shared and loaded machine; 300k random
 * ratings, 6000 × 4000, k = 32; one full-batch plain step including residuals and the optimizer):
 * atomics 79–127 ms, segments 14–25 ms, about 5× faster: the compare-and-swap loop that OpenCL 1.2
 * needs for float atomics dominates. Full batches therefore use segments (deterministic too);
 * mini-batches of a shuffled order use atomics, since a segment index per batch would need a
 * sort per step.
 */
public final class GradientKernels extends KernelFamily {
    public static final String FILE = "gradient.cl";
    public static final String GRAD_SCATTER = "grad_scatter";
    public static final String GRAD_ROWS = "grad_rows";
    static final int LOCAL = 128;
    /** Whether a full batch uses {@value #GRAD_ROWS} (segments) rather than {@value #GRAD_SCATTER}. */
    public static final boolean FULL_BATCH_SEGMENTS = true;

    private final Kernel scatter = kernel(GRAD_SCATTER);
    private final Kernel rows = kernel(GRAD_ROWS);

    GradientKernels(Accelerator acc, Program program) {
        super(acc, program);
    }

    /**
     * Atomic scatter of the batch at positions [from, from+count) of the order, residuals in e.
     * Geometry: one work-item per (rating, component): count × k, groups of {@link #LOCAL}.
     */
    void scatter(GpuRatingSet s, int from, int count, DeviceModel m, Buffer e, float lambda, float lambdaBias,
                 boolean weighted, boolean useBias, Accumulators a) {
        acc.launch(scatter, (long) count * m.rank, LOCAL, from, count, s.order(), s.users, s.items, s.userCounts,
                s.itemCounts, e, m.p, m.q, m.bu, m.bi, m.rank, lambda, lambdaBias, weighted ? 1 : 0,
                useBias ? 1 : 0, a.gP, a.gQ, a.gBu, a.gBi, a.markU, a.markI, a.touchedU, a.touchedI,
                a.touchedCount);
    }

    /**
     * Full-batch half gradients by segments, residuals e in the set's own order. Overwrites every
     * row of the accumulators. Geometry: one work-item per (row, component): rows × k per side.
     */
    void rows(GpuRatingSet s, DeviceModel m, Buffer e, float lambda, float lambdaBias, boolean weighted,
              boolean useBias, Accumulators a) {
        GpuRatingSet.Segments byUser = s.segments(0);
        GpuRatingSet.Segments byItem = s.segments(1);
        acc.launch(rows, (long) m.numUsers * m.rank, LOCAL, m.numUsers, byUser.ptr(), byUser.pos(), s.items, e,
                m.p, m.q, m.bu, m.rank, lambda, lambdaBias, weighted ? 1 : 0, useBias ? 1 : 0, a.gP, a.gBu);
        acc.launch(rows, (long) m.numItems * m.rank, LOCAL, m.numItems, byItem.ptr(), byItem.pos(), s.users, e,
                m.q, m.p, m.bi, m.rank, lambda, lambdaBias, weighted ? 1 : 0, useBias ? 1 : 0, a.gQ, a.gBi);
    }
}
