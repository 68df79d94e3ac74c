package dev.lfm.experiment;

import dev.lfm.compute.RatingSet;

import dev.lfm.LfmException;
import dev.lfm.compute.Backend;
import dev.lfm.data.Ratings;
import dev.lfm.report.Progress;
import dev.lfm.train.EpochRecord;
import dev.lfm.train.Trainer;
import dev.lfm.train.TrainingConfig;
import dev.lfm.train.TrainingListener;
import dev.lfm.train.TrainingResult;
import dev.lfm.train.TrialRunner;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What every experiment runs on: the three splits (one id space), a supplier that opens a fresh
 * backend per trained model (each run uploads its own ratings and parameters and closes the
 * backend afterwards), the base training configuration that each experiment varies, and a
 * progress sink (silent when null). Hyper-parameters are always chosen on {@code validation};
 * {@code test} is only reported.
 */
public record ExperimentContext(Ratings train, Ratings validation, Ratings test, Supplier<Backend> backends,
                                TrainingConfig base, Progress progress) {
    public ExperimentContext {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(backends, "backends");
        base = base.copy().validate();
        progress = progress == null ? Progress.silent() : progress;
    }

    /** A copy of the base configuration, free to modify. */
    @Override
    public TrainingConfig base() {
        return base.copy();
    }

    /** Opens a fresh backend (the caller closes it). */
    public Backend openBackend() {
        return backends.get();
    }

    /** Whether a non-empty validation split is present. */
    public boolean hasValidation() {
        return validation != null && validation.size() > 0;
    }

    /** Fails with a one-line message when the experiment needs a validation split and has none. */
    public void requireValidation(String experiment) {
        if (!hasValidation()) {
            throw new LfmException(experiment + " chooses on the validation split, which is empty: "
                    + "set --validation-fraction > 0");
        }
    }

    /** Trains one model on a fresh backend without per-epoch output. */
    public TrainingResult train(TrainingConfig config) {
        return train(config, TrainingListener.NONE);
    }

    /** Trains one model on a fresh backend, reporting each epoch to {@code listener}. */
    public TrainingResult train(TrainingConfig config, TrainingListener listener) {
        try (Backend b = openBackend()) {
            return new Trainer(config, listener).train(b, train, validation, test);
        }
    }

    /**
     * One trial of a sweep: {@link TrialRunner} on a fresh backend (train and validation only, early stopping as
     * {@code config} says), then the kept model's test RMSE, computed here for the report (NaN when the trial
     * diverged). Every score describes the kept model (the best validation epoch under early stopping).
     */
    public Trial trial(TrainingConfig config) {
        requireValidation("a sweep");
        try (Backend b = openBackend()) {
            TrialRunner.Run run = new TrialRunner(b, train, validation).run(config);
            double testRmse = Double.NaN;
            if (run.model() != null && test != null && test.size() > 0) {
                b.setModel(run.model());
                try (RatingSet resident = b.upload(test)) {
                    testRmse = b.evaluate(resident).rmse();
                }
            }
            return new Trial(run, testRmse);
        }
    }

    /** A {@link TrialRunner.Run} and its model's test RMSE; scores are NaN where the trial kept no model. */
    public record Trial(TrialRunner.Run run, double testRmse) {
        public double trainRmse() {
            return run.model() == null || run.best() == null ? Double.NaN : run.best().trainRmse();
        }

        public double validationRmse() {
            return run.validationRmse();
        }

        public double objective() {
            return run.model() == null || run.best() == null ? Double.NaN : run.best().objective();
        }

        public int epochsRun() {
            return run.epochsRun();
        }

        /** Training seconds of all epochs run (evaluation excluded). */
        public double trainSeconds() {
            return run.history().isEmpty() ? 0 : run.history().get(run.epochsRun() - 1).elapsed();
        }
    }

    /**
     * A listener that prints about ten evenly spaced epoch lines of a run with {@code epochs}
     * epochs (plus the last) as progress notes.
     */
    public TrainingListener epochNotes(String label, int epochs) {
        int every = Math.max(1, epochs / 10);
        return r -> {
            if (r.epoch() % every == 0 || r.epoch() == epochs || r.epoch() == 1) {
                progress.note(label + " " + describe(r));
            }
        };
    }

    /** "epoch 3: L 1.23e+04, RMSE train 0.81 / val 0.85 / test 0.86, 1.2 s". */
    public static String describe(EpochRecord r) {
        return String.format(Locale.ROOT, "epoch %d: L %.5g, RMSE train %.4f / val %.4f / test %.4f, %.2f s",
                r.epoch(), r.objective(), r.trainRmse(), r.validationRmse(), r.testRmse(), r.elapsed());
    }
}
