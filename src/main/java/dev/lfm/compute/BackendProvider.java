package dev.lfm.compute;

import java.util.List;

/** Knows how to probe and open one kind of backend. */
public interface BackendProvider {
    /** "cpu", "opencl" or "cuda". */
    String name();

    /**
     * Probes once (implementations cache the answer): null when usable, otherwise the one-line
     * reason it is not (for example "no OpenCL platform found").
     */
    String unavailableReason();

    /**
     * Null when {@code auto} should pick this (available) backend; otherwise why auto passes it
     * over (for example: OpenCL with only a CPU device, where the native CPU backend is faster).
     * Naming the backend explicitly still opens it.
     */
    default String autoSkipReason() {
        return null;
    }

    /** Devices this backend can see, one line each (for {@code lfm devices}). */
    List<String> describeDevices();

    /** Opens the backend; throws {@link BackendUnavailableException} with one line if it cannot. */
    Backend open(BackendOptions options);
}
