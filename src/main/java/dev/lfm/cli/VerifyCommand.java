package dev.lfm.cli;

import dev.lfm.compute.Backend;
import dev.lfm.compute.BackendOptions;
import dev.lfm.compute.BackendProvider;
import dev.lfm.compute.BackendUnavailableException;
import dev.lfm.verify.BackendVerifier;
import java.io.PrintWriter;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code lfm verify}: runs every kernel of every available backend and device against the
 * double-precision reference and prints a table of max errors; exit 1 on any mismatch.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Check every available backend and device kernel by kernel (residuals, loss, gradients, "
                + "optimizer steps, SGD, evaluation, training convergence) against the double-precision reference.",
            "Exit code 1 if any check exceeds its tolerance."})
public final class VerifyCommand extends LfmCommand {
    @Mixin
    BackendFlags backends;

    @Override
    public Integer call() {
        PrintWriter out = out();
        boolean allOk = true;
        for (BackendProvider p : backends.providers()) { // an unknown name is a one-line error, not an empty "pass"
            String why = p.unavailableReason();
            if (why != null) {
                out.println(p.name() + ": not available: " + why);
                continue;
            }
            int devices = Math.max(1, p.describeDevices().size());
            for (int d = 0; d < devices; d++) {
                BackendOptions opts = new BackendOptions(0, "cpu".equals(p.name()) ? -1 : d);
                Backend b;
                try {
                    b = p.open(opts);
                } catch (BackendUnavailableException e) {
                    out.println(p.name() + ":" + d + ": not available: " + e.getMessage());
                    continue;
                }
                try (b) {
                    out.println(p.name() + ":" + d + "  " + b.device());
                    out.printf(Locale.ROOT, "  %-44s %12s %10s  %s%n", "check", "max error", "tolerance", "result");
                    for (BackendVerifier.Row row : BackendVerifier.verify(b)) {
                        out.printf(Locale.ROOT, "  %-44s %12.3e %10.0e  %s%n", row.check(), row.error(),
                                row.tolerance(), row.ok() ? "ok" : "MISMATCH");
                        allOk &= row.ok();
                    }
                    out.flush();
                }
            }
        }
        out.println(allOk ? "verify: all checks passed" : "verify: MISMATCH (see rows above)");
        out.flush();
        return allOk ? 0 : 1;
    }
}
