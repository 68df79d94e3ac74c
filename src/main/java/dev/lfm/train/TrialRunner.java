package dev.lfm.train;

import dev.lfm.LfmException;
import dev.lfm.compute.Backend;
import dev.lfm.data.Ratings;
import dev.lfm.model.FactorModel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Trains one configuration on a training set, watching a validation set (early stopping as the configuration
 * says), and returns the trial's record: the one step that the {@link Tuner} and the experiments' sweeps repeat.
 *
 * <p>It has no test argument, so a trial never reads test data; a caller that reports test RMSE evaluates the
 * returned {@link Run#model()} itself. A deadline (on the runner's clock: {@link System#nanoTime}, or a test's
 * simulated one) cuts a trial between epochs when the next epoch, as long as the last one, would end past it; a cut
 * trial keeps its history but no model. A diverging
 * trial (NaN/Inf objective) is a record too, not an exception: one bad point of a search or sweep does not end it.
 */
public final class TrialRunner {
    /** "No deadline" for {@link #run(TrainingConfig, long)}. */
    public static final long NO_DEADLINE = Long.MAX_VALUE;

    private final Backend backend;
    private final Ratings train;
    private final Ratings validation;
    private final LongSupplier nanoTime;

    /** On an open backend (the caller closes it); {@code validation} must be non-empty. */
    public TrialRunner(Backend backend, Ratings train, Ratings validation) {
        this(backend, train, validation, System::nanoTime);
    }

    /** As {@link #TrialRunner(Backend, Ratings, Ratings)}, reading deadlines and seconds on {@code nanoTime}. */
    TrialRunner(Backend backend, Ratings train, Ratings validation, LongSupplier nanoTime) {
        if (train == null || train.size() == 0) {
            throw new LfmException("a trial needs a non-empty training set");
        }
        if (validation == null || validation.size() == 0) {
            throw new LfmException("a trial chooses on a validation split, which is empty: set --validation-fraction > 0");
        }
        this.backend = backend;
        this.train = train;
        this.validation = validation;
        this.nanoTime = nanoTime;
    }

    /**
     * One trained configuration.
     *
     * @param config the settings trained (epochs = the budget, patience and seed as run; an automatic rank
     *               resolved to the one the trainer chose when the run finished)
     * @param history every epoch run (validation RMSE per epoch; test RMSE NaN: no test set is given)
     * @param bestEpoch the epoch with the lowest validation RMSE (0 when none is finite)
     * @param model the kept model (the best epoch's under early stopping, else the last); null when cut or diverged
     * @param seconds wall-clock seconds, evaluation and setup included
     */
    public record Run(TrainingConfig config, List<EpochRecord> history, int bestEpoch, FactorModel model,
                      double seconds, boolean cutByBudget, boolean diverged) {
        public int epochsRun() {
            return history.size();
        }

        /** Validation RMSE of the kept model; NaN when cut or diverged (no model kept). */
        public double validationRmse() {
            return model == null || bestEpoch == 0 ? Double.NaN : best().validationRmse();
        }

        /** The best epoch's record (scores of the kept model), or null when there is none. */
        public EpochRecord best() {
            return bestEpoch == 0 ? null : history.get(bestEpoch - 1);
        }
    }

    /** Thrown from the epoch listener to cut a trial at the deadline. */
    private static final class Deadline extends RuntimeException {
        Deadline() {
            super(null, null, false, false);
        }
    }

    /** {@link #run(TrainingConfig, long)} with {@link #NO_DEADLINE}. */
    public Run run(TrainingConfig config) {
        return run(config, NO_DEADLINE);
    }

    /** Trains {@code config} (not modified) for its epochs, cut at {@code deadlineNanos} (on the runner's clock). */
    public Run run(TrainingConfig config, long deadlineNanos) {
        TrainingConfig tc = config.copy();
        List<EpochRecord> seen = new ArrayList<>();
        long t0 = nanoTime.getAsLong();
        long[] last = {t0};
        try {
            TrainingResult r = new Trainer(tc, rec -> {
                seen.add(rec);
                long now = nanoTime.getAsLong();
                long epochNanos = now - last[0];
                last[0] = now;
                // cut when the next epoch (as long as this one, evaluation included) would end past the deadline
                // (a trial whose last epoch just ended is finished, not cut)
                if (deadlineNanos != NO_DEADLINE && rec.epoch() < tc.epochs && deadlineNanos - now <= epochNanos) {
                    throw new Deadline();
                }
            }).train(backend, train, validation, null);
            TrainingConfig ran = tc.copy();
            ran.rank = r.config().rank; // resolved: the automatic rank is the one the trainer's race chose
            return new Run(ran, List.copyOf(r.history()), r.bestEpoch(), r.model(), seconds(t0), false, false);
        } catch (Deadline e) {
            return new Run(tc, List.copyOf(seen), bestOf(seen), null, seconds(t0), true, false);
        } catch (DivergenceException e) {
            return new Run(tc, List.copyOf(seen), 0, null, seconds(t0), false, true);
        }
    }

    private static int bestOf(List<EpochRecord> seen) {
        int bestEpoch = 0;
        double bestVal = Double.NaN;
        for (EpochRecord rec : seen) {
            if (Double.isFinite(rec.validationRmse()) && !(rec.validationRmse() >= bestVal)) {
                bestVal = rec.validationRmse();
                bestEpoch = rec.epoch();
            }
        }
        return bestEpoch;
    }

    private double seconds(long t0) {
        return (nanoTime.getAsLong() - t0) / 1e9;
    }
}
