package dev.lfm.train;

import dev.lfm.LfmException;

/** Training diverged (NaN, Inf, or a thousandfold rise of the objective: {@link Divergence}); the message names the epoch and gives advice that fits the algorithm. */
public final class DivergenceException extends LfmException {
    public DivergenceException(String message) {
        super(message);
    }
}
