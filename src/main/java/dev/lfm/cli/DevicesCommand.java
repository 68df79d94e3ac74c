package dev.lfm.cli;

import dev.lfm.compute.BackendProvider;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code lfm devices}: every backend with its devices, or the one-line reason it is unavailable. */
@Command(name = "devices", mixinStandardHelpOptions = true,
        description = "List the compute backends (auto order) and their devices, or why a backend is unavailable.")
public final class DevicesCommand extends LfmCommand {
    @Mixin
    BackendFlags backends;

    @Override
    public Integer call() {
        PrintWriter out = out();
        for (BackendProvider p : backends.providers()) {
            String why = p.unavailableReason();
            if (why != null) {
                out.println(p.name() + ": not available: " + why);
                continue;
            }
            List<String> devices = p.describeDevices();
            out.println(p.name() + ": " + devices.size() + (devices.size() == 1 ? " device" : " devices"));
            for (String d : devices) {
                out.println("  " + d);
            }
        }
        out.flush();
        return 0;
    }
}
