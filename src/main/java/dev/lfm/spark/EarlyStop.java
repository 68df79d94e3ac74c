package dev.lfm.spark;

/**
 * Early stopping on the validation RMSE as lfm's single-machine trainer applies it: with
 * patience N &gt; 0, an epoch better than every earlier one is the best; N epochs in a row without
 * one stop the run (early, if epochs were left). With patience 0 nothing is tracked.
 */
final class EarlyStop {
    enum Verdict { BEST, GO_ON, STOP }

    private final int patience;
    private final int epochs;
    private double bestRmse = Double.POSITIVE_INFINITY;
    private int best;
    private int without;
    private boolean early;

    EarlyStop(int patience, int epochs) {
        this.patience = patience;
        this.epochs = epochs;
    }

    /** The verdict on {@code epoch} with validation RMSE {@code rmse}. */
    Verdict observe(int epoch, double rmse) {
        if (patience <= 0) {
            return Verdict.GO_ON;
        }
        if (rmse < bestRmse) {
            bestRmse = rmse;
            best = epoch;
            without = 0;
            return Verdict.BEST;
        }
        if (++without >= patience) {
            early = epoch < epochs;
            return Verdict.STOP;
        }
        return Verdict.GO_ON;
    }

    /** The best epoch so far (0: none, as with patience 0). */
    int bestEpoch() {
        return best;
    }

    boolean stoppedEarly() {
        return early;
    }
}
