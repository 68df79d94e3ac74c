package dev.lfm.compute;

import dev.lfm.compute.gpu.GpuBackend;
import dev.lfm.verify.ConvergencePlan;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The backend contract on OpenCL (PoCL in CI). Skipped with one line when no OpenCL platform is
 * present, unless the environment sets {@code LFM_REQUIRE_OPENCL=1}, which makes absence a failure.
 */
class OpenClBackendContractTest extends BackendContractTest {
    @Override
    protected Backend open() {
        return RequiredBackends.openOrSkip("opencl", BackendOptions.defaults());
    }

    @Override
    protected void poison(Backend b) {
        ((GpuBackend) b).poisonScratch();
    }

    /**
     * The cross-lane reduction of the SGD kernel (what GPUs run; a CPU device picks one lane)
     * forced on this device: the exact two-rating update and planted-problem convergence, plain and
     * AdaGrad.
     */
    @ParameterizedTest(name = "lanes={0}")
    @ValueSource(ints = {2, 8, 32})
    void sgdWithCooperatingLanes(int lanes) {
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

    /** The lane-strided loss and evaluation sums (what GPUs run) forced on this device, every case. */
    @ParameterizedTest(name = "lanes={0}")
    @ValueSource(ints = {2, 8, 32})
    void lossAndEvaluationWithCooperatingLanes(int lanes) {
        GpuBackend g = (GpuBackend) backend();
        g.forceReduceLanes(lanes);
        try {
            cases().forEach(this::lossAndEvaluateMatchReference);
            evaluateAfterLossIsTheSameSumAndFollowsTheModel();
        } finally {
            g.forceReduceLanes(0);
        }
    }
}
