package dev.lfm.train;

import dev.lfm.LfmException;
import dev.lfm.compute.Backend;
import dev.lfm.data.Ratings;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * K-fold cross-validation (as LIBMF's {@code -v} and Surprise's {@code cross_validate}): the ratings are
 * shuffled with a seed and dealt into k folds of sizes differing by at most one; fold f is the test set of
 * run f, which trains on the other k − 1 folds. When the configuration uses early stopping, a validation
 * part (a seeded {@code validationFraction} of the k − 1 training folds) is carved out of training; the
 * held-out fold is never seen by training or early stopping.
 */
public final class CrossValidation {
    private CrossValidation() {
    }

    /**
     * Per-fold results and their summary.
     *
     * @param foldRmse test RMSE of each fold, in fold order
     * @param mean arithmetic mean of {@code foldRmse}
     * @param std sample standard deviation (n − 1) of {@code foldRmse}; 0 for one fold
     * @param results each fold's training result
     */
    public record Result(int folds, double[] foldRmse, double mean, double std, List<TrainingResult> results) {
    }

    /** Called after each fold (for progress lines). */
    @FunctionalInterface
    public interface FoldListener {
        void onFold(int fold, int folds, TrainingResult result, double testRmse);
    }

    /** {@link #run(Ratings, int, TrainingConfig, long, double, Backend, FoldListener)} with 10% validation. */
    public static Result run(Ratings ratings, int folds, TrainingConfig config, long seed, Backend backend) {
        return run(ratings, folds, config, seed, 0.1, backend, null);
    }

    /**
     * Runs k-fold cross-validation of {@code config} on {@code ratings}.
     *
     * @param validationFraction fraction of each run's training folds held out for early stopping (0: none,
     *                           which turns the default early stopping off)
     */
    public static Result run(Ratings ratings, int folds, TrainingConfig config, long seed, double validationFraction,
                             Backend backend, FoldListener listener) {
        if (folds < 2) {
            throw new LfmException("--folds must be >= 2 (got " + folds + ")");
        }
        if (ratings.size() < folds) {
            throw new LfmException("--folds " + folds + " needs at least " + folds + " ratings (got " + ratings.size() + ")");
        }
        if (!(validationFraction >= 0 && validationFraction < 1)) {
            throw new LfmException("validation fraction must be in [0, 1) (got " + validationFraction + ")");
        }
        Ratings[] tests = folds(ratings, folds, seed);
        int[] fold = assignFolds(ratings.size(), folds, seed);
        double[] rmse = new double[folds];
        List<TrainingResult> results = new ArrayList<>();
        for (int f = 0; f < folds; f++) {
            Ratings test = tests[f];
            Ratings rest = select(ratings, fold, f, false);
            Ratings train = rest;
            Ratings validation = null;
            if (validationFraction > 0) {
                var s = dev.lfm.data.Splits.random(rest, 0, validationFraction, Trainer.mix(seed, f + 1));
                train = s.train();
                validation = s.validation();
            }
            TrainingResult r = new Trainer(config, null).train(backend, train, validation, test);
            rmse[f] = r.best().testRmse();
            results.add(r);
            if (listener != null) {
                listener.onFold(f + 1, folds, r, rmse[f]);
            }
        }
        double mean = 0;
        for (double x : rmse) {
            mean += x;
        }
        mean /= folds;
        double ss = 0;
        for (double x : rmse) {
            ss += (x - mean) * (x - mean);
        }
        return new Result(folds, rmse, mean, Math.sqrt(ss / (folds - 1)), List.copyOf(results));
    }

    /**
     * The fold (0..k−1) of each rating position: a seeded shuffle of positions dealt round-robin, so fold sizes
     * differ by at most one. The same n, k and seed give the same folds on any machine.
     */
    public static int[] assignFolds(int n, int folds, long seed) {
        int[] order = new int[n];
        for (int j = 0; j < n; j++) {
            order[j] = j;
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int j = n - 1; j > 0; j--) {
            int k = rnd.nextInt(j + 1);
            int t = order[j];
            order[j] = order[k];
            order[k] = t;
        }
        int[] fold = new int[n];
        for (int j = 0; j < n; j++) {
            fold[order[j]] = j % folds;
        }
        return fold;
    }

    /** The k test folds themselves (fold f = the ratings at positions {@link #assignFolds} puts in f). */
    public static Ratings[] folds(Ratings ratings, int folds, long seed) {
        int[] fold = assignFolds(ratings.size(), folds, seed);
        Ratings[] out = new Ratings[folds];
        for (int f = 0; f < folds; f++) {
            out[f] = select(ratings, fold, f, true);
        }
        return out;
    }

    private static Ratings select(Ratings r, int[] fold, int f, boolean in) {
        int[] pos = new int[r.size()];
        int m = 0;
        for (int j = 0; j < fold.length; j++) {
            if ((fold[j] == f) == in) {
                pos[m++] = j;
            }
        }
        return r.select(pos, m);
    }
}
