package dev.lfm.cli;

import dev.lfm.io.OutputFiles;
import dev.lfm.report.Json;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The JSON report flag (a picocli mixin) of the commands that write one (train, compare). */
public final class OutputOptions {
    @Option(names = "--report", paramLabel = "FILE", converter = OutputPath.class,
            description = "Write a JSON report (settings, results, timings) to this file.")
    public Path report;

    /** Fails now if the report could not be written later (so nothing else is written first). */
    public void checkWritable() {
        if (report != null) {
            OutputFiles.checkWritable(report);
        }
    }

    /** The report as one output of an {@link OutputFiles#writeAll} batch. */
    public OutputFiles.Output output(Object json) {
        return Json.output(report, json);
    }

    /** Writes {@code json} to the report file, atomically; false when no report was asked for. */
    public boolean write(Object json) {
        if (report == null) {
            return false;
        }
        Json.write(report, json);
        return true;
    }
}
