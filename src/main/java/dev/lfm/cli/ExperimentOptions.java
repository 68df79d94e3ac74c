package dev.lfm.cli;

import dev.lfm.LfmException;
import dev.lfm.compute.Backend;
import dev.lfm.compute.BackendOptions;
import dev.lfm.compute.Backends;
import dev.lfm.objective.Regularization;
import dev.lfm.train.Algorithm;
import dev.lfm.compute.Optimizer;
import dev.lfm.train.TrainingConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.function.Supplier;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The training flags every experiment shares (a picocli mixin). Unset flags keep the
 * experiment's own defaults, which are sized for the default synthetic problem on a few CPU
 * cores; each experiment's help names them.
 */
public final class ExperimentOptions {
    @Mixin
    public BackendFlags backendFlags;

    @Option(names = "--seed", defaultValue = "42", description = "Seed for data, initialization, order and directions (default: ${DEFAULT-VALUE})")
    public long seed;

    @Option(names = {"-k", "--rank"}, description = "Rank k (experiment default if unset).")
    public Integer rank;

    @Option(names = "--epochs", description = "Epochs (ALS: sweeps) per trained model (experiment default if unset).")
    public Integer epochs;

    @Option(names = "--lr", description = "Learning rate (half-gradient scale; see OptimizerStep).")
    public Double lr;

    @Option(names = "--reg", description = "λ, factor regularization (experiment default if unset).")
    public Double reg;

    @Option(names = "--reg-bias", description = "λ_b, bias regularization.")
    public Double regBias;

    @Option(names = "--regularization", description = "weighted (per-rating, ALS-WR; default) | uniform")
    public String regularization;

    @Option(names = "--algorithm", description = "sgd|als (gradient descent or alternating least squares)")
    public String algorithm;

    @Option(names = "--batch-size", description = "1 = SGD, b = mini-batch, all = full batch")
    public String batchSize;

    @Option(names = "--optimizer", description = "sgd|momentum|nesterov|adam")
    public String optimizer;

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory (default: out/<experiment>).")
    public Path out;

    /** Overrides {@code c} with every flag that was given. */
    public TrainingConfig apply(TrainingConfig c) {
        c.seed = seed;
        if (rank != null) {
            c.rank = rank;
        }
        if (epochs != null) {
            c.epochs = epochs;
        }
        if (lr != null) {
            c.lr = lr;
        }
        if (reg != null) {
            c.lambda = reg;
        }
        if (regBias != null) {
            c.lambdaBias = regBias;
        }
        try {
            if (regularization != null) {
                c.regularization = Regularization.parse(regularization);
            }
            if (algorithm != null) {
                c.algorithm = Algorithm.parse(algorithm);
            }
            if (optimizer != null) {
                c.optimizer = Optimizer.parse(optimizer);
            }
        } catch (IllegalArgumentException e) {
            throw new LfmException(e.getMessage());
        }
        if (batchSize != null) {
            c.batchSize = TrainOptions.parseBatch(batchSize);
        }
        return c.validate();
    }

    /**
     * Resolves the backend once (auto's skips go to {@code log}) and returns a supplier that opens
     * that same backend afresh for every trained model.
     */
    public Supplier<Backend> backends(PrintWriter log) {
        BackendOptions opts = backendFlags.options();
        String resolved;
        try (Backend b = Backends.open(backendFlags.backend, opts, note -> log.println("note: " + note))) {
            resolved = b.name();
            log.println("backend: " + b.name() + " (" + b.device() + ")");
        } catch (IllegalArgumentException e) {
            throw new LfmException(e.getMessage());
        }
        return () -> Backends.open(resolved, opts, null);
    }
}
