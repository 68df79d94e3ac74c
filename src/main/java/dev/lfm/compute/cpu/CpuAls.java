package dev.lfm.compute.cpu;

import dev.lfm.compute.Side;
import dev.lfm.model.FactorModel;
import dev.lfm.objective.Objective;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * One ALS half-sweep on the CPU. For each row x (say user u) with the other side fixed, the
 * objective restricted to x is a quadratic whose minimizer solves
 *
 * <pre>
 *   (Σ_i z_i z_iᵀ + D) x = Σ_i (r_ui − μ − b_i) z_i,   z_i = [q_i; 1],  x = [p_u; b_u],
 *   D = diag(λ c_u, …, λ c_u, λ_b c_u)
 * </pre>
 *
 * (without biases: z_i = q_i, x = p_u, target r_ui − μ). c_u is 1 (uniform) or n_u (weighted).
 * The (k+1)×(k+1) system is factored by Cholesky in double precision, per thread scratch, no
 * per-row allocation. Rows without ratings are set to zero.
 */
final class CpuAls {
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;

    private CpuAls() {
    }

    static void solve(FactorModel m, CpuRatingSet t, Objective obj, Side side, Parallel parallel) {
        CpuRatingSet.Compressed c = t.compressed()[side == Side.USERS ? 0 : 1];
        boolean users = side == Side.USERS;
        float[] x = users ? m.p : m.q;
        float[] y = users ? m.q : m.p;
        float[] xb = users ? m.userBias : m.itemBias;
        float[] yb = users ? m.itemBias : m.userBias;
        int[] counts = users ? t.userCounts : t.itemCounts;
        int rows = users ? m.numUsers : m.numItems;
        boolean biases = obj.biases() && m.biases;
        int k = m.rank;
        int d = biases ? k + 1 : k;
        parallel.forRange(rows, (th, from, to) -> {
            double[] a = new double[d * d];
            double[] b = new double[d];
            double[] z = new double[d];
            for (int row = from; row < to; row++) {
                int start = c.ptr()[row];
                int end = c.ptr()[row + 1];
                if (start == end) {
                    for (int j = 0; j < k; j++) {
                        x[row * k + j] = 0f;
                    }
                    xb[row] = 0f;
                    continue;
                }
                double coef = obj.regularization().coefficient(counts[row]);
                solveRow(y, yb, m.mu, k, biases, c.other(), c.values(), start, end,
                        obj.lambda() * coef, obj.lambdaBias() * coef, a, b, z, x, row * k, xb, row);
            }
        });
    }

    /**
     * The solve above for one row whose ratings are (other[n], values[n]), n in [start, end), with
     * the diagonal D = diag(lambdaC, …, lambdaC, lambdaBiasC) already scaled by the row's c.
     * Writes x[xo..xo+k) and, with biases, xb[xbi]. Scratch: a (d·d), b and z (d), d = k (+1 with biases).
     */
    static void solveRow(float[] y, float[] yb, float mu, int k, boolean biases, int[] other, float[] values,
                         int start, int end, double lambdaC, double lambdaBiasC, double[] a, double[] b, double[] z,
                         float[] x, int xo, float[] xb, int xbi) {
        int d = biases ? k + 1 : k;
        java.util.Arrays.fill(a, 0);
        java.util.Arrays.fill(b, 0);
        for (int n = start; n < end; n++) {
            int o = other[n];
            for (int j = 0; j < k; j++) {
                z[j] = y[o * k + j];
            }
            double target = values[n] - mu;
            if (biases) {
                z[k] = 1;
                target -= yb[o];
            }
            // lower triangle of Σ z zᵀ (row r: a[r][0..r] += z_r · z[0..r]), vectorized
            for (int r = 0; r < d; r++) {
                double zr = z[r];
                int ro = r * d;
                int s = 0;
                int bound = D.loopBound(r + 1);
                if (bound > 0) {
                    DoubleVector vr = DoubleVector.broadcast(D, zr);
                    for (; s < bound; s += D.length()) {
                        DoubleVector.fromArray(D, z, s).fma(vr, DoubleVector.fromArray(D, a, ro + s))
                                .intoArray(a, ro + s);
                    }
                }
                for (; s <= r; s++) {
                    a[ro + s] += zr * z[s];
                }
                b[r] += target * zr;
            }
        }
        for (int j = 0; j < k; j++) {
            a[j * d + j] += lambdaC;
        }
        if (biases) {
            a[k * d + k] += lambdaBiasC;
        }
        Cholesky.solveInPlace(a, b, d);
        for (int j = 0; j < k; j++) {
            x[xo + j] = (float) b[j];
        }
        if (biases) {
            xb[xbi] = (float) b[k];
        }
    }
}
