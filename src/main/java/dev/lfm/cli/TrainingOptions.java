package dev.lfm.cli;

import dev.lfm.LfmException;
import dev.lfm.compute.Optimizer;
import dev.lfm.objective.Regularization;
import dev.lfm.train.Algorithm;
import dev.lfm.train.TrainingConfig;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The training flags (a picocli mixin) of every command that trains (train, compare, each
 * experiment): {@link ModelOptions} plus algorithm, epochs, learning rate, regularization form,
 * batch size and optimizer. Every field is null when its flag is not given, so a command decides
 * what "unset" means: {@link #toConfig()} starts from {@link TrainingConfig#defaults(Algorithm,
 * Optimizer)}, {@link #applyTo} keeps whatever the command (an experiment) set before.
 */
public final class TrainingOptions {
    @Mixin
    public ModelOptions model;

    @Option(names = "--algorithm", paramLabel = "sgd|als",
            description = "sgd (gradient descent: SGD, mini-batch or full batch by --batch-size) | als (default: ${lfm.algorithm})")
    public String algorithm;

    @Option(names = "--epochs", paramLabel = "N", description = "Epochs (ALS: sweeps) (default: ${lfm.epochs}).")
    public Integer epochs;

    @Option(names = "--lr", paramLabel = "ETA", description = "Learning rate η for the factors, scaling half the summed gradient of a batch "
            + "(default: ${lfm.lr}).")
    public Double lr;

    @Option(names = "--regularization", paramLabel = "weighted|uniform", description = "weighted (λ·n_u‖p_u‖², as per-rating SGD, LIBMF, Surprise and "
            + "Spark's ALS-WR) | uniform (λ‖p_u‖², the seed form) (default: ${lfm.regularization})")
    public String regularization;

    @Option(names = "--batch-size", paramLabel = "1|B|all", description = "1 = SGD, b = mini-batch, all = full batch (default: ${lfm.batchSize})")
    public String batchSize;

    @Option(names = "--optimizer", paramLabel = "NAME", description = "${lfm.optimizers} (default: ${lfm.optimizer}); adagrad: per-row step sizes for per-rating SGD")
    public String optimizer;

    /**
     * {@link TrainingConfig#defaults(Algorithm, Optimizer)} for the chosen algorithm and optimizer,
     * then every flag given (not validated: the caller adds its own flags first).
     */
    public TrainingConfig toConfig() {
        TrainingConfig p = parsed();
        return applyTo(TrainingConfig.defaults(p.algorithm, p.optimizer));
    }

    /** Sets on {@code c} every flag that was given; the rest keep {@code c}'s values (not validated). */
    public TrainingConfig applyTo(TrainingConfig c) {
        model.applyTo(c);
        ModelOptions.given(epochs, v -> c.epochs = v);
        ModelOptions.given(lr, v -> c.lr = v);
        TrainingConfig p = parsed();
        ModelOptions.given(algorithm, v -> c.algorithm = p.algorithm);
        ModelOptions.given(optimizer, v -> c.optimizer = p.optimizer);
        ModelOptions.given(regularization, v -> c.regularization = p.regularization);
        ModelOptions.given(batchSize, v -> c.batchSize = parseBatch(v));
        return c;
    }

    /** A one-line error for a flag given that ALS would ignore (it has no learning rate, batches or optimizer). */
    public void checkApplies(TrainingConfig c) {
        if (c.algorithm == Algorithm.ALS) {
            String als = "--algorithm als (ALS solves each row exactly: no learning rate, batches or optimizer)";
            TuningOptions.notFor(lr, "--lr", als);
            TuningOptions.notFor(batchSize, "--batch-size", als);
            TuningOptions.notFor(optimizer, "--optimizer", als);
        }
    }

    /** The defaults with the enum-valued flags given parsed in; a bad name is a one-line error. */
    private TrainingConfig parsed() {
        TrainingConfig p = TrainingConfig.defaults();
        try {
            if (algorithm != null) {
                p.algorithm = Algorithm.parse(algorithm);
            }
            if (optimizer != null) {
                p.optimizer = Optimizer.parse(optimizer);
            }
            if (regularization != null) {
                p.regularization = Regularization.parse(regularization);
            }
        } catch (IllegalArgumentException e) {
            throw new LfmException(e.getMessage());
        }
        return p;
    }

    /** "all" (or "full") is 0, full batch; otherwise a positive integer. */
    static int parseBatch(String s) {
        if ("all".equalsIgnoreCase(s.trim()) || "full".equalsIgnoreCase(s.trim())) {
            return 0;
        }
        try {
            int b = Integer.parseInt(s.trim());
            if (b >= 1) {
                return b;
            }
        } catch (NumberFormatException e) {
            // the message below
        }
        throw new LfmException("--batch-size must be a positive integer or 'all' (got '" + s + "')");
    }
}
