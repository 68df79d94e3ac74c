package dev.lfm.verify;

import dev.lfm.data.Ratings;
import dev.lfm.data.Split;
import dev.lfm.data.SyntheticRatings;
import dev.lfm.model.FactorModel;

/**
 * A planted low-rank problem for verification ({@link SyntheticRatings#planted}): train and test
 * ratings and a seeded starting model.
 */
public record PlantedProblem(Ratings train, Ratings test) {

    /** See {@link SyntheticRatings#planted(int, int, int, double, double, long)}. */
    public static PlantedProblem generate(int numUsers, int numItems, int rank, double density, double noise,
                                          long seed) {
        Split s = SyntheticRatings.planted(numUsers, numItems, rank, density, noise, seed);
        return new PlantedProblem(s.train(), s.test());
    }

    /** A seeded starting model of rank {@code k} with biases: factors N(0, 0.1²), μ = train mean. */
    public FactorModel initialModel(int k, long seed) {
        FactorModel m = new FactorModel(train.numUsers(), train.numItems(), k, true);
        m.initialize(seed, 0.1, train.userCounts(), train.itemCounts());
        m.mu = (float) train.mean();
        m.minRating = train.minRating();
        m.maxRating = train.maxRating();
        return m;
    }
}
