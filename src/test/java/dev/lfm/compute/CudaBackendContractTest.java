package dev.lfm.compute;

import dev.lfm.verify.ConvergencePlan;
import dev.lfm.compute.gpu.GpuBackend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The backend contract on CUDA. Skipped with one line when CUDA is unavailable (no driver, no
 * device), unless the environment sets {@code LFM_REQUIRE_CUDA=1}, which makes absence a failure.
 */
class CudaBackendContractTest extends BackendContractTest {
    @Override
    protected Backend open() {
        return RequiredBackends.openOrSkip("cuda", BackendOptions.defaults());
    }

    @Override
    protected void poison(Backend b) {
        ((GpuBackend) b).poisonScratch();
    }

    /** The SGD kernel's warp-shuffle reduction with each lane count a stream can have. */
    @ParameterizedTest(name = "lanes={0}")
    @ValueSource(ints = {1, 2, 8, 32})
    void sgdWithForcedLanes(int lanes) {
        GpuBackend g = (GpuBackend) backend();
        g.forceSgdLanes(lanes);
        try {
            sgdEpochOnTwoRatingsIsTheDocumentedUpdate();
            trainingReachesCpuRmseOnPlantedProblem(ConvergencePlan.SGD);
            adagradEpochsOnTwoRatingsAreTheDocumentedRule();
            trainingReachesCpuRmseOnPlantedProblem(ConvergencePlan.SGD_ADAGRAD);
        } finally {
            g.forceSgdLanes(0);
        }
    }
}
