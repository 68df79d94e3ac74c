package dev.lfm.compute.gpu;

/**
 * What every accelerator's {@link Accelerator.Buffer} shares: the API's handle of the memory
 * ({@code H}: cl_mem, CUdeviceptr), its size and a close that frees the device memory once,
 * however often it is called.
 */
public abstract class DeviceBuffer<H> implements Accelerator.Buffer {
    private final H handle;
    private final long bytes;
    private boolean released;

    protected DeviceBuffer(H handle, long bytes) {
        this.handle = handle;
        this.bytes = bytes;
    }

    /** The API's handle of the memory. */
    public final H handle() {
        return handle;
    }

    @Override
    public final long bytes() {
        return bytes;
    }

    /** Whether {@link #close()} has run. */
    public final boolean released() {
        return released;
    }

    @Override
    public final void close() {
        if (!released) {
            released = true;
            release();
        }
    }

    /** Frees the device memory and forgets the buffer; called once, by the first {@link #close()}. */
    protected abstract void release();
}
