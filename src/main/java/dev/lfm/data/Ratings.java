package dev.lfm.data;

import java.util.Arrays;

/**
 * Explicit ratings in coordinate (COO) form: three parallel primitive arrays, no object per
 * rating. User and item indices are dense and 0-based; {@link #userIds()} and {@link #itemIds()}
 * map them back to the ids of the source file. Several rating sets (train, validation, test)
 * share one id space and therefore the same {@code numUsers}, {@code numItems} and id maps.
 */
public final class Ratings {
    private final int numUsers;
    private final int numItems;
    private final int[] users;
    private final int[] items;
    private final float[] values;
    private final int size;
    private final IdMap userIds;
    private final IdMap itemIds;
    private final float minRating;
    private final float maxRating;

    /**
     * @param size number of ratings used from the arrays (the arrays may be longer)
     * @param minRating lowest value of the rating scale (predictions are clipped to it)
     * @param maxRating highest value of the rating scale
     */
    public Ratings(int numUsers, int numItems, int[] users, int[] items, float[] values, int size,
                   IdMap userIds, IdMap itemIds, float minRating, float maxRating) {
        if (size > users.length || size > items.length || size > values.length) {
            throw new IllegalArgumentException("size exceeds arrays");
        }
        this.numUsers = numUsers;
        this.numItems = numItems;
        this.users = users;
        this.items = items;
        this.values = values;
        this.size = size;
        this.userIds = userIds;
        this.itemIds = itemIds;
        this.minRating = minRating;
        this.maxRating = maxRating;
    }

    public int numUsers() { return numUsers; }
    public int numItems() { return numItems; }
    public int size() { return size; }
    public int user(int n) { return users[n]; }
    public int item(int n) { return items[n]; }
    public float value(int n) { return values[n]; }
    /** Backing arrays; only the first {@link #size()} entries are ratings. Do not modify. */
    public int[] users() { return users; }
    public int[] items() { return items; }
    public float[] values() { return values; }
    public IdMap userIds() { return userIds; }
    public IdMap itemIds() { return itemIds; }
    public float minRating() { return minRating; }
    public float maxRating() { return maxRating; }

    /** Mean rating (0 for an empty set), accumulated in double. */
    public double mean() {
        double s = 0;
        for (int n = 0; n < size; n++) {
            s += values[n];
        }
        return size == 0 ? 0 : s / size;
    }

    /** Number of ratings per user. */
    public int[] userCounts() {
        int[] c = new int[numUsers];
        for (int n = 0; n < size; n++) {
            c[users[n]]++;
        }
        return c;
    }

    /** Number of ratings per item. */
    public int[] itemCounts() {
        int[] c = new int[numItems];
        for (int n = 0; n < size; n++) {
            c[items[n]]++;
        }
        return c;
    }

    /** The ratings at the given positions, in that order, in the same id space. */
    public Ratings select(int[] positions, int count) {
        int[] u = new int[count];
        int[] i = new int[count];
        float[] v = new float[count];
        for (int j = 0; j < count; j++) {
            int n = positions[j];
            u[j] = users[n];
            i[j] = items[n];
            v[j] = values[n];
        }
        return new Ratings(numUsers, numItems, u, i, v, count, userIds, itemIds, minRating, maxRating);
    }

    /** A copy trimmed to {@link #size()} (arrays exactly as long as the data). */
    public Ratings trimmed() {
        if (users.length == size && items.length == size && values.length == size) {
            return this;
        }
        return new Ratings(numUsers, numItems, Arrays.copyOf(users, size), Arrays.copyOf(items, size),
                Arrays.copyOf(values, size), size, userIds, itemIds, minRating, maxRating);
    }

    /** The same ratings seen in a wider id space (for a test file that adds no ids, or the union). */
    public Ratings withIdSpace(int numUsers, int numItems, IdMap userIds, IdMap itemIds) {
        return new Ratings(numUsers, numItems, users, items, values, size, userIds, itemIds, minRating, maxRating);
    }

    @Override
    public String toString() {
        return size + " ratings, " + numUsers + " users x " + numItems + " items";
    }
}
