package dev.lfm.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What every lfm command shares: the spec picocli hands it, with the standard output and error it
 * writes to (tests hand in their own), and for the commands with training flags the configuration
 * their help shows as those flags' defaults ({@link TrainingHelp}). Errors are {@link
 * dev.lfm.LfmException}s, which {@link Main} turns into one line and exit code 2.
 */
abstract class LfmCommand implements Callable<Integer> {
    CommandSpec spec;

    @Spec
    void spec(CommandSpec spec) {
        this.spec = spec;
        showHelpDefaults(spec);
    }

    /** Installs the training defaults the help shows ({@link TrainingHelp#show}); none by default. */
    void showHelpDefaults(CommandSpec spec) {
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
