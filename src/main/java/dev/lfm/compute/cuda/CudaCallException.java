package dev.lfm.compute.cuda;

import dev.lfm.LfmException;
import jcuda.driver.CUresult;

/**
 * A CUDA driver call returned an error: an {@link LfmException}, so the CLI shows its one-line
 * message and exits non-zero without a stack trace. Keeps the {@code CUresult} code, which JCuda's
 * own exceptions do not, so callers can tell a rejected PTX image from a real failure.
 *
 * <p>A fault inside a kernel is asynchronous: the driver reports it at the next call (often
 * {@code cuCtxSetCurrent} or a copy), and the context is unusable afterwards. For such "sticky"
 * results the message says which kernel was launched last and how to name the failing one
 * ({@code LFM_CUDA_SYNC=1}: synchronize after every launch).
 */
public final class CudaCallException extends LfmException {
    private final int result;

    CudaCallException(int result, String operation) {
        super(message(result, operation, null));
        this.result = result;
    }

    CudaCallException(int result, String operation, String lastKernel) {
        super(message(result, operation, lastKernel));
        this.result = result;
    }

    /** The {@code CUresult} code. */
    public int result() {
        return result;
    }

    /** "CUDA error: op failed: CUDA_ERROR_X" and, for a sticky kernel fault, where to look. One line. */
    static String message(int result, String operation, String lastKernel) {
        String m = "CUDA error: " + oneLine(operation) + " failed: " + CUresult.stringFor(result);
        if (isKernelFault(result)) {
            m += lastKernel == null
                    ? " (a kernel fault reported late; rerun with LFM_CUDA_SYNC=1 to name the kernel)"
                    : " (reported after kernel " + lastKernel + "; rerun with LFM_CUDA_SYNC=1 to name the failing kernel)";
        }
        return m;
    }

    /** Whether a result is an asynchronous kernel fault that leaves the context unusable. */
    static boolean isKernelFault(int result) {
        return result == CUresult.CUDA_ERROR_ILLEGAL_ADDRESS || result == CUresult.CUDA_ERROR_LAUNCH_FAILED
                || result == CUresult.CUDA_ERROR_ILLEGAL_INSTRUCTION || result == CUresult.CUDA_ERROR_MISALIGNED_ADDRESS
                || result == CUresult.CUDA_ERROR_INVALID_ADDRESS_SPACE || result == CUresult.CUDA_ERROR_INVALID_PC
                || result == CUresult.CUDA_ERROR_HARDWARE_STACK_ERROR || result == CUresult.CUDA_ERROR_ASSERT
                || result == CUresult.CUDA_ERROR_LAUNCH_TIMEOUT;
    }

    static String oneLine(String s) {
        return s == null ? "" : s.strip().replaceAll("\\s*[\\r\\n]+\\s*", "; ");
    }

    /** Throws unless {@code result} is {@code CUDA_SUCCESS}. */
    static void check(int result, String operation) {
        if (result != CUresult.CUDA_SUCCESS) {
            throw new CudaCallException(result, operation);
        }
    }
}
