package dev.lfm.compute.cpu;

import dev.lfm.data.Ratings;
import java.util.SplittableRandom;

/**
 * The conflict-free block layout for parallel SGD (as in LIBMF's FPSGD): users and items are
 * hashed into G row and G column blocks by a seeded random assignment, ratings are copied into
 * block order (packed, for locality) and shuffled once within each block. An epoch visits the G
 * "diagonals" {(b, π(b + r mod G))}; the G blocks of one diagonal share no user and no item, so
 * threads update them without locks, and the result does not depend on thread timing.
 */
final class SgdPlan {
    final int grid;
    final int[] users;
    final int[] items;
    final float[] values;
    /** Start of block (rb, cb) at blockStart[rb * grid + cb]; length grid*grid + 1. */
    final long[] blockStart;

    SgdPlan(Ratings r, int grid, long seed) {
        this.grid = grid;
        SplittableRandom rnd = new SplittableRandom(seed ^ 0x5DEECE66DL);
        int[] userBlock = randomBlocks(r.numUsers(), grid, rnd);
        int[] itemBlock = randomBlocks(r.numItems(), grid, rnd);
        int n = r.size();
        long[] counts = new long[grid * grid + 1];
        for (int j = 0; j < n; j++) {
            counts[userBlock[r.user(j)] * grid + itemBlock[r.item(j)] + 1]++;
        }
        for (int b = 0; b < grid * grid; b++) {
            counts[b + 1] += counts[b];
        }
        blockStart = counts.clone();
        long[] fill = counts;
        users = new int[n];
        items = new int[n];
        values = new float[n];
        for (int j = 0; j < n; j++) {
            int b = userBlock[r.user(j)] * grid + itemBlock[r.item(j)];
            int at = (int) fill[b]++;
            users[at] = r.user(j);
            items[at] = r.item(j);
            values[at] = r.value(j);
        }
        for (int b = 0; b < grid * grid; b++) {
            shuffle((int) blockStart[b], (int) blockStart[b + 1], rnd);
        }
    }

    /** Balanced random assignment of rows to blocks: a shuffled round-robin. */
    private static int[] randomBlocks(int rows, int grid, SplittableRandom rnd) {
        int[] perm = new int[rows];
        for (int j = 0; j < rows; j++) {
            perm[j] = j;
        }
        for (int j = rows - 1; j > 0; j--) {
            int s = rnd.nextInt(j + 1);
            int t = perm[j];
            perm[j] = perm[s];
            perm[s] = t;
        }
        int[] block = new int[rows];
        for (int j = 0; j < rows; j++) {
            block[perm[j]] = j % grid;
        }
        return block;
    }

    private void shuffle(int from, int to, SplittableRandom rnd) {
        for (int j = to - 1; j > from; j--) {
            int s = from + rnd.nextInt(j - from + 1);
            int tu = users[j];
            users[j] = users[s];
            users[s] = tu;
            int ti = items[j];
            items[j] = items[s];
            items[s] = ti;
            float tv = values[j];
            values[j] = values[s];
            values[s] = tv;
        }
    }
}
