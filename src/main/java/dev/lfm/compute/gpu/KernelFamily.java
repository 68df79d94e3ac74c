package dev.lfm.compute.gpu;

import dev.lfm.compute.gpu.Accelerator.Kernel;
import dev.lfm.compute.gpu.Accelerator.Program;

/**
 * The base of the per-family kernel classes ({@link SgdKernels}, {@link GradientKernels}, …): the
 * accelerator they launch on and the program their kernels come from, so each family declares
 * its handles as {@code private final Kernel x = kernel(X);}.
 */
abstract class KernelFamily {
    final Accelerator acc;
    private final Program program;

    KernelFamily(Accelerator acc, Program program) {
        this.acc = acc;
        this.program = program;
    }

    /** The handle of kernel {@code name} of the program. */
    final Kernel kernel(String name) {
        return acc.kernel(program, name);
    }
}
