package dev.lfm.compute;

/**
 * Serving on OpenCL (PoCL in CI) against the CPU. Skipped with one line when no OpenCL platform is
 * present, unless the environment sets {@code LFM_REQUIRE_OPENCL=1}, which makes absence a failure.
 */
class OpenClServingContractTest extends GpuServingContractTest {
    @Override
    protected Backend open() {
        return RequiredBackends.openOrSkip("opencl", BackendOptions.defaults());
    }
}
