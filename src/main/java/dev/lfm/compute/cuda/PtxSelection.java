package dev.lfm.compute.cuda;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import jcuda.driver.CUresult;

/**
 * Where a kernel file's PTX comes from, as pure decisions (unit-tested without a GPU).
 *
 * <ol>
 *   <li>{@link Source#PACKAGED}: the PTX nvcc made at build time, when the jar has it and it was
 *       compiled from the kernel source now on the classpath;
 *   <li>if that is missing, stale, or the driver rejects it ({@link #isRejection}: a driver older
 *       than the nvcc that built it answers {@code CUDA_ERROR_UNSUPPORTED_PTX_VERSION}), the source
 *       is compiled at run time: first by {@link Source#NVRTC} (JCuda's binding; needs
 *       {@code libnvrtc.so.12}), then by {@link Source#NVCC} (PATH, {@code $CUDA_HOME/bin}, {@code /usr/local/cuda/bin}). Compiled PTX is cached
 *       on disk by source hash, so a run pays for compilation once.
 * </ol>
 */
public final class PtxSelection {
    /** Virtual architecture of run-time compilation for devices of compute capability ≥ 7.5. */
    public static final String FALLBACK_ARCH = "compute_75";

    /** A producer of PTX. */
    public enum Source {
        PACKAGED("packaged PTX"), NVRTC("NVRTC"), NVCC("nvcc");

        private final String label;

        Source(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private PtxSelection() {
    }

    /**
     * Why the packaged PTX of a file cannot be used (null when it can): not packaged at all, or
     * compiled from a different source than the one on the classpath.
     */
    public static String packagedUnusable(PtxManifest manifest, String file, String sourceSha256) {
        if (!manifest.present()) {
            return "no PTX packaged (jar built without nvcc)";
        }
        PtxManifest.Entry e = manifest.entry(file);
        if (e == null) {
            return "no PTX packaged for " + file;
        }
        if (!e.sourceSha256().equals(sourceSha256)) {
            return "packaged PTX of " + file + " is stale (source changed after the build)";
        }
        return null;
    }

    /** Sources to try, in order, for one kernel file. */
    public static List<Source> candidates(boolean packagedUsable, boolean nvrtcLoadable, boolean nvccOnPath) {
        List<Source> out = new ArrayList<>(3);
        if (packagedUsable) {
            out.add(Source.PACKAGED);
        }
        if (nvrtcLoadable) {
            out.add(Source.NVRTC);
        }
        if (nvccOnPath) {
            out.add(Source.NVCC);
        }
        return out;
    }

    /**
     * Whether a {@code cuModuleLoadData} result means "this PTX cannot be used by this driver or
     * device" (so the next source is tried) rather than a failure of the machine.
     */
    public static boolean isRejection(int cuResult) {
        return cuResult == CUresult.CUDA_ERROR_UNSUPPORTED_PTX_VERSION
                || cuResult == CUresult.CUDA_ERROR_INVALID_PTX
                || cuResult == CUresult.CUDA_ERROR_INVALID_IMAGE
                || cuResult == CUresult.CUDA_ERROR_NO_BINARY_FOR_GPU
                || cuResult == CUresult.CUDA_ERROR_JIT_COMPILER_NOT_FOUND;
    }

    /** The virtual architecture for run-time compilation on a device of compute capability major.minor. */
    public static String fallbackArch(int major, int minor) {
        int cc = major * 10 + minor;
        return cc < 75 ? "compute_" + cc : FALLBACK_ARCH;
    }

    /** A driver or runtime version number (e.g. 13000, 12060) as "13.0", "12.6". */
    public static String version(int v) {
        return String.format(Locale.ROOT, "%d.%d", v / 1000, (v % 1000) / 10);
    }
}
