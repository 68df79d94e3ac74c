package dev.lfm.cli;

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
        ModelOptions.given(lrBias, v -> c.lrBias = v);
        ModelOptions.given(momentum, v -> c.momentum = v);
        ModelOptions.given(beta1, v -> c.beta1 = v);
        ModelOptions.given(beta2, v -> c.beta2 = v);
        ModelOptions.given(lrDecay, v -> c.lrDecay = v);
        c.biases &= !noBiases;
        ModelOptions.given(patience, v -> c.patience = v);
        ModelOptions.given(evalEvery, v -> c.evalEvery = v);
        ModelOptions.given(initScale, v -> c.initScale = v);
        return c;
    }
}
