package dev.lfm.compute;

/** Σ squared and Σ absolute errors of clipped predictions over {@code count} ratings. */
public record ErrorSums(double sse, double sae, long count) {
    public double rmse() {
        return count == 0 ? Double.NaN : Math.sqrt(sse / count);
    }

    public double mae() {
        return count == 0 ? Double.NaN : sae / count;
    }
}
