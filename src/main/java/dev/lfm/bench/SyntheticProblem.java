package dev.lfm.bench;

import dev.lfm.data.IdMap;
import dev.lfm.data.Ratings;
import dev.lfm.model.FactorModel;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * A uniform random sparse problem with a planted low-rank structure, for benchmarks only:
 * {@code numRatings} (user, item) pairs drawn uniformly (repeats are possible and harmless for
 * timing), r = 3 + u·v + noise with u, v ~ N(0, 1/√rank) per entry, clipped to [1, 5]. Generated
 * in parallel chunks with split seeds, so the result depends only on the arguments.
 */
public final class SyntheticProblem {
    private static final int CHUNK = 1 << 20;

    private SyntheticProblem() {
    }

    /** Generates the problem; every call with the same arguments gives the same ratings. */
    public static Ratings generate(int numUsers, int numItems, int numRatings, int trueRank, double noise, long seed) {
        if (numUsers < 1 || numItems < 1 || numRatings < 0 || trueRank < 1) {
            throw new IllegalArgumentException("users, items, rank must be >= 1 and ratings >= 0");
        }
        SplittableRandom root = new SplittableRandom(seed);
        float[] u = gaussians(numUsers * trueRank, root.split(), 1 / Math.sqrt(Math.sqrt(trueRank)));
        float[] v = gaussians(numItems * trueRank, root.split(), 1 / Math.sqrt(Math.sqrt(trueRank)));
        long chunkSeed = root.nextLong();
        int[] users = new int[numRatings];
        int[] items = new int[numRatings];
        float[] values = new float[numRatings];
        int chunks = (numRatings + CHUNK - 1) / CHUNK;
        IntStream.range(0, chunks).parallel().forEach(c -> {
            SplittableRandom rnd = new SplittableRandom(chunkSeed + 0x9E3779B97F4A7C15L * (c + 1));
            int to = (int) Math.min(numRatings, (long) (c + 1) * CHUNK);
            for (int n = c * CHUNK; n < to; n++) {
                int a = rnd.nextInt(numUsers);
                int b = rnd.nextInt(numItems);
                double r = 3 + noise * FactorModel.gaussian(rnd);
                for (int j = 0; j < trueRank; j++) {
                    r += u[a * trueRank + j] * v[b * trueRank + j];
                }
                users[n] = a;
                items[n] = b;
                values[n] = (float) Math.max(1, Math.min(5, r));
            }
        });
        return new Ratings(numUsers, numItems, users, items, values, numRatings, IdMap.identity(numUsers),
                IdMap.identity(numItems), 1f, 5f);
    }

    private static float[] gaussians(int n, SplittableRandom rnd, double scale) {
        float[] a = new float[n];
        for (int j = 0; j < n; j++) {
            a[j] = (float) (FactorModel.gaussian(rnd) * scale);
        }
        return a;
    }
}
