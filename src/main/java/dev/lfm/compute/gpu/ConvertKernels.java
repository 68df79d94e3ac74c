package dev.lfm.compute.gpu;

import dev.lfm.compute.gpu.Accelerator.Buffer;
import dev.lfm.compute.gpu.Accelerator.Kernel;
import dev.lfm.compute.gpu.Accelerator.Program;

/** float ↔ fp16 copies of factor matrices ({@code kernels/convert.cl}), for half-precision SGD epochs. */
public final class ConvertKernels extends KernelFamily {
    public static final String FILE = "convert.cl";
    public static final String FLOAT_TO_HALF = "float_to_half";
    public static final String HALF_TO_FLOAT = "half_to_float";
    private static final int LOCAL = 256;

    private final Kernel toHalf = kernel(FLOAT_TO_HALF);
    private final Kernel toFloat = kernel(HALF_TO_FLOAT);

    ConvertKernels(Accelerator acc, Program program) {
        super(acc, program);
    }

    /** Queues dst[j] ← fp16(src[j]) (round to nearest even) for j &lt; n. */
    void toHalf(Buffer src, Buffer dst, long n) {
        acc.launch(toHalf, n, LOCAL, n, src, dst);
    }

    /** Queues dst[j] ← float(src[j]) (exact) for j &lt; n. */
    void toFloat(Buffer src, Buffer dst, long n) {
        acc.launch(toFloat, n, LOCAL, n, src, dst);
    }
}
