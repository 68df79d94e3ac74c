package dev.lfm.compute.gpu;

/**
 * What every accelerator's {@link Accelerator.Buffer} shares: its size and a close that frees the
 * device memory once, however often it is called.
 */
public abstract class DeviceBuffer implements Accelerator.Buffer {
    private final long bytes;
    private boolean released;

    protected DeviceBuffer(long bytes) {
        this.bytes = bytes;
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
