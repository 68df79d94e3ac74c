package dev.lfm.experiment;

import java.util.Arrays;

/** Parameter grids for sweeps. */
public final class Grids {
    private Grids() {
    }

    /** {@code n} values from {@code lo} to {@code hi} inclusive, evenly spaced on a log scale. */
    public static double[] logspace(double lo, double hi, int n) {
        if (!(lo > 0) || !(hi >= lo) || n < 1) {
            throw new IllegalArgumentException("logspace needs 0 < lo <= hi and n >= 1");
        }
        double[] g = new double[n];
        for (int j = 0; j < n; j++) {
            g[j] = n == 1 ? lo : Math.exp(Math.log(lo) + (Math.log(hi) - Math.log(lo)) * j / (n - 1));
        }
        return g;
    }

    /**
     * {@code n} values centred (geometrically) on {@code center}, neighbours a factor
     * {@code factor} apart: n = 3, factor 3 gives {c/3, c, 3c}.
     */
    public static double[] around(double center, double factor, int n) {
        double[] g = new double[n];
        for (int j = 0; j < n; j++) {
            g[j] = center * Math.pow(factor, j - (n - 1) / 2.0);
        }
        return g;
    }

    /** Index of the smallest finite value (ties: the first), −1 when none is finite. */
    public static int argmin(double[] values) {
        int best = -1;
        for (int j = 0; j < values.length; j++) {
            if (Double.isFinite(values[j]) && (best < 0 || values[j] < values[best])) {
                best = j;
            }
        }
        return best;
    }

    static double[] sortedDistinct(double[] values) {
        return Arrays.stream(values).sorted().distinct().toArray();
    }
}
