package dev.lfm.compute;

/**
 * How to open a backend.
 *
 * @param threads CPU threads (0 = all available processors)
 * @param device device index for OpenCL/CUDA (-1 = prefer the first GPU)
 * @param halfFactors SGD epochs store P and Q as fp16 (OpenCL/CUDA only; arithmetic stays float)
 */
public record BackendOptions(int threads, int device, boolean halfFactors) {
    /** The message a backend without half-precision factor storage fails with. */
    public static final String HALF_IS_GPU_ONLY = "half-precision factor storage is a GPU option (opencl, cuda)";

    /** Float factor storage. */
    public BackendOptions(int threads, int device) {
        this(threads, device, false);
    }

    public static BackendOptions defaults() {
        return new BackendOptions(0, -1);
    }

    public int resolvedThreads() {
        return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    }
}
