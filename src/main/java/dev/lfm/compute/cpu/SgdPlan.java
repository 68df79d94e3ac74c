package dev.lfm.compute.cpu;

import dev.lfm.data.Permutation;
import dev.lfm.data.ProgressMeter;
import dev.lfm.data.Ratings;
import java.util.SplittableRandom;

/**
 * The conflict-free block layout for parallel SGD (as in LIBMF's FPSGD).
 *
 * <p>Users and items are assigned to G row and G column blocks by a seeded, balanced random
 * assignment. The ratings are copied once into block order (row block major, then column
 * block), and inside each block grouped into <em>runs</em>: all of one user's ratings in the block,
 * users in ascending index order, each run's ratings in a seeded random order. An epoch visits
 * the G "diagonals" {(b, π(b + r mod G))}; the G blocks of one diagonal share no user and no item,
 * so threads update them without locks, and the result does not depend on thread timing.
 *
 * <p>Grouping by user (LIBMF also sorts each block by user) is what makes the CPU path fast: a
 * run reads and writes p_u and b_u once instead of once per rating, so per rating only q_i and
 * an 8-byte record (item, value) are touched. The stored record is compact: the user index is
 * kept once per run. {@link CpuSgd} walks a block's runs two at a time, interleaved
 * ({@link CpuKernels#sgdPair}).
 *
 * <p>Memory: 8 bytes per rating plus 8 bytes per (user, column block) run; the source
 * {@link Ratings} are not duplicated beyond that. Building takes one counting sort over
 * (block, user) buckets, about grid·users counters, or, where that would exceed the number of
 * ratings (many threads × many users), a user-ordered pass with one int per rating: the same
 * layout either way.
 */
final class SgdPlan {
    final int grid;
    /** Item index of each rating, block- and run-ordered. */
    final int[] items;
    /** Rating value, aligned with {@link #items}. */
    final float[] values;
    /** User of each run. */
    final int[] runUser;
    /** Run r covers rating positions [runStart[r], runStart[r+1]); length runs + 1. */
    final int[] runStart;
    /** Block (rb, cb) covers runs [blockRun[rb*grid+cb], blockRun[rb*grid+cb+1]); length grid² + 1. */
    final int[] blockRun;

    SgdPlan(Ratings r, int grid, long seed) {
        this(r, grid, seed, null);
    }

    /**
     * As {@link #SgdPlan(Ratings, int, long)}, the counting sort's two passes over the ratings
     * split across {@code parallel}'s threads (null: one thread); the layout is the same for any
     * thread count (each thread's share of a bucket goes after the shares of the threads before).
     */
    SgdPlan(Ratings r, int grid, long seed, Parallel parallel) {
        this.grid = grid;
        SplittableRandom rnd = new SplittableRandom(seed ^ 0x5DEECE66DL);
        int numUsers = r.numUsers();
        int[] userBlock = randomBlocks(numUsers, grid, rnd);
        int[] itemBlock = randomBlocks(r.numItems(), grid, rnd);
        // users of row block rb, ascending, get slots 0.. within it
        int[] userSlot = new int[numUsers];
        int[] perBlock = new int[grid];
        for (int u = 0; u < numUsers; u++) {
            userSlot[u] = perBlock[userBlock[u]]++;
        }
        int slots = 0;
        for (int c : perBlock) {
            slots = Math.max(slots, c);
        }
        int n = r.size();
        long numBuckets = (long) grid * grid * slots;
        Layout layout;
        // the line shows only past 2 s (about 100M ratings on 2 cores), for the two passes over the ratings
        try (ProgressMeter meter = ProgressMeter.count("building the SGD plan", 2L * n)) {
            layout = numBuckets <= Math.max(n, 1 << 20) && !forceUserOrder
                    ? byBuckets(r, grid, slots, userBlock, itemBlock, userSlot, (int) numBuckets, parallel, meter)
                    : byUserOrder(r, grid, userBlock, itemBlock);
        }
        items = layout.items();
        values = layout.values();
        runUser = layout.runUser();
        runStart = layout.runStart();
        blockRun = layout.blockRun();
        int runs = runUser.length;
        for (int q = 0; q < runs; q++) {
            shuffle(runStart[q], runStart[q + 1], rnd);
        }
    }

    /** Ratings between two progress reports. */
    private static final int STEP = 1 << 20;

    /** Set by tests to exercise {@link #byUserOrder} on small problems. */
    static boolean forceUserOrder;

    private record Layout(int[] items, float[] values, int[] runUser, int[] runStart, int[] blockRun) {
    }

