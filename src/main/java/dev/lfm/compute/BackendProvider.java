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

    /** Devices this backend can see, one line each (for {@code lfm devices}). */
    List<String> describeDevices();

    /** Opens the backend; throws {@link BackendUnavailableException} with one line if it cannot. */
    Backend open(BackendOptions options);
}
