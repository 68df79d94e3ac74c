package dev.lfm.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * The CLI run in-process, as every CLI test sees it ({@link Main#run}): the exit code and what the
 * command wrote to standard output and standard error.
 */
public record CliRun(int code, String out, String err) {
    /** Runs {@code lfm args...} in this JVM. */
    public static CliRun lfm(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new CliRun(code, out.toString(), err.toString());
    }
}
