package dev.lfm.serve;

import dev.lfm.compute.Backend;
import dev.lfm.compute.BackendOptions;
import dev.lfm.compute.Backends;
import dev.lfm.data.RatingsReader;
import dev.lfm.data.ReadOptions;
import dev.lfm.data.Ratings;
import dev.lfm.model.FactorModel;
import dev.lfm.model.ModelIO;
import dev.lfm.train.Trainer;
import dev.lfm.train.TrainingConfig;
import dev.lfm.train.TrainingResult;
import java.util.ArrayList;
import java.util.List;

/**
 * The small Java API of lfm, for programs that embed it (the CLI calls the same functions).
 * Everything takes and returns the ids of the rating file; dense indices stay inside.
 *
 * <pre>{@code
 * Ratings ratings = Lfm.read(Path.of("ratings.csv"));
 * TrainingConfig config = TrainingConfig.defaults();
 * config.algorithm = Algorithm.ALS;
 * FactorModel model = Lfm.train(ratings, config).model();
 * List<Recommendation> top = Lfm.recommend(model, 1, 10, ratings);
 * }</pre>
 *
 * The types involved: {@link Ratings} (read or built from arrays), {@link TrainingConfig} (every
 * setting and default), {@link FactorModel} (the model; {@link #save}/{@link #load}),
 * {@link Recommendation}, {@link FoldIn.Result}; for whole catalogs {@link TopN} and
 * {@link RankingMetrics}.
 */
public final class Lfm {
    private Lfm() {
    }

    /** Reads a rating file (MovieLens u.data / ratings.dat / ratings.csv, LIBMF text), detecting its format. */
    public static Ratings read(java.nio.file.Path file) {
        return RatingsReader.read(file);
    }

    /** Reads a rating file with explicit options (format, delimiter, columns, duplicates, scale). */
    public static Ratings read(java.nio.file.Path file, ReadOptions options) {
        return RatingsReader.read(file, options);
    }

    /** Trains on every rating of {@code train} with the best available backend ("auto"). */
    public static TrainingResult train(Ratings train, TrainingConfig config) {
        return train(train, null, config, "auto", null);
    }

    /**
     * Trains a model.
     *
     * @param train training ratings
     * @param validation validation ratings in the same id space (needed for early stopping), or null
     * @param config the settings ({@link TrainingConfig#defaults()} and change what you need)
     * @param backend "auto", "cpu", "opencl" or "cuda"
     * @param init a model to start from (warm start: same rank, rows matched by file id), or null
     */
    public static TrainingResult train(Ratings train, Ratings validation, TrainingConfig config, String backend,
                                       FactorModel init) {
        try (Backend b = Backends.open(backend, BackendOptions.defaults(), null)) {
            return new Trainer(config, null).train(b, train, validation, null, init);
        }
    }

    /** Writes the model file (atomically). */
    public static void save(FactorModel model, java.nio.file.Path file) {
        ModelIO.save(model, file);
    }

    /** Reads a model file. */
    public static FactorModel load(java.nio.file.Path file) {
        return ModelIO.load(file);
    }

    /**
     * The predicted rating (clipped to the rating scale) of a user for an item, by file ids. A user
     * or item the model does not know contributes neither bias nor factors (μ + the known bias).
     */
    public static float predict(FactorModel model, long user, long item) {
        float s = score(model, user, item);
        return Math.max(model.minRating, Math.min(model.maxRating, s));
    }

    /** The unclipped score μ + b_u + b_i + p_u·q_i by file ids (unknown sides as in {@link #predict}). */
    public static float score(FactorModel model, long user, long item) {
        int u = Ids.userRow(model, user);
        int i = Ids.itemRow(model, item);
        if (u >= 0 && i >= 0) {
            return model.predictRaw(u, i);
        }
        float s = model.mu;
        if (model.biases) {
            s += (u >= 0 ? model.userBias[u] : 0f) + (i >= 0 ? model.itemBias[i] : 0f);
        }
        return s;
    }

    /**
     * The top {@code n} items for one user by unclipped score, skipping the items the user rated in
     * {@code exclude} (may be null). Empty when the model does not know the user.
     */
    public static List<Recommendation> recommend(FactorModel model, long user, int n, Ratings exclude) {
        List<Recommendation> out = new ArrayList<>(n);
        new TopN(model, n).threads(1).exclude(exclude).users(new long[] {user}, out::add);
        return out;
    }

    /**
     * Folds the users of {@code newRatings} into a copy of {@code model} (see {@link FoldIn}):
     * each user's factors and bias solved exactly with the items fixed, by the model's own objective.
     */
    public static FoldIn.Result foldIn(FactorModel model, Ratings newRatings) {
        return FoldIn.foldIn(model, newRatings);
    }
}
