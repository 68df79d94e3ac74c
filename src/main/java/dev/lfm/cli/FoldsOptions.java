package dev.lfm.cli;

import dev.lfm.LfmException;
import dev.lfm.compute.Backend;
import dev.lfm.data.Ratings;
import dev.lfm.train.CrossValidation;
import dev.lfm.train.TrainingConfig;
import dev.lfm.train.Tuner;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * {@code --folds K} of {@code lfm train} (a picocli mixin): K-fold cross-validation ({@link CrossValidation}) of
 * the command's settings on the ratings outside the test split, before the command's usual run.
 */
public final class FoldsOptions {
    @Option(names = "--folds", paramLabel = "K",
            description = {"K-fold cross-validation (K >= 2) of these settings before the usual run: the ratings "
                    + "outside the test split (--data with --test-fraction, or the whole --train file) are dealt "
                    + "into K folds, each held out once while the other K-1 train (early stopping on their own "
                    + "--validation-fraction). Prints each fold's RMSE and mean ± std; the report adds folds, "
                    + "fold_rmse, cv_rmse_mean, cv_rmse_std. The test split or --test file is never part of the "
                    + "folds: test_rmse and --save are those of the usual run that follows. --test-fraction 0 "
                    + "cross-validates every rating."})
    public Integer folds;

    /** Fails now on a bad K (before any data is read). */
    public void check() {
        if (folds != null && folds < 2) {
            throw new LfmException("--folds must be >= 2 (got " + folds + ")");
        }
    }

    /** Runs the cross-validation when --folds was given (null otherwise), printing each fold and the summary. */
    public CrossValidation.Result run(Dataset ds, TrainingConfig config, double validationFraction, long seed,
                                      Backend backend, PrintWriter out) {
        if (folds == null) {
            return null;
        }
        check();
        Ratings pool = ds.validation() == null || ds.validation().size() == 0 ? ds.train()
                : Tuner.concat(ds.train(), ds.validation());
        out.printf(Locale.ROOT, "cross-validation: %d folds of the %d ratings outside the test split "
                + "(%.0f%% of each fold's training part for validation)%n", folds, pool.size(), 100 * validationFraction);
        CrossValidation.Result cv = CrossValidation.run(pool, folds, config, seed, validationFraction, backend,
                (f, k, r, rmse) -> {
                    out.printf(Locale.ROOT, "fold %d/%d: held-out RMSE %.5f (%d epochs, best epoch %d, %.2f s)%n", f, k,
                            rmse, r.epochsRun(), r.bestEpoch(), r.trainSeconds());
                    out.flush();
                });
        out.printf(Locale.ROOT, "cross-validation RMSE: %.5f ± %.5f (mean ± std over %d folds)%n", cv.mean(), cv.std(),
                cv.folds());
        return cv;
    }

    /** Adds the cross-validation keys to a report ({@code cv} may be null: nothing added). */
    public static Map<String, Object> addTo(Map<String, Object> report, CrossValidation.Result cv) {
        if (cv != null) {
            report.put("folds", cv.folds());
            report.put("fold_rmse", Arrays.stream(cv.foldRmse()).boxed().toList());
            report.put("cv_rmse_mean", cv.mean());
            report.put("cv_rmse_std", cv.std());
        }
        return report;
    }
}
