package dev.lfm.spark;

/**
 * A seeded train / validation / test assignment that every machine computes alone: the part of
 * a rating is a function of (user id, item id, seed), so Spark assigns it in place without a
 * shuffle and the driver can reproduce it for a single-machine run on the same split. Unlike
 * {@link dev.lfm.data.Splits#random} the sizes are binomial, not exact.
 */
public final class HashSplit {
    public static final int TRAIN = 0;
    public static final int VALIDATION = 1;
    public static final int TEST = 2;

    private HashSplit() {
    }

    /**
     * The part of rating (user, item): test with probability {@code testFraction}; of the rest,
     * validation with probability {@code validationFraction} (a fraction of the training part,
     * as in {@link dev.lfm.data.Splits#random}), else train.
     */
    public static int part(long user, long item, long seed, double testFraction, double validationFraction) {
        long h = mix(mix(seed ^ 0x243F6A8885A308D3L, user), item);
        if (unit(h) < testFraction) {
            return TEST;
        }
        return unit(mix(h, 0x13198A2E03707344L)) < validationFraction ? VALIDATION : TRAIN;
    }

    private static double unit(long h) {
        return (h >>> 11) * 0x1.0p-53;
    }

    /** SplitMix64 finalizer of (state, value). */
    static long mix(long state, long value) {
        long x = state * 0x9E3779B97F4A7C15L + value;
        x = (x ^ (x >>> 30)) * 0xBF58476D1CE4E5B9L;
        x = (x ^ (x >>> 27)) * 0x94D049BB133111EBL;
        return x ^ (x >>> 31);
    }
}
