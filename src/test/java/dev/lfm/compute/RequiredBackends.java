package dev.lfm.compute;

import java.util.Locale;
import org.junit.jupiter.api.Assumptions;

/**
 * Opens a device backend for a test, or skips the test with one line when the backend is not
 * available here — unless the environment sets {@code LFM_REQUIRE_<NAME>=1} (as CI does for
 * OpenCL), which turns absence into a failure.
 */
final class RequiredBackends {
    private RequiredBackends() {
    }

    static Backend openOrSkip(String name, BackendOptions options) {
        BackendProvider p = Backends.provider(name);
        String why = p.unavailableReason();
        if (why != null) {
            String require = "LFM_REQUIRE_" + name.toUpperCase(Locale.ROOT);
            if ("1".equals(System.getenv(require))) {
                throw new AssertionError(require + "=1 but " + name + " is unavailable: " + why);
            }
            Assumptions.abort(name + " not available: " + why);
        }
        return p.open(options);
    }
}
