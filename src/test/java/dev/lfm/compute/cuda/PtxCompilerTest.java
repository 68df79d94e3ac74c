package dev.lfm.compute.cuda;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The nvcc fallback compiles a kernel file the way the build does, and caches the result. */
class PtxCompilerTest {
    @TempDir
    Path cache;

    @AfterEach
    void clear() {
        System.clearProperty("lfm.cacheDir");
    }

    @Test
    void nvccFallbackCompilesAndCachesBySource() throws Exception {
        Assumptions.assumeTrue(PtxCompiler.findNvcc() != null, "no nvcc found");
        System.setProperty("lfm.cacheDir", cache.toString());
        PtxCompiler.Compiled first = PtxCompiler.compile(PtxSelection.Source.NVCC, "predict.cl", "compute_75");
        assertThat(first.ptx()).contains(".entry residuals(", ".entry residuals_ordered(", ".target sm_75");
        assertThat(first.note()).startsWith("nvcc " + PtxCompiler.findNvcc() + " compute_75 (cached " + cache.resolve("ptx"));
        try (var files = Files.list(cache.resolve("ptx"))) {
            assertThat(files.toList()).hasSize(1).allSatisfy(f -> assertThat(f.toString()).endsWith(".ptx"));
        }
        PtxCompiler.Compiled second = PtxCompiler.compile(PtxSelection.Source.NVCC, "predict.cl", "compute_75");
        assertThat(second.ptx()).isEqualTo(first.ptx());
        PtxCompiler.Compiled other = PtxCompiler.compile(PtxSelection.Source.NVCC, "reduce.cl", "compute_75");
        assertThat(other.ptx()).contains(".entry error_partials(");
    }

    @Test
    void nvccIsLookedForOnPathThenCudaHomeThenUsrLocalCuda() {
        assertThat(PtxCompiler.nvccCandidates("/a:/b", "/opt/cuda")).containsExactly(Path.of("/a/nvcc"), Path.of("/b/nvcc"),
                Path.of("/opt/cuda/bin/nvcc"), Path.of("/usr/local/cuda/bin/nvcc"));
        assertThat(PtxCompiler.nvccCandidates(null, null)).containsExactly(Path.of("/usr/local/cuda/bin/nvcc"));
        assertThat(PtxCompiler.nvccCandidates("/usr/local/cuda/bin", "")).containsExactly(Path.of("/usr/local/cuda/bin/nvcc"));
    }
}
