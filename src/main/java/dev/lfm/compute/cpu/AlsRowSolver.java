package dev.lfm.compute.cpu;

import dev.lfm.objective.Objective;

/**
 * The exact ALS row solve of the CPU backend, for callers outside a training sweep (fold-in of new
 * users with the item side fixed). With the other side y fixed, row x = [p; b] minimizes
 *
 * <pre>
 *   Σ_n (r_n − μ − yb_n − p·y_n − b)² + λ c ‖p‖² + λ_b c b²,   c = 1 (uniform) or n (weighted)
 * </pre>
 *
 * by solving (Σ z zᵀ + D) x = Σ (r − μ − yb) z, z = [y; 1], in double precision by Cholesky: the
 * same code as {@code CpuAls} runs in every ALS sweep. An instance owns O(k²) scratch: use one
 * per thread.
 */
public final class AlsRowSolver {
    private final int rank;
    private final boolean biases;
    private final Objective objective;
    private final double[] a;
    private final double[] b;
    private final double[] z;

    /**
     * @param rank k
     * @param objective λ, λ_b and the regularization form
     * @param modelHasBiases whether the model has biases (they are solved when the objective has them too)
     */
    public AlsRowSolver(int rank, Objective objective, boolean modelHasBiases) {
        this.rank = rank;
        this.objective = objective;
        this.biases = objective.biases() && modelHasBiases;
        int d = biases ? rank + 1 : rank;
        this.a = new double[d * d];
        this.b = new double[d];
        this.z = new double[d];
    }

    /**
     * Solves one row from its ratings (other[n], values[n]), n in [start, end), against the fixed
     * side y (row-major, k per row) and its biases yb; writes x[xOffset..xOffset+k) and, with
     * biases, xb[xbIndex]. An empty range sets the row to zero (its minimizer: the row is not in L).
     *
     * @param mu the model's global mean
     */
    public void solve(float[] y, float[] yb, float mu, int[] other, float[] values, int start, int end,
                      float[] x, int xOffset, float[] xb, int xbIndex) {
        int count = end - start;
        if (count <= 0) {
            java.util.Arrays.fill(x, xOffset, xOffset + rank, 0f);
            if (biases) {
                xb[xbIndex] = 0f;
            }
            return;
        }
        double coef = objective.regularization().coefficient(count);
        CpuAls.solveRow(y, yb, mu, rank, biases, other, values, start, end,
                objective.lambda() * coef, objective.lambdaBias() * coef, a, b, z, x, xOffset, xb, xbIndex);
    }
}