    /**
     * Layout by one counting sort over (row block, column block, user slot) buckets: fast, and
     * its grid²·slots ≈ grid·users counters are small next to the ratings for few threads.
     */
    private static Layout byBuckets(Ratings r, int grid, int slots, int[] userBlock, int[] itemBlock, int[] userSlot,
                                     int numBuckets, Parallel parallel, ProgressMeter meter) {
        int n = r.size();
        int numUsers = r.numUsers();
        int[] users = r.users();
        int[] itemsIn = r.items();
        float[] valuesIn = r.values();
        // one counter array per thread (parts), while all of them together stay within a quarter of one int per
        // rating (parts·numBuckets ≤ n/4): many threads over many buckets would otherwise allocate ~2n ints
        int parts = parallel == null ? 1 : (int) Math.max(1, Math.min(parallel.threads(),
                Math.min(n / 65536, (long) n / (4L * Math.max(1, numBuckets)))));
        int[][] count = new int[parts][];
        Parallel.RangeTask countTask = (t, from, to) -> {
            int[] c = new int[numBuckets + 1];
            for (int s = from, e; s < to; s = e) {
                e = Math.min(to, s + STEP);
                for (int j = s; j < e; j++) {
                    c[bucket(users[j], itemsIn[j], userBlock, itemBlock, userSlot, grid, slots) + 1]++;
                }
                meter.add(e - s);
            }
            count[t] = c;
        };
        if (parts == 1) {
            countTask.run(0, 0, n);
        } else {
            parallel.forRange(n, parts, countTask);
        }
        // start[b] = first position of bucket b; count[t][b + 1] becomes where thread t's share of b starts
        int[] start = new int[numBuckets + 1];
        int runs = 0;
        int pos = 0;
        for (int b = 0; b < numBuckets; b++) {
            start[b] = pos;
            int before = pos;
            for (int t = 0; t < parts; t++) {
                int c = count[t][b + 1];
                count[t][b + 1] = pos;
                pos += c;
            }
            if (pos > before) {
                runs++;
            }
        }
        start[numBuckets] = pos;
        int[] items = new int[n];
        float[] values = new float[n];
        Parallel.RangeTask scatter = (t, from, to) -> {
            int[] next = count[t];
            for (int s = from, e; s < to; s = e) {
                e = Math.min(to, s + STEP);
                for (int j = s; j < e; j++) {
                    int at = next[bucket(users[j], itemsIn[j], userBlock, itemBlock, userSlot, grid, slots) + 1]++;
                    items[at] = itemsIn[j];
                    values[at] = valuesIn[j];
                }
                meter.add(e - s);
            }
        };
        if (parts == 1) {
            scatter.run(0, 0, n);
        } else {
            parallel.forRange(n, parts, scatter);
        }
        // bucket b now ends at start[b + 1]: shift so that start[b] is the end of bucket b, as below expects
        System.arraycopy(start, 1, start, 0, numBuckets);
        // start[b] is now the end of bucket b; recover runs and block boundaries
        int[] slotUser = new int[grid * slots];
        java.util.Arrays.fill(slotUser, -1);
        for (int u = 0; u < numUsers; u++) {
            slotUser[userBlock[u] * slots + userSlot[u]] = u;
        }
        int[] runUser = new int[runs];
        int[] runStart = new int[runs + 1];
        int[] blockRun = new int[grid * grid + 1];
        int run = 0;
        int prevEnd = 0;
        for (int blk = 0; blk < grid * grid; blk++) {
            blockRun[blk] = run;
            int rb = blk / grid;
            for (int sl = 0; sl < slots; sl++) {
                int end = start[blk * slots + sl];
                if (end > prevEnd) {
                    runUser[run] = slotUser[rb * slots + sl];
                    runStart[run] = prevEnd;
                    run++;
                    prevEnd = end;
                }
            }
        }
        blockRun[grid * grid] = run;
        runStart[runs] = n;
        return new Layout(items, values, runUser, runStart, blockRun);
    }

