package dev.lfm.train;

import dev.lfm.model.FactorModel;
import java.util.List;

/**
 * The outcome of a run: the model (the best epoch's when early stopping was on), the full
 * history, and totals.
 *
 * @param bestEpoch epoch whose parameters the model holds
 * @param stoppedEarly whether patience ran out before the last epoch
 * @param updates rating updates performed (ratings visited by training steps)
 * @param trainSeconds training time without evaluation
 * @param config the settings the run used, with every data-dependent default resolved (λ, patience, rank)
 */
public record TrainingResult(FactorModel model, List<EpochRecord> history, int bestEpoch, boolean stoppedEarly,
                             long updates, double trainSeconds, String backend, String device,
                             TrainingConfig config) {

    public EpochRecord best() {
        return history.get(bestEpoch - 1);
    }

    public EpochRecord last() {
        return history.get(history.size() - 1);
    }

    public int epochsRun() {
        return history.size();
    }

    public double updatesPerSecond() {
        return trainSeconds > 0 ? updates / trainSeconds : Double.NaN;
    }
}
