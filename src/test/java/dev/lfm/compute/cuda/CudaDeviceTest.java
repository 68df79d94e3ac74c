package dev.lfm.compute.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.lfm.compute.gpu.Accelerator;
import dev.lfm.compute.gpu.GpuBackend;
import dev.lfm.model.FactorModel;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What only a GPU can check beyond the contract suite: transfers at offsets, fills, kernel lookup,
 * the PTX note, and cuBLAS scoring against the host model. Skipped without CUDA unless
 * {@code LFM_REQUIRE_CUDA=1}.
 */
class CudaDeviceTest {
    @BeforeAll
    static void requireCuda() {
        String why = new CudaBackendProvider().unavailableReason();
        if (why != null && "1".equals(System.getenv("LFM_REQUIRE_CUDA"))) {
            throw new AssertionError("LFM_REQUIRE_CUDA=1 but cuda is unavailable: " + why);
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(why == null, "cuda not available: " + why);
    }

    @Test
    void transfersAndFillsRespectOffsets() {
        try (CudaAccelerator acc = new CudaAccelerator(0)) {
            Accelerator.Buffer b = acc.alloc(40);
            acc.fill(b, 7.5f);
            acc.upload(b, 8, new float[] {1, 2, 3, 4}, 1, 2);
            acc.fill(b, Float.floatToRawIntBits(-1f), 32, 8);
            float[] out = new float[12];
            acc.download(b, 0, out, 1, 10);
            assertThat(out).containsExactly(0, 7.5f, 7.5f, 2, 3, 7.5f, 7.5f, 7.5f, 7.5f, -1, -1, 0);
            int[] ints = new int[3];
            acc.upload(b, 0, new int[] {5, -6, 7}, 0, 3);
            acc.download(b, 4, ints, 0, 2);
            assertThat(ints).containsExactly(-6, 7, 0);
            assertThatThrownBy(() -> acc.download(b, 36, out, 0, 2)).isInstanceOf(IndexOutOfBoundsException.class);
        }
    }

    @Test
    void kernelsLoadAndTheNoteSaysWhichPtx() {
        try (CudaAccelerator acc = new CudaAccelerator(0)) {
            Accelerator.Program p = acc.build(GpuBackend.FILES);
            assertThat(acc.kernel(p, "sgd_epoch").name()).isEqualTo("sgd_epoch");
            assertThatThrownBy(() -> acc.kernel(p, "no_such_kernel")).hasMessageContaining("not found");
            assertThat(acc.ptxNote()).startsWith("PTX: ").containsAnyOf("packaged", "NVRTC", "nvcc");
            assertThat(acc.device()).contains("compute ", "driver ");
        }
    }

    @Test
    void cublasScoresMatchTheHostModel() {
        org.junit.jupiter.api.Assumptions.assumeTrue(CudaBlas.unavailableReason() == null,
                "cuBLAS not available: " + CudaBlas.unavailableReason());
        FactorModel m = new FactorModel(5, 3001, 33, true);
        SplittableRandom r = new SplittableRandom(3);
        for (int j = 0; j < m.p.length; j++) {
            m.p[j] = (float) r.nextGaussian();
        }
        for (int j = 0; j < m.q.length; j++) {
            m.q[j] = (float) r.nextGaussian();
        }
        for (int i = 0; i < m.numItems; i++) {
            m.itemBias[i] = (float) r.nextGaussian();
        }
        m.userBias[4] = 0.25f;
        m.mu = 3.5f;
        try (CudaScorer s = CudaScorer.open(m, 0)) {
            float[] got = s.scores(4);
            for (int i = 0; i < m.numItems; i++) {
                assertThat(got[i]).as("item %d", i).isCloseTo(m.predictRaw(4, i), within(1e-3f));
            }
            assertThat(s.cublasVersion()).matches("\\d+\\.\\d+\\.\\d+");
        }
    }
}
