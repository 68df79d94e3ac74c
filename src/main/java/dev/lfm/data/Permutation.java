package dev.lfm.data;

import java.util.SplittableRandom;

/**
 * The one seeded shuffle of the project: Fisher–Yates from the last position down, drawing
 * {@code rnd.nextInt(j + 1)} for position j. Every shuffled order (the mini-batch order that the
 * CPU and GPU backends must share, splits, the CPU SGD plan) is made here, so equal seeds give
 * equal orders everywhere; changing the loop changes every seeded result (splits, fixtures).
 */
public final class Permutation {
    private Permutation() {
    }

    /** Exchanges positions a and b of whatever arrays the caller shuffles together. */
    @FunctionalInterface
    public interface Swap {
        void swap(int a, int b);
    }

    /** A random permutation of 0..n−1: Fisher–Yates over {@code SplittableRandom(seed)} from the identity. */
    public static int[] seeded(int n, long seed) {
        int[] a = new int[n];
        seededInto(a, seed);
        return a;
    }

    /** {@link #seeded} written into {@code a} (length n), whatever it held. */
    public static void seededInto(int[] a, long seed) {
        for (int j = 0; j < a.length; j++) {
            a[j] = j;
        }
        shuffle(a, new SplittableRandom(seed));
    }

    /** A random permutation of 0..n−1 drawn from {@code rnd} (advances it). */
    public static int[] random(int n, SplittableRandom rnd) {
        int[] a = new int[n];
        for (int j = 0; j < n; j++) {
            a[j] = j;
        }
        shuffle(a, rnd);
        return a;
    }

    /** Shuffles {@code a} in place. */
    public static void shuffle(int[] a, SplittableRandom rnd) {
        shuffle(0, a.length, rnd, (x, y) -> {
            int t = a[x];
            a[x] = a[y];
            a[y] = t;
        });
    }

    /** Shuffles {@code a} in place. */
    public static void shuffle(byte[] a, SplittableRandom rnd) {
        shuffle(0, a.length, rnd, (x, y) -> {
            byte t = a[x];
            a[x] = a[y];
            a[y] = t;
        });
    }

    /**
     * Shuffles positions [from, to) of whatever {@code swap} exchanges: for j = to−1 down to
     * from+1, swap(j, from + rnd.nextInt(j − from + 1)).
     */
    public static void shuffle(int from, int to, SplittableRandom rnd, Swap swap) {
        for (int j = to - 1; j > from; j--) {
            int s = from + rnd.nextInt(j - from + 1);
            swap.swap(j, s);
        }
    }
}
