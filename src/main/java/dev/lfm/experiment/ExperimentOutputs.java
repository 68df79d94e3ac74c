package dev.lfm.experiment;

import dev.lfm.report.Charts;
import dev.lfm.report.Json;
import dev.lfm.io.OutputFiles;
import java.nio.file.Path;
import java.util.List;

/** Writes an {@link ExperimentResult} as {@code <name>.png}, {@code <name>.csv} and {@code <name>.json} into a directory. */
public final class ExperimentOutputs {
    private ExperimentOutputs() {
    }

    /** The files written, in the order png, csv, json. */
    public record Files(Path png, Path csv, Path json) {
        public List<Path> all() {
            return List.of(png, csv, json);
        }
    }

    public static Files write(ExperimentResult result, Path dir) {
        OutputFiles.ensureDirectory(dir);
        Path csv = result.data().writeCsv(dir.resolve(result.name() + ".csv"));
        Path json = Json.write(dir.resolve(result.name() + ".json"), result.json());
        Path png = Charts.savePng(dir.resolve(result.name() + ".png"), result.charts(), result.chartColumns());
        return new Files(png, csv, json);
    }
}
