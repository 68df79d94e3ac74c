package dev.lfm.data;

import java.util.Arrays;
import java.util.function.IntToLongFunction;

/**
 * Finds (user, item) pairs given more than once and applies a {@link DuplicatePolicy}, on
 * primitive arrays: when the pairs are not already in strictly increasing (user, item) order, the
 * packed keys {@code user * numItems + item} are sorted (8 bytes per rating, temporarily) and
 * only the repeated keys are kept for the second pass.
 */
final class Duplicates {
    private Duplicates() {
    }

    /**
     * Resolves duplicates in place and returns the new number of ratings (first occurrences keep
     * their position; later ones are removed).
     *
     * @param lineOf line number of a position, for messages
     */
    static int resolve(int[] users, int[] items, float[] values, int n, int numItems, DuplicatePolicy policy,
                       IntToLongFunction lineOf, String name, IdMap userIds, IdMap itemIds) {
        if (increasing(users, items, n, itemIds) || groupedDistinct(users, items, n, userIds.size(), numItems)) {
            return n;
        }
        long[] keys = new long[n];
        for (int p = 0; p < n; p++) {
            keys[p] = key(users[p], items[p], numItems);
        }
        Arrays.parallelSort(keys);
        int numDup = 0;
        for (int p = 1; p < n; p++) {
            if (keys[p] == keys[p - 1] && (numDup == 0 || keys[numDup - 1] != keys[p])) {
                keys[numDup++] = keys[p];
            }
        }
        if (numDup == 0) {
            return n;
        }
        long[] dup = Arrays.copyOf(keys, numDup);
        keys = null;
        int[] firstPos = new int[numDup];
        Arrays.fill(firstPos, -1);
        if (policy == DuplicatePolicy.ERROR) {
            for (int p = 0; p < n; p++) {
                int d = Arrays.binarySearch(dup, key(users[p], items[p], numItems));
                if (d < 0) {
                    continue;
                }
                if (firstPos[d] >= 0) {
                    throw new DataFormatException(name, lineOf.applyAsLong(p), "duplicate rating for user "
                            + userIds.externalId(users[p]) + ", item " + itemIds.externalId(items[p])
                            + " (first given on line " + lineOf.applyAsLong(firstPos[d])
                            + "; choose a duplicate policy: last or mean)");
                }
                firstPos[d] = p;
            }
            throw new IllegalStateException("duplicate vanished");
        }
        double[] sum = new double[numDup];
        int[] count = new int[numDup];
        float[] last = new float[numDup];
        for (int p = 0; p < n; p++) {
            int d = Arrays.binarySearch(dup, key(users[p], items[p], numItems));
            if (d >= 0) {
                if (firstPos[d] < 0) {
                    firstPos[d] = p;
                }
                sum[d] += values[p];
                count[d]++;
                last[d] = values[p];
            }
        }
        int w = 0;
        for (int p = 0; p < n; p++) {
            int d = Arrays.binarySearch(dup, key(users[p], items[p], numItems));
            float v = values[p];
            if (d >= 0) {
                if (firstPos[d] != p) {
                    continue;
                }
                v = policy == DuplicatePolicy.LAST ? last[d] : (float) (sum[d] / count[d]);
            }
            users[w] = users[p];
            items[w] = items[p];
            values[w] = v;
            w++;
        }
        return w;
    }

    private static long key(int u, int i, int numItems) {
        return (long) u * numItems + i;
    }

    /**
     * True when each user's ratings are contiguous (a file written user by user, in any user and item
     * order) and no item repeats within them: then no pair repeats. One pass with a mark per item
     * and a flag per user (skipped when those would outweigh the ratings); false sends the ratings
     * to the sort, which finds the duplicates or proves there are none.
     */
    private static boolean groupedDistinct(int[] users, int[] items, int n, int numUsers, int numItems) {
        if ((long) numUsers + numItems > 2L * n + 1024) {
            return false;
        }
        int[] mark = new int[numItems];
        boolean[] seen = new boolean[numUsers];
        int run = 0;
        for (int p = 0; p < n; p++) {
            int u = users[p];
            if (p == 0 || u != users[p - 1]) {
                if (seen[u]) {
                    return false;
                }
                seen[u] = true;
                run++;
            }
            int i = items[p];
            if (mark[i] == run) {
                return false;
            }
            mark[i] = run;
        }
        return true;
    }

    /**
     * True when ratings are grouped by user in increasing index order and, within a user, items come
     * in strictly increasing file-id order (a sorted MovieLens file): then no pair repeats.
     */
    private static boolean increasing(int[] users, int[] items, int n, IdMap itemIds) {
        for (int p = 1; p < n; p++) {
            int du = users[p] - users[p - 1];
            if (du < 0 || (du == 0 && itemIds.externalId(items[p]) <= itemIds.externalId(items[p - 1]))) {
                return false;
            }
        }
        return true;
    }
}
