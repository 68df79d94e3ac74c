package dev.lfm.cli;

import dev.lfm.compute.Backend;
import dev.lfm.compute.BackendOptions;
import dev.lfm.compute.BackendProvider;
import dev.lfm.compute.Backends;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import picocli.CommandLine.Option;

/**
 * The backend choice (a picocli mixin): one backend, or auto, for the commands that train; a
 * comma-separated list (default all) for verify and devices.
 */
public final class BackendFlags {
    @Option(names = "--backend", paramLabel = "NAME", description = "auto|cpu|opencl|cuda (auto tries cuda, then opencl, "
            + "then cpu; the default). verify and devices: a comma-separated list (default: all).")
    public String backend;

    @Option(names = "--verbose", description = "Say why --backend auto skipped a backend (CUDA, OpenCL not found); verify and devices always say.")
    public boolean verbose;

    /** The one backend named, or "auto". */
    public String name() {
        return backend == null ? "auto" : backend.trim();
    }

    /** The providers named (all when none is), in auto order; an unknown name is a one-line error. */
    public List<BackendProvider> providers() {
        if (backend == null || backend.isBlank()) {
            return Backends.providers();
        }
        List<String> names = new ArrayList<>();
        for (String n : backend.split(",")) {
            names.add(Backends.provider(n.trim()).name());
        }
        return Backends.providers().stream().filter(p -> names.contains(p.name())).toList();
    }

    /**
     * Opens the chosen backend; under auto each skipped backend is noted on {@code log} with
     * {@code --verbose} only (the backend used is printed by the command; an error stays alone on
     * stderr).
     */
    public Backend open(DeviceOptions device, PrintWriter log) {
        return Backends.open(name(), device.options(name()),
                verbose ? note -> log.println("note: " + note + "; falling back") : null);
    }

    /**
     * Resolves the backend once (auto's skips and the choice go to {@code log}) and returns a
     * supplier that opens that same backend afresh for every model trained.
     */
    public Supplier<Backend> resolve(DeviceOptions device, PrintWriter log) {
        BackendOptions opts = device.options(name());
        String resolved;
        try (Backend b = Backends.open(name(), opts, verbose ? note -> log.println("note: " + note) : null)) {
            resolved = b.name();
            log.println("backend: " + b.name() + " (" + b.device() + ")");
        }
        return () -> Backends.open(resolved, opts, null);
    }
}
