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

    @Option(names = "--algorithm",
            description = "sgd (gradient descent: SGD, mini-batch or full batch by --batch-size) | als (default: ${lfm.algorithm})")
    public String algorithm;

    @Option(names = "--epochs", description = "Epochs (ALS: sweeps) (default: ${lfm.epochs}).")
    public Integer epochs;

    @Option(names = "--lr", description = "Learning rate η for the factors, scaling half the summed gradient of a batch "
            + "(default: ${lfm.lr}).")
    public Double lr;

    @Option(names = "--regularization", description = "weighted (λ·n_u‖p_u‖², as per-rating SGD, LIBMF, Surprise and "
            + "Spark's ALS-WR) | uniform (λ‖p_u‖², the seed form) (default: ${lfm.regularization})")
    public String regularization;

    @Option(names = "--batch-size", description = "1 = SGD, b = mini-batch, all = full batch (default: ${lfm.batchSize})")
    public String batchSize;

    @Option(names = "--optimizer", description = "sgd|momentum|nesterov|adam (default: ${lfm.optimizer})")
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
        if (epochs != null) {
            c.epochs = epochs;
        }
        if (lr != null) {
            c.lr = lr;
        }
        TrainingConfig p = parsed();
        if (algorithm != null) {
            c.algorithm = p.algorithm;
        }
        if (optimizer != null) {
            c.optimizer = p.optimizer;
        }
        if (regularization != null) {
            c.regularization = p.regularization;
        }
        if (batchSize != null) {
            c.batchSize = parseBatch(batchSize);
        }
        return c;
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
