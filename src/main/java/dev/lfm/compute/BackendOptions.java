package dev.lfm.compute;

/**
 * How to open a backend.
 *
 * @param threads CPU threads (0 = all available processors)
 * @param device device index for OpenCL/CUDA (-1 = prefer the first GPU)
 */
public record BackendOptions(int threads, int device) {
    public static BackendOptions defaults() {
        return new BackendOptions(0, -1);
    }

    public int resolvedThreads() {
        return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    }
}
