package dev.lfm.compute;

import dev.lfm.compute.cpu.CpuBackendProvider;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Backend selection: {@code auto} tries cuda → opencl → cpu and takes the first that is
 * available; a named backend that is unavailable is an error with its one-line reason.
 * Probes are cached by the providers.
 */
public final class Backends {
    /** Providers in auto-selection order. */
    private static final Map<String, BackendProvider> PROVIDERS = new LinkedHashMap<>();

    static {
        register("dev.lfm.compute.cuda.CudaBackendProvider");
        register("dev.lfm.compute.opencl.OpenClBackendProvider");
        BackendProvider cpu = new CpuBackendProvider();
        PROVIDERS.put(cpu.name(), cpu);
    }

    private Backends() {
    }

    private static void register(String className) {
        try {
            BackendProvider p = (BackendProvider) Class.forName(className).getDeclaredConstructor().newInstance();
            PROVIDERS.put(p.name(), p);
        } catch (ReflectiveOperationException | LinkageError e) {
            // not built into this jar: not offered
        }
    }

    /** All known providers in auto order (cuda, opencl, cpu). */
    public static List<BackendProvider> providers() {
        return new ArrayList<>(PROVIDERS.values());
    }

    public static List<String> names() {
        return new ArrayList<>(PROVIDERS.keySet());
    }

    public static BackendProvider provider(String name) {
        BackendProvider p = PROVIDERS.get(name.toLowerCase(Locale.ROOT));
        if (p == null) {
            throw new dev.lfm.LfmException("unknown backend '" + name + "' (auto|" + String.join("|", names()) + ")");
        }
        return p;
    }

    /**
     * Opens {@code name} ("auto", "cpu", "opencl", "cuda"). With auto, each skipped backend's
     * reason goes to {@code notes} (may be null).
     */
    public static Backend open(String name, BackendOptions options, Consumer<String> notes) {
        if (!"auto".equalsIgnoreCase(name)) {
            BackendProvider p = provider(name);
            String why = p.unavailableReason();
            if (why != null) {
                throw new BackendUnavailableException(p.name() + " backend not available: " + why);
            }
            return p.open(options);
        }
        for (BackendProvider p : PROVIDERS.values()) {
            String why = p.unavailableReason();
            String verdict = " not available: ";
            if (why == null) {
                why = p.autoSkipReason();
                verdict = " skipped: ";
            }
            if (why == null) {
                try {
                    return p.open(options);
                } catch (BackendUnavailableException e) {
                    why = e.getMessage();
                    verdict = " not available: ";
                }
            }
            if (notes != null && !"cpu".equals(p.name())) {
                notes.accept(p.name() + verdict + why);
            }
        }
        throw new BackendUnavailableException("no backend available");
    }
}
