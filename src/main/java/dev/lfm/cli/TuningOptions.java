package dev.lfm.cli;

import dev.lfm.train.TrainingConfig;
import picocli.CommandLine.Option;

/**
 * The finer training flags (a picocli mixin) that only {@code lfm train} takes: bias learning
 * rate, momentum and Adam constants, decay, biases on/off, early stopping and the initial scale.
 * Unset flags keep the configuration's values.
 */
public final class TuningOptions {
    @Option(names = "--lr-bias", description = "Learning rate for the biases (default: ${lfm.lrBias}).")
    public Double lrBias;

    @Option(names = "--momentum", description = "Momentum β (momentum, nesterov) (default: ${lfm.momentum})")
    public Double momentum;

    @Option(names = "--beta1", description = "Adam β1 (default: ${lfm.beta1})")
    public Double beta1;

    @Option(names = "--beta2", description = "Adam β2 (default: ${lfm.beta2})")
    public Double beta2;

    @Option(names = "--lr-decay", description = "Per-epoch learning-rate factor: lr_e = lr·decay^(e-1) (default: ${lfm.lrDecay})")
    public Double lrDecay;

    @Option(names = "--no-biases", description = "Train without b_u, b_i (μ is still used).")
    public boolean noBiases;

    @Option(names = "--patience", description = "Early stopping: stop after this many epochs without a better validation "
            + "RMSE and keep the best epoch (default: ${lfm.patience})")
    public Integer patience;

    @Option(names = "--init-scale", description = "Std. deviation of the initial factors (default: ${lfm.initScale})")
    public Double initScale;

    /** Sets on {@code c} every flag that was given; the rest keep {@code c}'s values (not validated). */
    public TrainingConfig applyTo(TrainingConfig c) {
        if (lrBias != null) {
            c.lrBias = lrBias;
        }
        if (momentum != null) {
            c.momentum = momentum;
        }
        if (beta1 != null) {
            c.beta1 = beta1;
        }
        if (beta2 != null) {
            c.beta2 = beta2;
        }
        if (lrDecay != null) {
            c.lrDecay = lrDecay;
        }
        if (noBiases) {
            c.biases = false;
        }
        if (patience != null) {
            c.patience = patience;
        }
        if (initScale != null) {
            c.initScale = initScale;
        }
        return c;
    }
}
