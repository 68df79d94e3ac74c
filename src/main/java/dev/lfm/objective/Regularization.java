package dev.lfm.objective;

/**
 * The two regularization forms of the objective.
 *
 * <ul>
 *   <li>{@link #UNIFORM}: R = Σ_u ‖p_u‖² + Σ_i ‖q_i‖² (the seed formulation; every row pays λ once).
 *   <li>{@link #WEIGHTED}: R = Σ_u n_u‖p_u‖² + Σ_i n_i‖q_i‖² (frequency weighted, Spark's ALS-WR;
 *       exactly what per-rating SGD as in Funk, LIBMF and Surprise minimizes).
 * </ul>
 *
 * The bias terms λ_b(Σ b_u² + Σ b_i²) use the same weighting. Sums run over rows with at least one
 * training rating. Both forms decompose into a sum of
 * per-rating terms with weights w_u = c_u / n_u, which is how SGD and mini-batch training see them.
 */
public enum Regularization {
    UNIFORM,
    WEIGHTED;

    /**
     * Coefficient c of a row with {@code count} training ratings in the objective. A row with no
     * training ratings has c = 0 in both forms: it is not part of L (every algorithm holds it at
     * zero, and it is predicted by the biases and μ), so L stays exactly the sum of per-rating terms.
     */
    public double coefficient(int count) {
        if (count == 0) {
            return 0.0;
        }
        return this == UNIFORM ? 1.0 : count;
    }

    /** Per-rating weight w = c / n of a row with {@code count} training ratings (0 when count is 0). */
    public float perRatingWeight(int count) {
        if (count == 0) {
            return 0f;
        }
        return this == UNIFORM ? 1.0f / count : 1.0f;
    }

    public static Regularization parse(String s) {
        switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "uniform": case "l2": return UNIFORM;
            case "weighted": case "frequency": case "als-wr": return WEIGHTED;
            default: throw new IllegalArgumentException("unknown regularization '" + s + "' (uniform|weighted)");
        }
    }
}