    /**
     * The same layout in O(ratings + grid² + users) memory, for many threads × many users: visit
     * the ratings user by user (a stable counting sort by user) and append each to its block; a
     * run starts wherever a block sees a new user.
     */
    private static Layout byUserOrder(Ratings r, int grid, int[] userBlock, int[] itemBlock) {
        int n = r.size();
        int numUsers = r.numUsers();
        int[] users = r.users();
        int[] itemsIn = r.items();
        float[] valuesIn = r.values();
        int[] userPtr = new int[numUsers + 1];
        for (int j = 0; j < n; j++) {
            userPtr[users[j] + 1]++;
        }
        for (int u = 0; u < numUsers; u++) {
            userPtr[u + 1] += userPtr[u];
        }
        int[] order = new int[n];
        int[] fillU = java.util.Arrays.copyOf(userPtr, numUsers);
        for (int j = 0; j < n; j++) {
            order[fillU[users[j]]++] = j;
        }
        int blocks = grid * grid;
        long[] blockCount = new long[blocks];
        int[] blockRuns = new int[blocks];
        int[] seen = new int[blocks];
        java.util.Arrays.fill(seen, -1);
        for (int u = 0; u < numUsers; u++) {
            int rowBase = userBlock[u] * grid;
            for (int p = userPtr[u]; p < userPtr[u + 1]; p++) {
                int blk = rowBase + itemBlock[itemsIn[order[p]]];
                blockCount[blk]++;
                if (seen[blk] != u) {
                    seen[blk] = u;
                    blockRuns[blk]++;
                }
            }
        }
        int[] fill = new int[blocks];
        int[] runFill = new int[blocks];
        int[] blockRun = new int[blocks + 1];
        long pos = 0;
        for (int b = 0; b < blocks; b++) {
            fill[b] = (int) pos;
            pos += blockCount[b];
            runFill[b] = blockRun[b];
            blockRun[b + 1] = blockRun[b] + blockRuns[b];
        }
        int runs = blockRun[blocks];
        int[] items = new int[n];
        float[] values = new float[n];
        int[] runUser = new int[runs];
        int[] runStart = new int[runs + 1];
        java.util.Arrays.fill(seen, -1);
        for (int u = 0; u < numUsers; u++) {
            int rowBase = userBlock[u] * grid;
            for (int p = userPtr[u]; p < userPtr[u + 1]; p++) {
                int j = order[p];
                int blk = rowBase + itemBlock[itemsIn[j]];
                if (seen[blk] != u) {
                    seen[blk] = u;
                    runUser[runFill[blk]] = u;
                    runStart[runFill[blk]] = fill[blk];
                    runFill[blk]++;
                }
                int at = fill[blk]++;
                items[at] = itemsIn[j];
                values[at] = valuesIn[j];
            }
        }
        runStart[runs] = n;
        return new Layout(items, values, runUser, runStart, blockRun);
    }

    private static int bucket(int u, int i, int[] userBlock, int[] itemBlock, int[] userSlot, int grid, int slots) {
        return (userBlock[u] * grid + itemBlock[i]) * slots + userSlot[u];
    }

    int numRuns() {
        return runUser.length;
    }

    /**
     * Balanced random assignment of rows to blocks: the rows cut into chunks of consecutive
     * indices ({@link #chunkRows}), the chunks dealt to the blocks by a shuffled round-robin. A
     * block's rows are then runs of neighbouring rows in the model's arrays, so two threads
     * working on different blocks do not write the same cache lines (rows dealt one by one put
     * neighbours, which share a line at each end of a row, in different blocks: at k = 64 on 2
     * cores that false sharing cost 45% of the epoch).
     */
    private static int[] randomBlocks(int rows, int grid, SplittableRandom rnd) {
        int chunk = chunkRows(rows, grid);
        int chunks = (rows + chunk - 1) / chunk;
        int[] perm = Permutation.random(chunks, rnd);
        int[] chunkBlock = new int[chunks];
        for (int j = 0; j < chunks; j++) {
            chunkBlock[perm[j]] = j % grid;
        }
        int[] block = new int[rows];
        for (int j = 0; j < rows; j++) {
            block[j] = chunkBlock[j / chunk];
        }
        return block;
    }

    /**
     * Rows per chunk: 256, halved until every block gets at least 16 chunks (1 for small
     * problems); {@code lfm.cpu.sgdChunk} overrides it (benchmarks).
     */
    static int chunkRows(int rows, int grid) {
        Integer forced = Integer.getInteger("lfm.cpu.sgdChunk");
        if (forced != null && forced >= 1) {
            return forced;
        }
        int chunk = 256;
        while (chunk > 1 && (long) chunk * grid * 16 > rows) {
            chunk >>= 1;
        }
        return chunk;
    }

    /** Shuffles the ratings at positions [from, to) (items and values together). */
    private void shuffle(int from, int to, SplittableRandom rnd) {
        Permutation.shuffle(from, to, rnd, (j, s) -> {
            int ti = items[j];
            items[j] = items[s];
            items[s] = ti;
            float tv = values[j];
            values[j] = values[s];
            values[s] = tv;
        });
    }
}
