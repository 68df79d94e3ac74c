package dev.lfm.compute.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** Dense Cholesky factorization and solve for small symmetric positive (semi)definite systems. */
final class Cholesky {
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;

    private Cholesky() {
    }

    /** Σ_{t<n} x[xo+t]·y[yo+t], vectorized. */
    static double dot(double[] x, int xo, double[] y, int yo, int n) {
        int t = 0;
        double s = 0;
        int bound = D.loopBound(n);
        if (bound > 0) {
            DoubleVector acc = DoubleVector.zero(D);
            for (; t < bound; t += D.length()) {
                acc = DoubleVector.fromArray(D, x, xo + t).fma(DoubleVector.fromArray(D, y, yo + t), acc);
            }
            s = acc.reduceLanes(VectorOperators.ADD);
        }
        for (; t < n; t++) {
            s += x[xo + t] * y[yo + t];
        }
        return s;
    }

    /**
     * Solves A x = b in place: {@code a} holds A's lower triangle (row-major, d×d) and is
     * overwritten by L; {@code b} becomes x. A tiny diagonal jitter rescues a singular A (a row
     * with fewer ratings than k+1 and λ = 0), giving the minimum-norm-like solution.
     */
    static void solveInPlace(double[] a, double[] b, int d) {
        for (int j = 0; j < d; j++) {
            int jo = j * d;
            double s = a[jo + j] - dot(a, jo, a, jo, j);
            if (!(s > 1e-12)) {
                s = Math.max(s, 0) + 1e-9;
            }
            double l = Math.sqrt(s);
            a[jo + j] = l;
            for (int r = j + 1; r < d; r++) {
                int ro = r * d;
                a[ro + j] = (a[ro + j] - dot(a, ro, a, jo, j)) / l;
            }
        }
        // forward: L y = b
        for (int r = 0; r < d; r++) {
            int ro = r * d;
            b[r] = (b[r] - dot(a, ro, b, 0, r)) / a[ro + r];
        }
        // backward: Lᵀ x = y
        for (int r = d - 1; r >= 0; r--) {
            double v = b[r];
            for (int t = r + 1; t < d; t++) {
                v -= a[t * d + r] * b[t];
            }
            b[r] = v / a[r * d + r];
        }
    }
}
