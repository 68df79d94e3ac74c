package dev.lfm.compute.cuda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lfm.compute.cuda.PtxSelection.Source;
import java.util.Map;
import jcuda.driver.CUresult;
import org.junit.jupiter.api.Test;

class PtxSelectionTest {
    private static final PtxManifest BUILT = new PtxManifest("13.0", "compute_75",
            Map.of("sgd.cl", new PtxManifest.Entry("sgd.cl", "abc", "9.0")));

    @Test
    void packagedPtxIsUsableOnlyWhenPresentAndBuiltFromTheSameSource() {
        assertThat(PtxSelection.packagedUnusable(BUILT, "sgd.cl", "abc")).isNull();
        assertThat(PtxSelection.packagedUnusable(BUILT, "sgd.cl", "abd")).contains("stale");
        assertThat(PtxSelection.packagedUnusable(BUILT, "als.cl", "abc")).isEqualTo("no PTX packaged for als.cl");
        assertThat(PtxSelection.packagedUnusable(PtxManifest.NONE, "sgd.cl", "abc"))
                .isEqualTo("no PTX packaged (jar built without nvcc)");
    }

    @Test
    void candidatesArePackagedThenNvrtcThenNvcc() {
        assertThat(PtxSelection.candidates(true, true, true)).containsExactly(Source.PACKAGED, Source.NVRTC, Source.NVCC);
        assertThat(PtxSelection.candidates(false, true, true)).containsExactly(Source.NVRTC, Source.NVCC);
        assertThat(PtxSelection.candidates(true, false, true)).containsExactly(Source.PACKAGED, Source.NVCC);
        assertThat(PtxSelection.candidates(false, false, true)).containsExactly(Source.NVCC);
        assertThat(PtxSelection.candidates(false, false, false)).isEmpty();
    }

    @Test
    void aDriverOlderThanTheBuildingNvccIsARejectionOtherErrorsAreNot() {
        assertThat(PtxSelection.isRejection(CUresult.CUDA_ERROR_UNSUPPORTED_PTX_VERSION)).isTrue();
        assertThat(PtxSelection.isRejection(CUresult.CUDA_ERROR_INVALID_PTX)).isTrue();
        assertThat(PtxSelection.isRejection(CUresult.CUDA_ERROR_NO_BINARY_FOR_GPU)).isTrue();
        assertThat(PtxSelection.isRejection(CUresult.CUDA_ERROR_INVALID_IMAGE)).isTrue();
        assertThat(PtxSelection.isRejection(CUresult.CUDA_ERROR_JIT_COMPILER_NOT_FOUND)).isTrue();
        assertThat(PtxSelection.isRejection(CUresult.CUDA_SUCCESS)).isFalse();
        assertThat(PtxSelection.isRejection(CUresult.CUDA_ERROR_OUT_OF_MEMORY)).isFalse();
        assertThat(PtxSelection.isRejection(CUresult.CUDA_ERROR_NOT_INITIALIZED)).isFalse();
    }

    @Test
    void fallbackArchIsCompute75ExceptOnOlderDevices() {
        assertThat(PtxSelection.fallbackArch(9, 0)).isEqualTo("compute_75");
        assertThat(PtxSelection.fallbackArch(7, 5)).isEqualTo("compute_75");
        assertThat(PtxSelection.fallbackArch(7, 0)).isEqualTo("compute_70");
        assertThat(PtxSelection.fallbackArch(6, 1)).isEqualTo("compute_61");
    }

    @Test
    void driverVersionsPrintAsMajorMinor() {
        assertThat(PtxSelection.version(13000)).isEqualTo("13.0");
        assertThat(PtxSelection.version(12060)).isEqualTo("12.6");
        assertThat(PtxSelection.version(11080)).isEqualTo("11.8");
    }
}
