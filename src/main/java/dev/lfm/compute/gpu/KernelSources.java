package dev.lfm.compute.gpu;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Kernel source texts, packaged from the project's {@code kernels/} folder as classpath
 * resources under {@code /kernels/}.
 */
public final class KernelSources {
    /** The dialect header every kernel file is compiled with. */
    public static final String COMMON = "common.h";

    private static final Map<String, String> CACHE = new ConcurrentHashMap<>();

    private KernelSources() {
    }

    /** The text of {@code /kernels/<file>}. */
    public static String text(String file) {
        return CACHE.computeIfAbsent(file, KernelSources::load);
    }

    private static String load(String file) {
        String path = "/kernels/" + file;
        try (InputStream in = KernelSources.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("kernel source " + path + " missing from the classpath (build packaging)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read kernel source " + path, e);
        }
    }
}
