package dev.lfm.compute;

import dev.lfm.compute.gpu.GpuBackend;
import org.junit.jupiter.api.Assumptions;

/**
 * The backend contract on OpenCL (PoCL in CI). Skipped with one line when no OpenCL platform is
 * present, unless the environment sets {@code LFM_REQUIRE_OPENCL=1}, which makes absence a failure.
 */
class OpenClBackendContractTest extends BackendContractTest {
    @Override
    protected Backend open() {
        BackendProvider p = Backends.provider("opencl");
        String why = p.unavailableReason();
        if (why != null) {
            if ("1".equals(System.getenv("LFM_REQUIRE_OPENCL"))) {
                throw new AssertionError("LFM_REQUIRE_OPENCL=1 but opencl is unavailable: " + why);
            }
            Assumptions.abort("opencl not available: " + why);
        }
        return p.open(BackendOptions.defaults());
    }

    @Override
    protected void poison(Backend b) {
        ((GpuBackend) b).poisonScratch();
    }
}
