package dev.lfm.cli;

import dev.lfm.model.FactorModel;
import dev.lfm.model.ModelIO;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The saved model a serving command reads (a picocli mixin): {@code --model MODEL}. */
public final class ModelFileOptions {
    @Option(names = "--model", required = true, paramLabel = "MODEL", description = "Model file written by 'lfm train --save'.")
    public Path file;

    /** The model, validated on load (one line on a bad file). */
    public FactorModel load() {
        return ModelIO.load(file);
    }
}
