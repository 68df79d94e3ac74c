package dev.lfm.model;

import dev.lfm.data.Gaussian;
import dev.lfm.data.IdMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A trained (or initialized) latent factor model r̂(u,i) = μ + b_u + b_i + p_u·q_i.
 * Factors are float32, row-major: p_u occupies {@code p[u*rank .. u*rank+rank)}. Indices are
 * dense (0-based); {@link #userIds} and {@link #itemIds} map back to the source file's ids.
 */
public final class FactorModel {
    public final int numUsers;
    public final int numItems;
    public final int rank;
    public final float[] p;
    public final float[] q;
    public final float[] userBias;
    public final float[] itemBias;
    public float mu;
    public final boolean biases;
    public float minRating;
    public float maxRating;
    public IdMap userIds;
    public IdMap itemIds;
    /** Free-form provenance (algorithm, hyper-parameters, data, seed, date); saved with the model. */
    public final Map<String, String> provenance = new LinkedHashMap<>();

    public FactorModel(int numUsers, int numItems, int rank, boolean biases) {
        if (rank < 1) {
            throw new dev.lfm.LfmException("rank must be >= 1 (got " + rank + ")");
        }
        long rows = Math.max(numUsers, numItems);
        if (rows * rank > Integer.MAX_VALUE - 8) {
            throw new dev.lfm.LfmException(String.format(
                    "rank %d x %d rows needs %d floats per factor matrix, more than a Java array holds (2^31): lower --rank",
                    rank, rows, rows * rank));
        }
        this.numUsers = numUsers;
        this.numItems = numItems;
        this.rank = rank;
        this.p = new float[numUsers * rank];
        this.q = new float[numItems * rank];
        this.userBias = new float[numUsers];
        this.itemBias = new float[numItems];
        this.biases = biases;
    }

    /**
     * Seeded initialization: factor entries ~ N(0, scale²) for rows that have training ratings,
     * zero for rows that have none (zero is their minimizer, so they are predicted by the biases).
     */
    public void initialize(long seed, double scale, int[] userCounts, int[] itemCounts) {
        SplittableRandom rnd = new SplittableRandom(seed);
        fill(p, numUsers, userCounts, rnd.split(), scale);
        fill(q, numItems, itemCounts, rnd.split(), scale);
    }

    private void fill(float[] f, int rows, int[] counts, SplittableRandom rnd, double scale) {
        for (int r = 0; r < rows; r++) {
            boolean active = counts == null || counts[r] > 0;
            for (int c = 0; c < rank; c++) {
                f[r * rank + c] = active ? (float) (Gaussian.next(rnd) * scale) : 0f;
            }
        }
    }

    /** Unclipped prediction. */
    public float predictRaw(int u, int i) {
        float s = mu;
        if (biases) {
            s += userBias[u] + itemBias[i];
        }
        int pu = u * rank;
        int qi = i * rank;
        for (int c = 0; c < rank; c++) {
            s += p[pu + c] * q[qi + c];
        }
        return s;
    }

    /** Prediction clipped to the rating scale. */
    public float predict(int u, int i) {
        return Math.max(minRating, Math.min(maxRating, predictRaw(u, i)));
    }

    public FactorModel copy() {
        FactorModel m = new FactorModel(numUsers, numItems, rank, biases);
        copyInto(m);
        m.userIds = userIds;
        m.itemIds = itemIds;
        m.provenance.putAll(provenance);
        return m;
    }

    /** Copies parameters (not ids or provenance) into a model of the same shape. */
    public void copyInto(FactorModel m) {
        if (m.numUsers != numUsers || m.numItems != numItems || m.rank != rank) {
            throw new IllegalArgumentException("shape mismatch");
        }
        System.arraycopy(p, 0, m.p, 0, p.length);
        System.arraycopy(q, 0, m.q, 0, q.length);
        System.arraycopy(userBias, 0, m.userBias, 0, userBias.length);
        System.arraycopy(itemBias, 0, m.itemBias, 0, itemBias.length);
        m.mu = mu;
        m.minRating = minRating;
        m.maxRating = maxRating;
    }
}
