package dev.lfm.train;

/** Receives progress from a {@link Trainer}. */
public interface TrainingListener {
    /** Called after each epoch (or ALS sweep) with its record. */
    void onEpoch(EpochRecord record);

    TrainingListener NONE = r -> { };
}
