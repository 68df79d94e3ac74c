package dev.lfm.compute;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.Consumer;

/**
 * Backend selection: {@code auto} tries cuda → opencl → cpu and takes the first that is
 * available; a named backend that is unavailable is an error with its one-line reason.
 * Probes are cached by the providers.
 */
public final class Backends {
    /**
     * Providers in auto-selection order: the order of
     * {@code META-INF/services/dev.lfm.compute.BackendProvider} (cuda, opencl, cpu), found by
     * {@link ServiceLoader} so that this package depends on none of its implementations.
     */
    private static final Map<String, BackendProvider> PROVIDERS = new LinkedHashMap<>();

    static {
        Iterator<BackendProvider> it = ServiceLoader.load(BackendProvider.class, Backends.class.getClassLoader()).iterator();
        for (int tries = 0; tries < 64; tries++) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                BackendProvider p = it.next();
                PROVIDERS.put(p.name(), p);
            } catch (ServiceConfigurationError | LinkageError e) {
                // a provider whose classes cannot load in this JVM is not offered
            }
        }
    }

    private Backends() {
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
