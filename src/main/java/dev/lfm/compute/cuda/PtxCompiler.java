package dev.lfm.compute.cuda;

import dev.lfm.compute.gpu.KernelSources;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jcuda.nvrtc.JNvrtc;
import jcuda.nvrtc.nvrtcProgram;
import jcuda.nvrtc.nvrtcResult;

/**
 * Run-time compilation of a kernel file (common.h + file) to PTX, for when the packaged PTX is
 * missing, stale or rejected by the driver: NVRTC through JCuda, or nvcc (PATH, {@code $CUDA_HOME/bin}, {@code /usr/local/cuda/bin}). Results are
 * cached under {@code <cache>/ptx} as
 * {@code <sha256 of compiler, arch and source>.ptx}, where {@code <cache>} is the system property
 * {@code lfm.cacheDir}, else {@code $LFM_CACHE_DIR}, else {@code ~/.cache/lfm}.
 */
final class PtxCompiler {
    private static final Object LOCK = new Object();
    private static Boolean nvrtcLoadable;
    private static String nvrtcVersion;

    private PtxCompiler() {
    }

    /** PTX and a short description of how it was obtained. */
    record Compiled(String ptx, String note) {
    }

    /** Whether JCuda's NVRTC binding loads (needs libnvrtc.so.12); probed once. */
    static boolean nvrtcLoadable() {
        synchronized (LOCK) {
            if (nvrtcLoadable == null) {
                try {
                    int[] major = new int[1];
                    int[] minor = new int[1];
                    int r = JNvrtc.nvrtcVersion(major, minor);
                    nvrtcLoadable = r == nvrtcResult.NVRTC_SUCCESS;
                    nvrtcVersion = major[0] + "." + minor[0];
                } catch (LinkageError e) {
                    nvrtcLoadable = false;
                }
            }
            return nvrtcLoadable;
        }
    }

    /** The nvcc to use: the first of {@link #nvccCandidates} that is executable, or null. */
    static Path findNvcc() {
        for (Path p : nvccCandidates(System.getenv("PATH"), System.getenv("CUDA_HOME"))) {
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /**
     * Where nvcc is looked for, in order: each PATH entry, {@code $CUDA_HOME/bin}, then
     * {@code /usr/local/cuda/bin} (the toolkit's default, often not on PATH of a bare machine).
     */
    static List<Path> nvccCandidates(String path, String cudaHome) {
        List<Path> out = new java.util.ArrayList<>();
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                out.add(Path.of(dir.isEmpty() ? "." : dir, "nvcc"));
            }
        }
        if (cudaHome != null && !cudaHome.isBlank()) {
            out.add(Path.of(cudaHome, "bin", "nvcc"));
        }
        out.add(Path.of("/usr/local/cuda/bin/nvcc"));
        return List.copyOf(new java.util.LinkedHashSet<>(out));
    }

    static Path cacheDir() {
        String env = System.getProperty("lfm.cacheDir", System.getenv("LFM_CACHE_DIR"));
        Path base = env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".cache", "lfm");
        return base.resolve("ptx");
    }

    /** Compiles {@code file} with {@code source} (NVRTC or NVCC) for {@code arch}, through the cache. */
    static Compiled compile(PtxSelection.Source source, String file, String arch) {
        String text = PtxManifest.source(file);
        String key = PtxManifest.sha256(source.name() + "\n" + arch + "\n" + text);
        Path cached = cacheDir().resolve(key + ".ptx");
        String label = source == PtxSelection.Source.NVRTC ? "NVRTC " + nvrtcVersion : "nvcc " + findNvcc();
        if (Files.isRegularFile(cached)) {
            try {
                return new Compiled(Files.readString(cached), label + " " + arch + " (cached " + cached + ")");
            } catch (IOException e) {
                // unreadable cache entry: compile again
            }
        }
        String ptx = switch (source) {
            case NVRTC -> nvrtc(file, text, arch);
            case NVCC -> nvcc(file, arch);
            case PACKAGED -> throw new IllegalArgumentException("packaged PTX is not compiled");
        };
        String where = store(cached, ptx);
        return new Compiled(ptx, label + " " + arch + (where == null ? " (not cached)" : " (cached " + where + ")"));
    }

    private static String nvrtc(String file, String text, String arch) {
        nvrtcProgram prog = new nvrtcProgram();
        check(JNvrtc.nvrtcCreateProgram(prog, text, file, 0, null, null), "nvrtcCreateProgram", file, null);
        try {
            String[] opts = {"--gpu-architecture=" + arch};
            int r = JNvrtc.nvrtcCompileProgram(prog, opts.length, opts);
            if (r != nvrtcResult.NVRTC_SUCCESS) {
                String[] log = new String[1];
                JNvrtc.nvrtcGetProgramLog(prog, log);
                check(r, "nvrtcCompileProgram", file, log[0]);
            }
            String[] ptx = new String[1];
            check(JNvrtc.nvrtcGetPTX(prog, ptx), "nvrtcGetPTX", file, null);
            return ptx[0];
        } finally {
            JNvrtc.nvrtcDestroyProgram(prog);
        }
    }

    private static void check(int r, String op, String file, String log) {
        if (r != nvrtcResult.NVRTC_SUCCESS) {
            throw new IllegalStateException(op + " of " + file + " failed: " + nvrtcResult.stringFor(r)
                    + (log == null || log.isBlank() ? "" : "\n" + log));
        }
    }

    private static String nvcc(String file, String arch) {
        Path nvcc = findNvcc();
        if (nvcc == null) {
            throw new IllegalStateException("no nvcc on PATH, in $CUDA_HOME/bin or /usr/local/cuda/bin");
        }
        Path dir = null;
        try {
            dir = Files.createTempDirectory("lfm-nvcc");
            Path common = dir.resolve(KernelSources.COMMON);
            Path src = dir.resolve(file);
            Path out = dir.resolve("out.ptx");
            Files.writeString(common, KernelSources.text(KernelSources.COMMON));
            Files.writeString(src, KernelSources.text(file));
            Process p = new ProcessBuilder(List.of(nvcc.toString(), "-ptx", "-x", "cu", "-include", common.toString(),
                    "-arch=" + arch, "-o", out.toString(), src.toString())).redirectErrorStream(true).start();
            String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("nvcc on " + file + " timed out");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("nvcc on " + file + " failed (exit " + p.exitValue() + "):\n" + log);
            }
            return Files.readString(out);
        } catch (IOException e) {
            throw new IllegalStateException("nvcc on " + file + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while compiling " + file, e);
        } finally {
            if (dir != null) {
                try (var files = Files.list(dir)) {
                    for (Path f : files.toList()) {
                        Files.deleteIfExists(f);
                    }
                    Files.deleteIfExists(dir);
                } catch (IOException ignored) {
                    // temp files only
                }
            }
        }
    }

    /** Writes the cache entry atomically; returns its path, or null when the cache is not writable. */
    private static String store(Path target, String ptx) {
        try {
            Files.createDirectories(target.getParent());
            Path tmp = Files.createTempFile(target.getParent(), "ptx", ".tmp");
            Files.writeString(tmp, ptx);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return target.toString();
        } catch (IOException | SecurityException e) {
            return null;
        }
    }
}
