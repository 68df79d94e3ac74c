package dev.lfm.compute.cuda;

import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;
import jcuda.jcublas.cublasStatus;

/**
 * Whether cuBLAS (JCublas2, needs {@code libcublas.so.12}) can be used; probed once per JVM. It is
 * optional: without it the CUDA backend runs on its own kernels and only {@link CudaScorer} is
 * unavailable.
 */
public final class CudaBlas {
    private static final Object LOCK = new Object();
    private static boolean probed;
    private static String reason;

    private CudaBlas() {
    }

    /** Null when JCublas2 loads, else the one-line reason. Does not create a handle. */
    public static String unavailableReason() {
        synchronized (LOCK) {
            if (!probed) {
                probed = true;
                try {
                    JCublas2.setExceptionsEnabled(false);
                } catch (LinkageError e) {
                    reason = CudaProbe.cublasReason(e);
                }
            }
            return reason;
        }
    }

    /** A cuBLAS handle in the current context. */
    static cublasHandle create() {
        String why = unavailableReason();
        if (why != null) {
            throw new IllegalStateException("cuBLAS not available: " + why);
        }
        cublasHandle h = new cublasHandle();
        check(JCublas2.cublasCreate(h), "cublasCreate");
        return h;
    }

    static void check(int status, String op) {
        if (status != cublasStatus.CUBLAS_STATUS_SUCCESS) {
            throw new IllegalStateException(op + " failed: " + cublasStatus.stringFor(status));
        }
    }

    /** cuBLAS version of a handle, e.g. "12.6.4" (from the integer major·10000 + minor·100 + patch). */
    static String version(cublasHandle h) {
        int[] v = new int[1];
        check(JCublas2.cublasGetVersion(h, v), "cublasGetVersion");
        return v[0] / 10000 + "." + (v[0] % 10000) / 100 + "." + v[0] % 100;
    }
}
