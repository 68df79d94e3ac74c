package dev.lfm.train;

import dev.lfm.LfmException;

/** Training produced NaN or Inf; the message names the epoch and advises a smaller step. */
public final class DivergenceException extends LfmException {
    public DivergenceException(String message) {
        super(message);
    }
}
