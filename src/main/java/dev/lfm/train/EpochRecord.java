package dev.lfm.train;

/**
 * One epoch (or ALS sweep) of history. RMSEs use clipped predictions; NaN where a set is empty.
 *
 * @param objective L over the training set after the epoch
 * @param seconds wall-clock seconds of the epoch's training work (evaluation excluded)
 * @param elapsed cumulative training seconds up to and including this epoch
 * @param trainExact true when objective and trainRmse are exact (the model after the epoch over
 *     every training rating, clipped predictions for the RMSE); false when they are the errors
 *     during the epoch (each rating's residual just before its own update, unclipped, plus the
 *     end-of-epoch penalty): see {@link TrainingConfig#evalEvery}. Validation and test are always exact.
 */
public record EpochRecord(int epoch, double objective, double trainRmse, double validationRmse, double testRmse,
                          double testMae, double seconds, double elapsed, double lr, boolean trainExact) {
    /** An epoch whose objective and train RMSE are exact. */
    public EpochRecord(int epoch, double objective, double trainRmse, double validationRmse, double testRmse,
                       double testMae, double seconds, double elapsed, double lr) {
        this(epoch, objective, trainRmse, validationRmse, testRmse, testMae, seconds, elapsed, lr, true);
    }
}
