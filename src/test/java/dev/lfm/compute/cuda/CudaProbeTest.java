package dev.lfm.compute.cuda;

import static org.assertj.core.api.Assertions.assertThat;

import jcuda.driver.CUresult;
import org.junit.jupiter.api.Test;

class CudaProbeTest {
    /** The shape of JCuda 12.6's error when libcuda.so.1 is absent (as seen on a machine without a driver). */
    private static final String NO_LIBCUDA = "Error while loading native library \"JCudaDriver-12.6.0-linux-x86_64\"\n"
            + "Operating system name: Linux\n---(start of nested stack traces)---\n"
            + "java.lang.UnsatisfiedLinkError: no JCudaDriver-12.6.0-linux-x86_64 in java.library.path: /usr/lib\n"
            + "java.lang.UnsatisfiedLinkError: /tmp/libJCudaDriver-12.6.0-linux-x86_64.so: libcuda.so.1: cannot open "
            + "shared object file: No such file or directory\n";

    @Test
    void missingLibcudaMeansNoNvidiaDriver() {
        assertThat(CudaProbe.linkageReason(new UnsatisfiedLinkError(NO_LIBCUDA)))
                .isEqualTo("libcuda.so.1 not found (no NVIDIA driver)");
    }

    @Test
    void otherLinkageFailuresAreOneLine() {
        assertThat(CudaProbe.linkageReason(new UnsatisfiedLinkError(
                "/tmp/libJCudaDriver.so: /lib/libcuda.so.1: undefined symbol: cuCtxCreate_v4\nmore")))
                .isEqualTo("the NVIDIA driver (libcuda.so.1) is too old for JCuda 12.6 (undefined symbol cuCtxCreate_v4)");
        assertThat(CudaProbe.linkageReason(new UnsatisfiedLinkError("something odd\nsecond line")))
                .isEqualTo("JCuda native library not loadable: something odd");
        assertThat(CudaProbe.linkageReason(new NoClassDefFoundError("Could not initialize class jcuda.driver.JCudaDriver")))
                .startsWith("the JCuda driver binding failed to load earlier in this JVM").doesNotContain("\n");
        assertThat(CudaProbe.linkageReason(new UnsatisfiedLinkError(null))).isEqualTo("JCuda native library not loadable: ");
    }

    @Test
    void cuInitFailuresNameTheCause() {
        assertThat(CudaProbe.initReason(CUresult.CUDA_ERROR_NO_DEVICE)).startsWith("no CUDA device");
        assertThat(CudaProbe.initReason(CUresult.CUDA_ERROR_SYSTEM_DRIVER_MISMATCH)).contains("do not match");
        assertThat(CudaProbe.initReason(CUresult.CUDA_ERROR_NOT_INITIALIZED))
                .isEqualTo("cuInit failed: CUDA_ERROR_NOT_INITIALIZED");
    }

    @Test
    void cublasAbsenceNamesTheLibrary() {
        assertThat(CudaProbe.cublasReason(new UnsatisfiedLinkError("x.so: libcublas.so.12: cannot open shared object file")))
                .isEqualTo("libcublas.so.12 not found");
        assertThat(CudaProbe.missingLibrary("nothing here")).isNull();
    }

    @Test
    void anythingElseTheProbeThrowsIsOneLine() {
        assertThat(CudaProbe.throwableReason(new IllegalArgumentException("bad\nsecond")))
                .isEqualTo("CUDA probe failed: IllegalArgumentException: bad");
        assertThat(CudaProbe.throwableReason(new NullPointerException())).isEqualTo("CUDA probe failed: NullPointerException");
        assertThat(CudaProbe.throwableReason(new CudaCallException(CUresult.CUDA_ERROR_INVALID_VALUE, "cuDeviceGet")))
                .isEqualTo("CUDA error: cuDeviceGet failed: CUDA_ERROR_INVALID_VALUE");
    }
}
