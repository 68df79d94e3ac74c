package dev.lfm.serve;

import dev.lfm.data.Gaussian;
import dev.lfm.data.Ratings;
import dev.lfm.model.FactorModel;
import java.util.SplittableRandom;

/** Test fixture: random models for the serving tests (the CPU's and every GPU backend's). */
public final class RandomModels {
    private RandomModels() {
    }

    /** A random model over the id space of {@code r}: N(0, 0.25) factors and biases, μ 3.5, scale 1..5. */
    public static FactorModel randomModel(Ratings r, int k, long seed) {
        FactorModel m = new FactorModel(r.numUsers(), r.numItems(), k, true);
        SplittableRandom rnd = new SplittableRandom(seed);
        for (float[] a : new float[][] {m.p, m.q, m.userBias, m.itemBias}) {
            for (int j = 0; j < a.length; j++) {
                a[j] = (float) (0.5 * Gaussian.next(rnd));
            }
        }
        m.mu = 3.5f;
        m.minRating = 1;
        m.maxRating = 5;
        m.userIds = r.userIds();
        m.itemIds = r.itemIds();
        return m;
    }
}
