package dev.lfm.cli;

import dev.lfm.compute.Backend;
import dev.lfm.compute.BackendOptions;
import dev.lfm.compute.Backends;
import java.io.PrintWriter;
import picocli.CommandLine.Option;

/** Backend selection flags (a picocli mixin). */
public final class BackendFlags {
    @Option(names = "--backend", defaultValue = "auto", description = "auto|cpu|opencl|cuda (auto tries cuda, then opencl, then cpu) (default: ${DEFAULT-VALUE})")
    public String backend;

    @Option(names = "--threads", defaultValue = "0", description = "CPU threads (0 = all cores) (default: ${DEFAULT-VALUE})")
    public int threads;

    @Option(names = "--device", defaultValue = "-1", description = "Device index for opencl/cuda as listed by 'lfm devices' (-1 = first GPU) (default: ${DEFAULT-VALUE})")
    public int device;

    @Option(names = "--factor-storage", defaultValue = "float", paramLabel = "float|half",
            description = "Storage of P and Q during SGD epochs on opencl/cuda: float, or half (fp16, float arithmetic) (default: ${DEFAULT-VALUE})")
    public String factorStorage;

    public BackendOptions options() {
        if (threads < 0) {
            throw new dev.lfm.LfmException("--threads must be >= 0 (got " + threads + ")");
        }
        boolean half = halfFactors(factorStorage);
        if (half && "cpu".equalsIgnoreCase(backend)) {
            throw new dev.lfm.LfmException(BackendOptions.HALF_IS_GPU_ONLY);
        }
        return new BackendOptions(threads, device, half);
    }

    /** Parses a {@code --factor-storage} value: true for half, false for float. */
    static boolean halfFactors(String storage) {
        if ("half".equalsIgnoreCase(storage)) {
            return true;
        }
        if (storage == null || "float".equalsIgnoreCase(storage)) {
            return false;
        }
        throw new dev.lfm.LfmException("--factor-storage must be float or half (got '" + storage + "')");
    }

    /** Opens the chosen backend; skipped backends under auto are noted on {@code log}. */
    public Backend open(PrintWriter log) {
        return Backends.open(backend, options(), note -> log.println("note: " + note + "; falling back"));
    }
}
