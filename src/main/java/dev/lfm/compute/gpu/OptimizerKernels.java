package dev.lfm.compute.gpu;

import dev.lfm.compute.OptimizerStep;
import dev.lfm.compute.gpu.Accelerator.Buffer;
import dev.lfm.compute.gpu.Accelerator.Kernel;
import dev.lfm.compute.gpu.Accelerator.Program;

/**
 * The optimizer kernels of {@code kernels/optimizer.cl}: one step of plain, momentum, Nesterov or
 * Adam on the touched rows of one side, clearing their accumulators and marks.
 */
public final class OptimizerKernels extends KernelFamily {
    public static final String FILE = "optimizer.cl";
    public static final String OPT_PLAIN = "opt_plain";
    public static final String OPT_MOMENTUM = "opt_momentum";
    public static final String OPT_NESTEROV = "opt_nesterov";
    public static final String OPT_ADAM = "opt_adam";
    static final int LOCAL = 128;

    private final Kernel plain = kernel(OPT_PLAIN);
    private final Kernel momentum = kernel(OPT_MOMENTUM);
    private final Kernel nesterov = kernel(OPT_NESTEROV);
    private final Kernel adam = kernel(OPT_ADAM);

    OptimizerKernels(Accelerator acc, Program program) {
        super(acc, program);
    }

    /** One side's parameters, accumulators and optimizer state (m1/m2 null when unused). */
    record Side(Buffer theta, Buffer g, Buffer thetaB, Buffer gB, Buffer m1, Buffer m1B, Buffer m2, Buffer m2B,
                Buffer mark) {
    }

    /**
     * Applies {@code step} to the first touchedCount[slot] rows of {@code touched}.
     * Geometry: one work-item per (row, component) of bound ≥ the touched count rows: bound × k.
     */
    void step(OptimizerStep step, int bound, Buffer touched, Buffer touchedCount, int slot, int k, boolean useBias,
              Side s) {
        long work = (long) bound * k;
        int ub = useBias ? 1 : 0;
        switch (step.kind()) {
            case SGD -> acc.launch(plain, work, LOCAL, bound, touched, touchedCount, slot, k, step.lr(),
                    step.lrBias(), ub, s.theta(), s.g(), s.thetaB(), s.gB(), s.mark());
            case MOMENTUM -> acc.launch(momentum, work, LOCAL, bound, touched, touchedCount, slot, k, step.lr(),
                    step.lrBias(), ub, step.momentum(), s.theta(), s.g(), s.m1(), s.thetaB(), s.gB(), s.m1B(),
                    s.mark());
            case NESTEROV -> acc.launch(nesterov, work, LOCAL, bound, touched, touchedCount, slot, k, step.lr(),
                    step.lrBias(), ub, step.momentum(), s.theta(), s.g(), s.m1(), s.thetaB(), s.gB(), s.m1B(),
                    s.mark());
            case ADAM -> {
                float c1 = (float) (1 - Math.pow(step.beta1(), step.t()));
                float c2 = (float) (1 - Math.pow(step.beta2(), step.t()));
                acc.launch(adam, work, LOCAL, bound, touched, touchedCount, slot, k, step.lr(), step.lrBias(), ub,
                        step.beta1(), step.beta2(), step.epsilon(), c1, c2, s.theta(), s.g(), s.m1(), s.m2(),
                        s.thetaB(), s.gB(), s.m1B(), s.m2B(), s.mark());
            }
            default -> throw new IllegalStateException("unknown optimizer " + step.kind());
        }
    }
}
