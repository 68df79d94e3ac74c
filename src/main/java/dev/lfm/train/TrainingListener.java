package dev.lfm.train;

/** Receives progress from a {@link Trainer}. */
public interface TrainingListener {
    /** Called after each epoch (or ALS sweep) with its record. */
    void onEpoch(EpochRecord record);

    /**
     * Asked after each epoch (its record, divergence check and early-stopping bookkeeping done): true ends the training there, as
     * if that epoch were the last ({@link TrainingResult#stoppedEarly()} says so when epochs were
     * left). {@code lfm compare}'s warm-up run ends this way once its epoch times settle.
     */
    default boolean stopAfter(EpochRecord record) {
        return false;
    }

    TrainingListener NONE = r -> { };
}
