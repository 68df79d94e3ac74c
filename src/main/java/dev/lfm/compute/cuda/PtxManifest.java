package dev.lfm.compute.cuda;

import dev.lfm.compute.gpu.KernelSources;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The PTX packaged at build time by {@code kernels/build-ptx.sh}: {@code /ptx/index.txt} lists
 * the nvcc version, the virtual architecture, and per kernel file the SHA-256 of the source it was
 * compiled from ({@code common.h + "\n" + file}) and the PTX ISA version; {@code /ptx/<name>.ptx}
 * holds the code. A jar built without nvcc has no manifest ({@link #load()} returns {@link #NONE}).
 */
public record PtxManifest(String nvccVersion, String arch, Map<String, Entry> entries) {
    /** No PTX packaged. */
    public static final PtxManifest NONE = new PtxManifest(null, null, Map.of());

    /** One packaged kernel file. */
    public record Entry(String file, String sourceSha256, String ptxIsa) {
    }

    public boolean present() {
        return nvccVersion != null;
    }

    /** The entry for kernel file {@code file} (e.g. "sgd.cl"), or null. */
    public Entry entry(String file) {
        return entries.get(file);
    }

    /** Parses the manifest text (format written by build-ptx.sh; '#' lines are comments). */
    public static PtxManifest parse(String text) {
        String nvcc = null;
        String arch = null;
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\\s+");
            if (f[0].equals("nvcc") && f.length == 2) {
                nvcc = f[1];
            } else if (f[0].equals("arch") && f.length == 2) {
                arch = f[1];
            } else if (f.length == 3) {
                entries.put(f[0], new Entry(f[0], f[1], f[2]));
            } else {
                throw new IllegalArgumentException("bad PTX manifest line: " + line);
            }
        }
        if (nvcc == null || arch == null) {
            throw new IllegalArgumentException("PTX manifest without nvcc/arch lines");
        }
        return new PtxManifest(nvcc, arch, Map.copyOf(entries));
    }

    /** The manifest packaged in this jar, or {@link #NONE}. */
    public static PtxManifest load() {
        String text = resource("/ptx/index.txt");
        return text == null ? NONE : parse(text);
    }

    /** The packaged PTX text of kernel file {@code file}, or null. */
    public static String packagedPtx(String file) {
        return resource("/ptx/" + file.replaceFirst("\\.cl$", "") + ".ptx");
    }

    /** SHA-256 (hex) of {@code common.h + "\n" + file} as packaged under /kernels/. */
    public static String sourceSha256(String file) {
        return sha256(source(file));
    }

    /** The CUDA source of a kernel file: common.h, a newline, the file. */
    static String source(String file) {
        return KernelSources.text(KernelSources.COMMON) + "\n" + KernelSources.text(file);
    }

    static String sha256(String text) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(d.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String resource(String path) {
        try (InputStream in = PtxManifest.class.getResourceAsStream(path)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }
}
