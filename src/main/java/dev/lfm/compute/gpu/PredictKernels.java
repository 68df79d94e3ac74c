package dev.lfm.compute.gpu;

import dev.lfm.compute.gpu.Accelerator.Buffer;
import dev.lfm.compute.gpu.Accelerator.Kernel;
import dev.lfm.compute.gpu.Accelerator.Program;

/** The residual kernels of {@code kernels/predict.cl}: e = r − r̂ per rating. */
public final class PredictKernels extends KernelFamily {
    public static final String FILE = "predict.cl";
    public static final String RESIDUALS = "residuals";
    public static final String RESIDUALS_ORDERED = "residuals_ordered";
    /** Work-group size of the one-work-item-per-rating launches. */
    static final int LOCAL = 128;

    private final Kernel residuals = kernel(RESIDUALS);
    private final Kernel residualsOrdered = kernel(RESIDUALS_ORDERED);

    PredictKernels(Accelerator acc, Program program) {
        super(acc, program);
    }

    /** e[n] for n < set size. Geometry: one work-item per rating, groups of {@link #LOCAL}. */
    void residuals(GpuRatingSet s, DeviceModel m, Buffer e) {
        acc.launch(residuals, s.size(), LOCAL, s.size(), s.users, s.items, s.values, m.p, m.q, m.bu, m.bi,
                m.mu, m.rank, m.biases ? 1 : 0, e);
    }

    /** e[j] for the ratings at positions [from, from+count) of the set's order. Same geometry. */
    void residualsOrdered(GpuRatingSet s, int from, int count, DeviceModel m, Buffer e) {
        acc.launch(residualsOrdered, count, LOCAL, from, count, s.order(), s.users, s.items, s.values, m.p, m.q,
                m.bu, m.bi, m.mu, m.rank, m.biases ? 1 : 0, e);
    }
}
