package dev.lfm.cli;

import dev.lfm.LfmException;
import dev.lfm.compute.Optimizer;
import dev.lfm.train.Algorithm;
import dev.lfm.train.TrainingConfig;
import picocli.CommandLine.Option;

/**
 * The finer training flags (a picocli mixin) that only {@code lfm train} takes: bias learning
 * rate, momentum and Adam constants, decay, biases on/off, early stopping and the initial scale.
 * Unset flags keep the configuration's values.
 */
public final class TuningOptions {
    @Option(names = "--lr-bias", paramLabel = "ETA_B", description = "Learning rate for the biases (default: ${lfm.lrBias}).")
    public Double lrBias;

    @Option(names = "--momentum", paramLabel = "BETA", description = "Momentum β (momentum, nesterov) (default: ${lfm.momentum})")
    public Double momentum;

    @Option(names = "--beta1", paramLabel = "BETA1", description = "Adam β1 (default: ${lfm.beta1})")
    public Double beta1;

    @Option(names = "--beta2", paramLabel = "BETA2", description = "Adam β2 (default: ${lfm.beta2})")
    public Double beta2;

    @Option(names = "--lr-decay", paramLabel = "FACTOR", description = "Per-epoch learning-rate factor: lr_e = lr·decay^(e-1) (default: ${lfm.lrDecay})")
    public Double lrDecay;

    @Option(names = "--no-biases", description = "Train without b_u, b_i (μ is still used).")
    public boolean noBiases;

    @Option(names = "--patience", paramLabel = "EPOCHS", description = "Early stopping: stop after this many epochs without a better validation "
            + "RMSE and keep the best epoch (default: ${lfm.patience})")
    public Integer patience;

    @Option(names = "--eval-every", paramLabel = "N", description = "Per-rating SGD: exact training objective and train RMSE "
            + "(two passes over the training ratings) every N-th epoch and at the last; other epochs show the error during "
            + "the epoch (no extra pass). 1 = every epoch (default: 0 = only the last epoch).")
    public Integer evalEvery;

    @Option(names = "--init-scale", paramLabel = "SIGMA", description = "Std. deviation of the initial factors (default: ${lfm.initScale})")
    public Double initScale;

    /** Sets on {@code c} every flag that was given; the rest keep {@code c}'s values (not validated). */
    public TrainingConfig applyTo(TrainingConfig c) {
        // NaN is TrainingConfig's "use the default" for these two: given on the command line it is a mistake
        notNaN(lrBias, "--lr-bias must be a number >= 0 (got NaN)");
        notNaN(initScale, "--init-scale must be a positive number (got NaN)");
        ModelOptions.given(lrBias, v -> c.lrBias = v);
        ModelOptions.given(momentum, v -> c.momentum = v);
        ModelOptions.given(beta1, v -> c.beta1 = v);
        ModelOptions.given(beta2, v -> c.beta2 = v);
        ModelOptions.given(lrDecay, v -> c.lrDecay = v);
        c.biases &= !noBiases;
        ModelOptions.given(patience, v -> {
            if (v < 0) { // the config's automatic patience is not a flag value
                throw new dev.lfm.LfmException("--patience must be >= 0 (got " + v + ")");
            }
            c.patience = v;
        });
        ModelOptions.given(evalEvery, v -> c.evalEvery = v);
        ModelOptions.given(initScale, v -> c.initScale = v);
        return c;
    }

    private static void notNaN(Double v, String message) {
        if (v != null && v.isNaN()) {
            throw new LfmException(message);
        }
    }

    /**
     * A one-line error for a flag given that the configured training would ignore: the gradient
     * step's flags with ALS, momentum without momentum or nesterov, Adam's betas without Adam.
     */
    public void checkApplies(TrainingConfig c) {
        if (c.algorithm == Algorithm.ALS) {
            notFor(lrBias, "--lr-bias", "--algorithm als (ALS solves each row exactly: no learning rate)");
            notFor(lrDecay, "--lr-decay", "--algorithm als (ALS solves each row exactly: no learning rate)");
            notFor(momentum, "--momentum", "--algorithm als");
            notFor(beta1, "--beta1", "--algorithm als");
            notFor(beta2, "--beta2", "--algorithm als");
            return;
        }
        if (c.optimizer != Optimizer.MOMENTUM && c.optimizer != Optimizer.NESTEROV) {
            notFor(momentum, "--momentum", "--optimizer " + c.optimizer.label() + " (it is for momentum and nesterov)");
        }
        if (c.optimizer != Optimizer.ADAM) {
            notFor(beta1, "--beta1", "--optimizer " + c.optimizer.label() + " (it is for adam)");
            notFor(beta2, "--beta2", "--optimizer " + c.optimizer.label() + " (it is for adam)");
        }
    }

    static void notFor(Object given, String flag, String what) {
        if (given != null) {
            throw new LfmException(flag + " does not apply to " + what);
        }
    }
}
