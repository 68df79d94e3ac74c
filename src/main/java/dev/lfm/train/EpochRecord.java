package dev.lfm.train;

/**
 * One epoch (or ALS sweep) of history. RMSEs use clipped predictions; NaN where a set is empty.
 *
 * @param objective L over the training set after the epoch
 * @param seconds wall-clock seconds of the epoch's training work (evaluation excluded)
 * @param elapsed cumulative training seconds up to and including this epoch
 */
public record EpochRecord(int epoch, double objective, double trainRmse, double validationRmse, double testRmse,
                          double testMae, double seconds, double elapsed, double lr) {
}
