package dev.lfm.cli;

import dev.lfm.train.TrainingConfig;
import java.util.function.Consumer;
import picocli.CommandLine.Option;

/**
 * The model's size and the objective's weights (a picocli mixin): rank k, λ and λ_b. Unset flags
 * keep the command's defaults, which its help shows ({@link TrainingHelp}).
 */
public final class ModelOptions {
    @Option(names = {"-k", "--rank"}, paramLabel = "K", description = "Number of latent factors k (default: ${lfm.rank}).")
    public Integer rank;

    @Option(names = "--reg", paramLabel = "LAMBDA", description = "Factor regularization λ (default: ${lfm.reg}).")
    public Double reg;

    @Option(names = "--reg-bias", paramLabel = "LAMBDA_B", description = "Bias regularization λ_b (default: ${lfm.regBias}).")
    public Double regBias;

    /** Hands {@code value} to {@code set} when its flag was given (is not null). */
    static <T> void given(T value, Consumer<T> set) {
        if (value != null) {
            set.accept(value);
        }
    }

    /** Sets on {@code c} every flag that was given; the rest keep {@code c}'s values. */
    public TrainingConfig applyTo(TrainingConfig c) {
        given(rank, v -> {
            if (v < 1) {
                throw new dev.lfm.LfmException("--rank must be between 1 and 4096 (got " + v + ")");
            }
            c.rank = v;
        });
        given(reg, v -> {
            if (!(v >= 0) || v.isInfinite()) { // NaN in the config means "from the data": never from a flag
                throw new dev.lfm.LfmException("--reg must be >= 0 (got " + v + ")");
            }
            c.lambda = v;
        });
        given(regBias, v -> c.lambdaBias = v);
        return c;
    }
}
