package dev.lfm.compute.cuda;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jcuda.driver.CUresult;

/**
 * One-line reasons for the ways CUDA can be missing, as pure functions of what the probe saw
 * (unit-tested without a GPU). The provider prefixes "CUDA not available: ".
 */
public final class CudaProbe {
    private static final Pattern MISSING_SO = Pattern.compile("(lib[A-Za-z0-9_+.-]*\\.so[0-9.]*): cannot open shared object file");

    private static final Pattern UNDEFINED_SYMBOL = Pattern.compile("undefined symbol: (\\w+)");

    private CudaProbe() {
    }

    /** The shared library named as missing in a native-load error message, or null. */
    public static String missingLibrary(String message) {
        if (message == null) {
            return null;
        }
        Matcher m = MISSING_SO.matcher(message);
        return m.find() ? m.group(1) : null;
    }

    /** Reason for a {@link LinkageError} from JCuda's driver binding. */
    public static String linkageReason(LinkageError e) {
        String msg = e.getMessage();
        if (e instanceof NoClassDefFoundError) {
            return "the JCuda driver binding failed to load earlier in this JVM (" + firstLine(msg) + ")";
        }
        Matcher undefined = UNDEFINED_SYMBOL.matcher(msg == null ? "" : msg);
        if (undefined.find()) {
            return "the NVIDIA driver (libcuda.so.1) is too old for JCuda 12.6 (undefined symbol " + undefined.group(1)
                    + ")";
        }
        String lib = missingLibrary(msg);
        if (lib == null) {
            return "JCuda native library not loadable: " + firstLine(msg);
        }
        if (lib.startsWith("libcuda.so")) {
            return lib + " not found (no NVIDIA driver)";
        }
        return lib + " not found";
    }

    /**
     * Reason for anything else the probe threw: the message's first line when there is one (a
     * {@link CudaCallException}, a kernel-load failure), else the exception's class and message.
     */
    public static String throwableReason(Throwable t) {
        String msg = firstLine(t.getMessage());
        if (t instanceof dev.lfm.LfmException && !msg.isEmpty()) {
            return msg;
        }
        String name = t.getClass().getSimpleName();
        return msg.isEmpty() ? "CUDA probe failed: " + name : "CUDA probe failed: " + name + ": " + msg;
    }

    /** Reason for a failed {@code cuInit}. */
    public static String initReason(int cuResult) {
        return switch (cuResult) {
            case CUresult.CUDA_ERROR_NO_DEVICE -> "no CUDA device (the NVIDIA driver is loaded but sees no GPU)";
            case CUresult.CUDA_ERROR_SYSTEM_DRIVER_MISMATCH, CUresult.CUDA_ERROR_COMPAT_NOT_SUPPORTED_ON_DEVICE ->
                    "the NVIDIA kernel driver and libcuda do not match (cuInit: " + CUresult.stringFor(cuResult) + ")";
            default -> "cuInit failed: " + CUresult.stringFor(cuResult);
        };
    }

    /** Reason for cuBLAS being unusable (the backend still runs on its own kernels). */
    public static String cublasReason(Throwable t) {
        String lib = missingLibrary(t.getMessage());
        return lib != null ? lib + " not found" : firstLine(t.getMessage());
    }

    static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).trim();
    }
}
