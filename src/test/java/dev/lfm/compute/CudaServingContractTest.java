package dev.lfm.compute;

/**
 * Serving on CUDA against the CPU. Skipped with one line when CUDA is unavailable (no driver, no
 * device), unless the environment sets {@code LFM_REQUIRE_CUDA=1}, which makes absence a failure.
 */
class CudaServingContractTest extends GpuServingContractTest {
    @Override
    protected Backend open() {
        return RequiredBackends.openOrSkip("cuda", BackendOptions.defaults());
    }
}
