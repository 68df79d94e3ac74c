package dev.lfm.objective;

/**
 * The objective's parts: sse = Σ (r − r̂)², factorPenalty = λ·R(P,Q),
 * biasPenalty = λ_b·(Σ c_u b_u² + Σ c_i b_i²), over {@code count} ratings.
 */
public record LossTerms(double sse, double factorPenalty, double biasPenalty, long count) {
    public double value() {
        return sse + factorPenalty + biasPenalty;
    }

    /** RMSE of unclipped predictions. */
    public double rmse() {
        return count == 0 ? Double.NaN : Math.sqrt(sse / count);
    }
}
