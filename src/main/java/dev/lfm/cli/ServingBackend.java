package dev.lfm.cli;

import dev.lfm.compute.Backend;
import java.io.PrintWriter;
import picocli.CommandLine.Mixin;

/**
 * The backend of a serving command (fold-in, recommend --all-users|--users, evaluate --ranking), a
 * picocli mixin: {@code --backend}, {@code --verbose}, {@code --device}, {@code --threads}, checked
 * before anything is read and opened in one place.
 */
public final class ServingBackend {
    @Mixin
    BackendFlags flags;

    @Mixin
    DeviceOptions device;

    /** A known backend, {@code --device} only with opencl/cuda, float32 factors: one-line errors. */
    void check() {
        device.checkServing(flags);
    }

    /** Opens the chosen backend (auto's skips noted on {@code log} with --verbose only). */
    Backend open(PrintWriter log) {
        return flags.open(device, log);
    }

    /** CPU threads for the CPU paths. */
    int threads() {
        return device.threads;
    }
}
