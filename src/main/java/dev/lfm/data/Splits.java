package dev.lfm.data;

import java.nio.file.Path;
import java.util.SplittableRandom;

/** Ways to make a {@link Split}: seeded random holdout, or separate train and test files. */
public final class Splits {
    /** Default fraction of all ratings held out for testing. */
    public static final double DEFAULT_TEST_FRACTION = 0.2;

    private Splits() {
    }

    /**
     * Seeded random split with exact sizes: {@code round(n * testFraction)} ratings go to test, and
     * of the rest {@code round(rest * validationFraction)} go to validation (the fraction is of the
     * training part, so validation never touches test). Each part keeps the ratings' original
     * order. The same ratings and seed give the identical split, whatever the machine.
     *
     * @param validationFraction fraction of the training part to hold out for validation; 0 for none
     */
    public static Split random(Ratings ratings, double testFraction, double validationFraction, long seed) {
        checkFraction("test fraction", testFraction);
        checkFraction("validation fraction", validationFraction);
        int n = ratings.size();
        int numTest = (int) Math.round(n * testFraction);
        int numVal = (int) Math.round((n - numTest) * validationFraction);
        if (numTest == 0 && numVal == 0) {
            // everything trains: the shuffle and copy below would only reproduce the ratings in order
            Ratings[] none = partition(ratings, new byte[0], new int[] {0, 0, 0});
            return new Split(ratings, none[1], none[2]);
        }
        byte[] part = new byte[n];
        java.util.Arrays.fill(part, 0, numTest, (byte) 2);
        java.util.Arrays.fill(part, numTest, numTest + numVal, (byte) 1);
        Permutation.shuffle(part, new SplittableRandom(seed));
        Ratings[] out = partition(ratings, part, new int[] {n - numTest - numVal, numVal, numTest});
        return new Split(out[0], out[1], out[2]);
    }

    /** {@link #random} with the default test fraction and no validation. */
    public static Split random(Ratings ratings, long seed) {
        return random(ratings, DEFAULT_TEST_FRACTION, 0, seed);
    }

    /**
     * A split from a training set and a test set read separately (the test set read with the
     * training set's id maps, {@link RatingsReader#read(Path, ReadOptions, IdMap, IdMap)}), with a
     * seeded validation part carved from the training set. All parts are widened to the union id
     * space, and the rating scale is the union of both sets' scales.
     */
    public static Split of(Ratings train, Ratings test, double validationFraction, long seed) {
        if (train.userIds() != test.userIds() || train.itemIds() != test.itemIds()) {
            throw new IllegalArgumentException("train and test must share id maps");
        }
        int numUsers = Math.max(train.userIds().size(), Math.max(train.numUsers(), test.numUsers()));
        int numItems = Math.max(train.itemIds().size(), Math.max(train.numItems(), test.numItems()));
        float min = Math.min(train.minRating(), test.minRating());
        float max = Math.max(train.maxRating(), test.maxRating());
        Ratings wideTrain = rescale(train, numUsers, numItems, min, max);
        Ratings wideTest = rescale(test, numUsers, numItems, min, max);
        Split s = random(wideTrain, 0, validationFraction, seed);
        return new Split(s.train(), s.validation(), wideTest);
    }

    /** Reads a training file and a test file into one id space (see {@link #of}). */
    public static Split fromFiles(Path trainFile, Path testFile, ReadOptions options, double validationFraction,
                                  long seed) {
        Ratings train = RatingsReader.read(trainFile, options);
        Ratings test = RatingsReader.read(testFile, options, train.userIds(), train.itemIds());
        return of(train, test, validationFraction, seed);
    }

    private static Ratings rescale(Ratings r, int numUsers, int numItems, float min, float max) {
        return new Ratings(numUsers, numItems, r.users(), r.items(), r.values(), r.size(), r.userIds(), r.itemIds(),
                min, max);
    }

    private static Ratings[] partition(Ratings r, byte[] part, int[] sizes) {
        int[][] u = new int[3][];
        int[][] i = new int[3][];
        float[][] v = new float[3][];
        for (int k = 0; k < 3; k++) {
            u[k] = new int[sizes[k]];
            i[k] = new int[sizes[k]];
            v[k] = new float[sizes[k]];
        }
        int[] fill = new int[3];
        int[] users = r.users();
        int[] items = r.items();
        float[] values = r.values();
        for (int n = 0; n < part.length; n++) {
            int k = part[n];
            int w = fill[k]++;
            u[k][w] = users[n];
            i[k][w] = items[n];
            v[k][w] = values[n];
        }
        Ratings[] out = new Ratings[3];
        for (int k = 0; k < 3; k++) {
            out[k] = new Ratings(r.numUsers(), r.numItems(), u[k], i[k], v[k], sizes[k], r.userIds(), r.itemIds(),
                    r.minRating(), r.maxRating());
        }
        return out;
    }

    private static void checkFraction(String what, double f) {
        if (!(f >= 0 && f < 1)) {
            throw new IllegalArgumentException(what + " must be in [0, 1), got " + f);
        }
    }
}
