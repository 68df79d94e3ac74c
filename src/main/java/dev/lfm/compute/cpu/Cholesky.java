package dev.lfm.compute.cpu;

/** Dense Cholesky factorization and solve for small symmetric positive (semi)definite systems. */
final class Cholesky {
    private Cholesky() {
    }

    /**
     * Solves A x = b in place: {@code a} holds A's lower triangle (row-major, d×d) and is
     * overwritten by L; {@code b} becomes x. A tiny diagonal jitter rescues a singular A (a row
     * with fewer ratings than k+1 and λ = 0), giving the minimum-norm-like solution.
     */
    static void solveInPlace(double[] a, double[] b, int d) {
        for (int j = 0; j < d; j++) {
            int jo = j * d;
            double s = a[jo + j];
            for (int t = 0; t < j; t++) {
                s -= a[jo + t] * a[jo + t];
            }
            if (!(s > 1e-12)) {
                s = Math.max(s, 0) + 1e-9;
            }
            double l = Math.sqrt(s);
            a[jo + j] = l;
            for (int r = j + 1; r < d; r++) {
                int ro = r * d;
                double v = a[ro + j];
                for (int t = 0; t < j; t++) {
                    v -= a[ro + t] * a[jo + t];
                }
                a[ro + j] = v / l;
            }
        }
        // forward: L y = b
        for (int r = 0; r < d; r++) {
            double v = b[r];
            int ro = r * d;
            for (int t = 0; t < r; t++) {
                v -= a[ro + t] * b[t];
            }
            b[r] = v / a[ro + r];
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
