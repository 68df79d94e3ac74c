package dev.lfm.compute.gpu;

import dev.lfm.data.Ratings;
import dev.lfm.model.FactorModel;
import java.util.SplittableRandom;

/**
 * A planted low-rank problem for verification: r = 3 + b_u + b_i + p_u·q_i + noise with true
 * factors of the given rank (entries N(0, 1/√rank)), biases N(0, 0.3²), Gaussian noise, each
 * (u, i) observed with probability {@code density}; a seeded 80/20 train/test split.
 */
public record PlantedProblem(Ratings train, Ratings test) {

    public static PlantedProblem generate(int numUsers, int numItems, int rank, double density, double noise,
                                          long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double scale = 1 / Math.sqrt(rank);
        double[] p = gaussians(rnd, numUsers * rank, scale);
        double[] q = gaussians(rnd, numItems * rank, scale);
        double[] bu = gaussians(rnd, numUsers, 0.3);
        double[] bi = gaussians(rnd, numItems, 0.3);
        int cap = (int) Math.min(Integer.MAX_VALUE - 8, (long) Math.ceil(numUsers * (double) numItems * density * 1.2) + 16);
        int[][] u = {new int[cap / 2 + 8], new int[cap / 2 + 8]};
        int[][] it = {new int[cap / 2 + 8], new int[cap / 2 + 8]};
        float[][] v = {new float[cap / 2 + 8], new float[cap / 2 + 8]};
        int[] n = new int[2];
        float lo = Float.MAX_VALUE;
        float hi = -Float.MAX_VALUE;
        for (int a = 0; a < numUsers; a++) {
            for (int b = 0; b < numItems; b++) {
                if (rnd.nextDouble() >= density) {
                    continue;
                }
                double r = 3 + bu[a] + bi[b] + noise * FactorModel.gaussian(rnd);
                for (int c = 0; c < rank; c++) {
                    r += p[a * rank + c] * q[b * rank + c];
                }
                int side = rnd.nextDouble() < 0.8 ? 0 : 1;
                if (n[side] == u[side].length) {
                    u[side] = java.util.Arrays.copyOf(u[side], n[side] * 2);
                    it[side] = java.util.Arrays.copyOf(it[side], n[side] * 2);
                    v[side] = java.util.Arrays.copyOf(v[side], n[side] * 2);
                }
                u[side][n[side]] = a;
                it[side][n[side]] = b;
                v[side][n[side]] = (float) r;
                n[side]++;
                lo = Math.min(lo, (float) r);
                hi = Math.max(hi, (float) r);
            }
        }
        float min = (float) Math.floor(lo);
        float max = (float) Math.ceil(hi);
        return new PlantedProblem(
                new Ratings(numUsers, numItems, u[0], it[0], v[0], n[0], null, null, min, max).trimmed(),
                new Ratings(numUsers, numItems, u[1], it[1], v[1], n[1], null, null, min, max).trimmed());
    }

    private static double[] gaussians(SplittableRandom rnd, int n, double scale) {
        double[] a = new double[n];
        for (int j = 0; j < n; j++) {
            a[j] = FactorModel.gaussian(rnd) * scale;
        }
        return a;
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
