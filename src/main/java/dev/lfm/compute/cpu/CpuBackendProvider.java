package dev.lfm.compute.cpu;

import dev.lfm.LfmException;
import dev.lfm.compute.Backend;
import dev.lfm.compute.BackendOptions;
import dev.lfm.compute.BackendProvider;
import java.util.List;

/** The always-available pure-Java backend. */
public final class CpuBackendProvider implements BackendProvider {
    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public String unavailableReason() {
        return null;
    }

    @Override
    public List<String> describeDevices() {
        return List.of("cpu: " + Runtime.getRuntime().availableProcessors() + " hardware threads, "
                + (Runtime.getRuntime().maxMemory() >> 20) + " MiB max heap, "
                + (CpuKernels.S.length() * 32) + "-bit Vector API lanes");
    }

    @Override
    public Backend open(BackendOptions options) {
        if (options.halfFactors()) {
            throw new LfmException(BackendOptions.HALF_IS_GPU_ONLY);
        }
        return new CpuBackend(options.resolvedThreads());
    }
}
