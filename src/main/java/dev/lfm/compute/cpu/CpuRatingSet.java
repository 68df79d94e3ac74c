package dev.lfm.compute.cpu;

import dev.lfm.compute.RatingSet;
import dev.lfm.data.Ratings;
import dev.lfm.objective.Regularization;
import java.util.Arrays;

/** A rating set on the CPU backend: the host arrays plus derived counts and plans. */
final class CpuRatingSet implements RatingSet {
    final Ratings ratings;
    final int[] userCounts;
    final int[] itemCounts;
    /** Order for gradient steps (null = identity). */
    int[] order;
    /** Block plan for SGD epochs, built on first use. */
    SgdPlan sgdPlan;
    /** Row-compressed views for ALS, built on first use: [0] by user (CSR), [1] by item (CSC). */
    Compressed[] compressed;
    private Regularization weightsFor;
    private float[] userWeights;
    private float[] itemWeights;

    CpuRatingSet(Ratings ratings) {
        this.ratings = ratings;
        this.userCounts = ratings.userCounts();
        this.itemCounts = ratings.itemCounts();
    }

    @Override
    public Ratings host() {
        return ratings;
    }

    /** Per-rating regularization weights w = c/n for users. */
    synchronized float[] userWeights(Regularization reg) {
        ensureWeights(reg);
        return userWeights;
    }

    synchronized float[] itemWeights(Regularization reg) {
        ensureWeights(reg);
        return itemWeights;
    }

    private void ensureWeights(Regularization reg) {
        if (weightsFor == reg) {
            return;
        }
        userWeights = weights(userCounts, reg);
        itemWeights = weights(itemCounts, reg);
        weightsFor = reg;
    }

    /** The ratings grouped by user (byUser) or by item: ptr (rows+1), the other index, values. */
    record Compressed(int[] ptr, int[] other, float[] values) {
    }

    synchronized Compressed[] compressed() {
        if (compressed == null) {
            compressed = new Compressed[] {
                compress(ratings.users(), ratings.items(), userCounts),
                compress(ratings.items(), ratings.users(), itemCounts)};
        }
        return compressed;
    }

    private Compressed compress(int[] rows, int[] cols, int[] counts) {
        int n = ratings.size();
        int[] ptr = new int[counts.length + 1];
        for (int r = 0; r < counts.length; r++) {
            ptr[r + 1] = ptr[r] + counts[r];
        }
        int[] fill = Arrays.copyOf(ptr, counts.length);
        int[] other = new int[n];
        float[] vals = new float[n];
        float[] v = ratings.values();
        for (int j = 0; j < n; j++) {
            int at = fill[rows[j]]++;
            other[at] = cols[j];
            vals[at] = v[j];
        }
        return new Compressed(ptr, other, vals);
    }

    private static float[] weights(int[] counts, Regularization reg) {
        float[] w = new float[counts.length];
        for (int r = 0; r < counts.length; r++) {
            w[r] = reg.perRatingWeight(counts[r]);
        }
        return w;
    }
}
