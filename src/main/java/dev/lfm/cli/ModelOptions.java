package dev.lfm.cli;

import dev.lfm.train.TrainingConfig;
import picocli.CommandLine.Option;

/**
 * The model's size and the objective's weights (a picocli mixin): rank k, λ and λ_b. Unset flags
 * keep the command's defaults, which its help shows ({@link TrainingHelp}).
 */
public final class ModelOptions {
    @Option(names = {"-k", "--rank"}, description = "Number of latent factors k (default: ${lfm.rank}).")
    public Integer rank;

    @Option(names = "--reg", description = "Factor regularization λ (default: ${lfm.reg}).")
    public Double reg;

    @Option(names = "--reg-bias", description = "Bias regularization λ_b (default: ${lfm.regBias}).")
    public Double regBias;

    /** Sets on {@code c} every flag that was given; the rest keep {@code c}'s values. */
    public TrainingConfig applyTo(TrainingConfig c) {
        if (rank != null) {
            c.rank = rank;
        }
        if (reg != null) {
            c.lambda = reg;
        }
        if (regBias != null) {
            c.lambdaBias = regBias;
        }
        return c;
    }
}
