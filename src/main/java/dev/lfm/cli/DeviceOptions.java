package dev.lfm.cli;

import dev.lfm.LfmException;
import dev.lfm.compute.BackendOptions;
import dev.lfm.train.TrainingConfig;
import picocli.CommandLine.Option;

/**
 * How to run on the chosen backend (a picocli mixin): CPU threads, the device, and the storage of
 * P and Q. Defaults are {@link BackendOptions#defaults()}.
 */
public final class DeviceOptions {
    @Option(names = "--threads", description = "CPU threads (0 = all cores) (default: ${DEFAULT-VALUE})")
    public int threads = BackendOptions.defaults().threads();

    @Option(names = "--device",
            description = "Device index for opencl/cuda as listed by 'lfm devices' (-1 = first GPU) (default: ${DEFAULT-VALUE})")
    public int device = BackendOptions.defaults().device();

    @Option(names = "--factor-storage", defaultValue = "float", paramLabel = "float|half",
            description = "Storage of P and Q during SGD epochs on opencl/cuda: float, or half (fp16, float arithmetic; "
                    + "compare trains each GPU backend both ways) (default: ${DEFAULT-VALUE})")
    public String factorStorage;

    /** The options for opening {@code backend} (a name, or "auto"), with half storage as flagged. */
    public BackendOptions options(String backend) {
        if (device != -1 && "cpu".equalsIgnoreCase(backend)) {
            throw new LfmException("--device applies to --backend opencl or cuda only (the cpu backend uses --threads)");
        }
        return options(backend, half());
    }

    /** The options with this storage; half on the CPU backend is a one-line error. */
    public BackendOptions options(String backend, boolean half) {
        if (device < -1) {
            throw new LfmException("--device must be an index from 'lfm devices' (0, 1, ...) or -1 for the first GPU "
                    + "(got " + device + ")");
        }
        if (threads < 0) {
            throw new LfmException("--threads must be >= 0 (got " + threads + ")");
        }
        if (half && "cpu".equalsIgnoreCase(backend)) {
            throw new LfmException(BackendOptions.HALF_IS_GPU_ONLY);
        }
        return new BackendOptions(threads, device, half);
    }

    /** True for {@code --factor-storage half}; a value other than float or half is a one-line error. */
    public boolean half() {
        if ("half".equalsIgnoreCase(factorStorage)) {
            return true;
        }
        if (factorStorage == null || "float".equalsIgnoreCase(factorStorage)) {
            return false;
        }
        throw new LfmException("--factor-storage must be float or half (got '" + factorStorage + "')");
    }

    /**
     * The checks of a serving command (fold-in, recommend, evaluate) before it reads anything: half
     * storage is a one-line error (serving keeps float32 factors), and so are an unknown backend
     * name and device flags that do not fit it.
     */
    public void checkServing(BackendFlags backend) {
        if (half()) {
            throw new LfmException("--factor-storage half applies to SGD training only; serving commands use float32 factors");
        }
        backend.providers();
        options(backend.name());
    }

    /** Half storage is for per-rating SGD epochs only (plain or AdaGrad): a one-line error for any other training. */
    public void checkApplies(TrainingConfig c) {
        if (half() && !c.isPerRatingSgd()) {
            throw new LfmException("--factor-storage half applies to SGD epochs only (--algorithm sgd "
                    + "--batch-size 1, --optimizer sgd or adagrad); " + c.describeAlgorithm() + " keeps float32 factors");
        }
    }
}
