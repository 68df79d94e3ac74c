package dev.lfm.compute.cuda;

import jcuda.driver.CUresult;

/**
 * A CUDA driver call returned an error. Keeps the {@code CUresult} code, which JCuda's own
 * exceptions do not, so callers can tell a rejected PTX image from a real failure.
 */
public final class CudaCallException extends RuntimeException {
    private final int result;

    CudaCallException(int result, String operation) {
        super(operation + " failed: " + CUresult.stringFor(result));
        this.result = result;
    }

    /** The {@code CUresult} code. */
    public int result() {
        return result;
    }

    /** Throws unless {@code result} is {@code CUDA_SUCCESS}. */
    static void check(int result, String operation) {
        if (result != CUresult.CUDA_SUCCESS) {
            throw new CudaCallException(result, operation);
        }
    }
}
