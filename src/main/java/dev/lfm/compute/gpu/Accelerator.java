package dev.lfm.compute.gpu;

import java.util.List;

/**
 * The small device API that {@link GpuBackend} is written against once, implemented over OpenCL
 * (JOCL) and CUDA (JCuda). One accelerator is one device with one in-order queue; it is used by
 * one thread at a time. Transfers are blocking; launches are queued in order and
 * {@link #finish()} waits for them.
 *
 * <p>Kernel arguments are passed as Java objects and mapped by type: {@link Buffer} → device
 * pointer, {@link Integer} → 32-bit int (also for {@code uint} parameters), {@link Long} →
 * 64-bit {@code long}, {@link Float} → float.
 */
public interface Accelerator extends AutoCloseable {

    /** Device memory; released by {@link #close()}. */
    interface Buffer extends AutoCloseable {
        long bytes();

        @Override
        void close();
    }

    /** A compiled set of kernels (the kernel files listed to {@link #build}). */
    interface Program {
    }

    /** One entry point of a program. */
    interface Kernel {
        String name();
    }

    /** "opencl" or "cuda". */
    String api();

    /** One line: device name, type, memory, API version. */
    String device();

    /**
     * What sizes launches on the device: compute units (OpenCL) or multiprocessors (CUDA), global
     * memory, whether it is a CPU (e.g. PoCL: kernels then prefer fewer cooperating lanes), and
     * the largest work-group (block) it accepts.
     */
    record Limits(int computeUnits, long globalMemoryBytes, boolean cpuDevice, int maxWorkGroupSize) {
    }

    /** The device's {@link Limits}, read once when the accelerator was opened. */
    Limits limits();

    /** Compute units (OpenCL) or multiprocessors (CUDA). */
    default int computeUnits() {
        return limits().computeUnits();
    }

    default long globalMemoryBytes() {
        return limits().globalMemoryBytes();
    }

    /** Whether the device is a CPU (e.g. PoCL): kernels then prefer fewer cooperating lanes. */
    default boolean cpuDevice() {
        return limits().cpuDevice();
    }

    /** Largest work-group (block) size the device accepts. */
    default int maxWorkGroupSize() {
        return limits().maxWorkGroupSize();
    }

    /**
     * How many work-groups of {@code localSize} work-items of {@code kernel} one compute unit runs
     * at once (at least 1). CUDA: {@code cuOccupancyMaxActiveBlocksPerMultiprocessor} (registers,
     * shared memory, block limits). OpenCL has no occupancy query: the kernel's
     * {@code CL_KERNEL_WORK_GROUP_SIZE} (the largest group its resources allow) divided by
     * {@code localSize}. Launches that want one full wave size their grid from this.
     */
    int groupsPerUnit(Kernel kernel, int localSize);

    /** Allocates {@code bytes} (at least 4) of uninitialized device memory. */
    Buffer alloc(long bytes);

    /**
     * Blocking copy of {@code count} 4-byte elements between {@code host[from..]}, a
     * {@code float[]} or an {@code int[]}, and the buffer at {@code offsetBytes}: host to device
     * when {@code toDevice}, else device to host. The typed {@code upload}/{@code download}
     * methods below are this one call; an accelerator implements only it.
     */
    void copy(boolean toDevice, Buffer b, long offsetBytes, Object host, int from, int count);

    /** Fills {@code bytes} bytes from {@code offsetBytes} with a repeated 32-bit pattern. */
    void fill(Buffer dst, int pattern, long offsetBytes, long bytes);

    /**
     * Compiles the kernel files (resource names under {@code /kernels/}, e.g. "sgd.cl") together
     * with {@code common.h}, which the accelerator prepends in its own dialect.
     */
    Program build(List<String> files);

    Kernel kernel(Program program, String name);

    /**
     * Queues a 1-D launch of {@code workItems} work-items in groups of {@code localSize}; the
     * global size is rounded up to a multiple of {@code localSize} (kernels bound-check), and
     * nothing is queued when {@code workItems} is 0.
     */
    void launch(Kernel kernel, long workItems, int localSize, Object... args);

    /** Waits for everything queued. */
    void finish();

    @Override
    void close();

    // ---- conveniences

    default void upload(Buffer dst, long dstOffsetBytes, float[] src, int from, int count) {
        copy(true, dst, dstOffsetBytes, src, from, count);
    }

    default void upload(Buffer dst, long dstOffsetBytes, int[] src, int from, int count) {
        copy(true, dst, dstOffsetBytes, src, from, count);
    }

    default void download(Buffer src, long srcOffsetBytes, float[] dst, int from, int count) {
        copy(false, src, srcOffsetBytes, dst, from, count);
    }

    default void download(Buffer src, long srcOffsetBytes, int[] dst, int from, int count) {
        copy(false, src, srcOffsetBytes, dst, from, count);
    }

    default void upload(Buffer dst, float[] src) {
        upload(dst, 0, src, 0, src.length);
    }

    default void upload(Buffer dst, int[] src) {
        upload(dst, 0, src, 0, src.length);
    }

    default void fill(Buffer dst, int pattern) {
        fill(dst, pattern, 0, dst.bytes());
    }

    default void fill(Buffer dst, float value) {
        fill(dst, Float.floatToRawIntBits(value), 0, dst.bytes());
    }
}
