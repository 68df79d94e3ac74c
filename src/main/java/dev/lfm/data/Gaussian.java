package dev.lfm.data;

import java.util.SplittableRandom;

/** Standard normal draws from a {@link SplittableRandom} (which has no nextGaussian in Java 17). */
public final class Gaussian {
    private Gaussian() {
    }

    /** One N(0, 1) draw by Box-Muller. */
    public static double next(SplittableRandom rnd) {
        double u1 = rnd.nextDouble();
        double u2 = rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }

    /** {@code n} draws of N(0, scale²) as floats. */
    public static float[] floats(SplittableRandom rnd, int n, double scale) {
        float[] a = new float[n];
        for (int j = 0; j < n; j++) {
            a[j] = (float) (next(rnd) * scale);
        }
        return a;
    }

    /** {@code n} draws of N(0, scale²) as doubles. */
    public static double[] doubles(SplittableRandom rnd, int n, double scale) {
        double[] a = new double[n];
        for (int j = 0; j < n; j++) {
            a[j] = next(rnd) * scale;
        }
        return a;
    }
}
