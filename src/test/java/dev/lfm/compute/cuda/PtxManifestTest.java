package dev.lfm.compute.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lfm.compute.gpu.GpuBackend;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class PtxManifestTest {
    @Test
    void parsesTheFormatBuildPtxWrites() {
        PtxManifest m = PtxManifest.parse("# comment\nnvcc 13.0\narch compute_75\nsgd.cl 0a1b 9.0\nreduce.cl ffee 9.0\n");
        assertThat(m.present()).isTrue();
        assertThat(m.nvccVersion()).isEqualTo("13.0");
        assertThat(m.arch()).isEqualTo("compute_75");
        assertThat(m.entry("sgd.cl")).isEqualTo(new PtxManifest.Entry("sgd.cl", "0a1b", "9.0"));
        assertThat(m.entry("als.cl")).isNull();
        assertThat(PtxManifest.NONE.present()).isFalse();
    }

    @Test
    void rejectsMalformedManifests() {
        assertThatThrownBy(() -> PtxManifest.parse("arch compute_75\nsgd.cl a 9.0\n")).hasMessageContaining("nvcc");
        assertThatThrownBy(() -> PtxManifest.parse("nvcc 13.0\narch compute_75\nsgd.cl a\n"))
                .hasMessageContaining("bad PTX manifest line");
    }

    /**
     * The hash build-ptx.sh writes (sha256sum of common.h, a newline, the file) equals the one the
     * runtime computes, so packaged PTX is not mistaken for stale; and every kernel file the
     * backend builds was packaged. Runs when the build had nvcc.
     */
    @Test
    void packagedHashesMatchTheRuntimeSourceHashes() {
        PtxManifest m = PtxManifest.load();
        Assumptions.assumeTrue(m.present(), "no PTX packaged (built without nvcc)");
        for (String file : GpuBackend.FILES) {
            assertThat(m.entry(file)).as(file).isNotNull();
            assertThat(m.entry(file).sourceSha256()).as(file).isEqualTo(PtxManifest.sourceSha256(file));
            assertThat(PtxManifest.packagedPtx(file)).as(file).contains(".version " + m.entry(file).ptxIsa());
        }
    }
}
