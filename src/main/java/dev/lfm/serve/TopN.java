package dev.lfm.serve;

import dev.lfm.compute.Backend;
import dev.lfm.compute.gpu.DeviceRanker;
import dev.lfm.compute.gpu.GpuBackend;
import dev.lfm.data.Ratings;
import dev.lfm.model.FactorModel;
import java.util.Arrays;
import java.util.function.Consumer;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The N best items for every user (or a subset), by the unclipped score
 * s(u,i) = μ + b_u + b_i + p_u·q_i, ties broken by the lower item index, skipping the items each
 * user rated in an optional exclusion set. On the CPU, in parallel:
 *
 * <ul>
 *   <li>users are cut into blocks; each worker takes one block at a time and walks the items in
 *       tiles of Qᵀ small enough to stay in cache, computing for four users at a time the scores
 *       of a tile (a register-blocked GEMM with the Vector API, vectorized over items);
 *   <li>each tile's scores are scanned into a bounded min-heap per user (a vector compare against
 *       the heap's current minimum skips most of the tile), excluded items set to −∞ first;
 *   <li>blocks are emitted in user order, so output is deterministic whatever the thread count.
 * </ul>
 *
 * Memory is O(k·items) for Qᵀ plus, per worker, O(block·N + 4·tile); results go to a sink as they
 * are made, never all held. Scores agree with {@link FactorModel#predictRaw} up to float rounding
 * (the dot product is summed in another order). A user with fewer than N unexcluded items gets
 * fewer rows.
 *
 * <p>On a GPU backend ({@link #backend}: opencl or cuda) each block of users is scored against
 * every item on the device and each user's N best are selected there ({@link DeviceRanker}); only
 * users × N (item, score) pairs come back, and the host puts each list in order. The device
 * computes every score exactly as the CPU path does (μ + b_i, + b_u, then one fma per component
 * in component order), so both paths give the same lists, scores and tie order bit for bit.
 *
 * <p>Use: {@code new TopN(model, 10).exclude(train).titles(titles).progress(p).allUsers(sink)}.
 * Configuration methods return this; an instance may be reused but not shared between threads
 * while running.
 */
public final class TopN {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int WAVE_BLOCKS_PER_THREAD = 2;

    /** Progress after each wave of blocks: users done so far of the total. */
    @FunctionalInterface
    public interface Progress {
        void update(long usersDone, long usersTotal);
    }

    /**
     * Receives each user's list, in user order. The arrays are reused after the call returns.
     */
    @FunctionalInterface
    public interface ListSink {
        /**
         * @param user the model's row of the user
         * @param items model item rows, best first ({@code count} of them)
         * @param scores their unclipped scores
         */
        void accept(int user, int[] items, float[] scores, int count);
    }

    /**
     * Totals of a run.
     *
     * @param users users ranked
     * @param rows list entries produced
     * @param unknownUsers requested users the model does not have (skipped)
     * @param itemsScored user × item scores computed
     * @param seconds wall time
     */
    public record Summary(long users, long rows, long unknownUsers, long itemsScored, double seconds) {
        /** Scored (user, item) pairs per second. */
        public double itemsPerSecond() {
            return seconds > 0 ? itemsScored / seconds : Double.NaN;
        }

        @Override
        public String toString() {
            return String.format("%d users, %d rows in %.2f s (%.3g items/s)%s", users, rows, seconds,
                    itemsPerSecond(), unknownUsers > 0 ? "; " + unknownUsers + " unknown users skipped" : "");
        }
    }

    private final FactorModel m;
    private final int n;
    private int threads;
    private int blockSize = 256;
    private boolean blockSizeSet;
    private Backend backend;
    private int[] exPtr;
    private int[] exItems;
    private ItemTitles titles;
    private Progress progress;

    /**
     * @param model the model to rank with (not modified)
     * @param n list length N (≥ 1)
     */
    public TopN(FactorModel model, int n) {
        if (n < 1) {
            throw new dev.lfm.LfmException("--top must be >= 1 (got " + n + ")");
        }
        this.m = model;
        this.n = n;
    }

    /**
     * Items each user rated in {@code rated} (any id space, matched by file ids) are never
     * recommended to that user. Null clears the exclusions.
     */
    public TopN exclude(Ratings rated) {
        if (rated == null) {
            exPtr = null;
            exItems = null;
            return this;
        }
        int[] userRow = Ids.userRows(m, rated);
        int[] itemRow = Ids.itemRows(m, rated);
        int[] ptr = new int[m.numUsers + 1];
        int size = rated.size();
        int[] us = rated.users();
        int[] is = rated.items();
        for (int j = 0; j < size; j++) {
            int u = userRow[us[j]];
            if (u >= 0 && itemRow[is[j]] >= 0) {
                ptr[u + 1]++;
            }
        }
        for (int u = 0; u < m.numUsers; u++) {
            ptr[u + 1] += ptr[u];
        }
        int[] fill = Arrays.copyOf(ptr, m.numUsers);
        int[] items = new int[ptr[m.numUsers]];
        for (int j = 0; j < size; j++) {
            int u = userRow[us[j]];
            int i = itemRow[is[j]];
            if (u >= 0 && i >= 0) {
                items[fill[u]++] = i;
            }
        }
        int chunk = 4096;
        Workers.run((m.numUsers + chunk - 1) / chunk, threads, t -> {
            for (int u = t * chunk, end = Math.min(m.numUsers, u + chunk); u < end; u++) {
                Arrays.sort(items, ptr[u], ptr[u + 1]);
            }
        });
        exPtr = ptr;
        exItems = items;
        return this;
    }

    /** Titles for {@link Recommendation#title()} (null: none). */
    public TopN titles(ItemTitles t) {
        this.titles = t;
        return this;
    }

    /** CPU threads (0, the default: all processors). */
    public TopN threads(int t) {
        this.threads = t;
        return this;
    }

    /** Users per block (default 256 on the CPU; on a GPU as many as a slab of the device's memory holds). */
    public TopN blockSize(int users) {
        if (users < 1) {
            throw new IllegalArgumentException("block size must be >= 1");
        }
        this.blockSize = users;
        this.blockSizeSet = true;
        return this;
    }

    /**
     * Ranks on {@code b} when it is a GPU backend (opencl, cuda; its current model is replaced by
     * this one while ranking); null or the cpu backend: the CPU path with {@link #threads}. The
     * caller keeps ownership of the backend.
     */
    public TopN backend(Backend b) {
        this.backend = b;
        return this;
    }

    public TopN progress(Progress p) {
        this.progress = p;
        return this;
    }

    /** Top-N rows for every user of the model, in user-row order. */
    public Summary allUsers(Consumer<Recommendation> sink) {
        int[] users = new int[m.numUsers];
        for (int u = 0; u < users.length; u++) {
            users[u] = u;
        }
        return lists(users, rowSink(sink), 0);
    }

    /**
     * Top-N rows for the users with these file ids, in the given order; ids the model does not
     * have are skipped and counted in {@link Summary#unknownUsers()}.
     */
    public Summary users(long[] userIds, Consumer<Recommendation> sink) {
        int[] rows = new int[userIds.length];
        int count = 0;
        for (long id : userIds) {
            int u = Ids.userRow(m, id);
            if (u >= 0) {
                rows[count++] = u;
            }
        }
        return lists(Arrays.copyOf(rows, count), rowSink(sink), userIds.length - count);
    }

    /** The lists of the given model user rows, in that order, as arrays (for metrics). */
    public Summary lists(int[] userRows, ListSink sink) {
        return lists(userRows, sink, 0);
    }

    private ListSink rowSink(Consumer<Recommendation> sink) {
        return (u, items, scores, count) -> {
            long uid = Ids.external(m.userIds, u);
            for (int r = 0; r < count; r++) {
                int i = items[r];
                long iid = Ids.external(m.itemIds, i);
                float s = scores[r];
                sink.accept(new Recommendation(uid, iid, r + 1, s, Math.max(m.minRating, Math.min(m.maxRating, s)),
                        titles == null ? null : titles.title(iid)));
            }
        };
    }

    private Summary lists(int[] userRows, ListSink sink, long unknown) {
        if (backend instanceof GpuBackend g) {
            return deviceLists(g, userRows, sink, unknown);
        }
        long t0 = System.nanoTime();
        int k = m.rank;
        int ni = m.numItems;
        // Qᵀ (k rows of ni) and μ + b_i
        float[] qt = new float[k * ni];
        for (int i = 0; i < ni; i++) {
            for (int c = 0; c < k; c++) {
                qt[c * ni + i] = m.q[i * k + c];
            }
        }
        float[] base = new float[ni];
        for (int i = 0; i < ni; i++) {
            base[i] = m.mu + (m.biases ? m.itemBias[i] : 0f);
        }
        int tile = Math.max(4 * S.length(), (8192 / k) / S.length() * S.length());
        int numUsers = userRows.length;
        int numBlocks = (numUsers + blockSize - 1) / blockSize;
        int t = Workers.resolve(threads);
        int wave = Math.max(1, t * WAVE_BLOCKS_PER_THREAD);
        Block[] blocks = new Block[Math.min(wave, Math.max(1, numBlocks))];
        for (int j = 0; j < blocks.length; j++) {
            blocks[j] = new Block(Math.min(blockSize, Math.max(1, numUsers)), n, tile);
        }
        long rows = 0;
        for (int w0 = 0; w0 < numBlocks; w0 += wave) {
            int first = w0;
            int count = Math.min(wave, numBlocks - w0);
            Workers.run(count, t, j -> {
                int b = first + j;
                int from = b * blockSize;
                int to = Math.min(numUsers, from + blockSize);
                blocks[j].rank(userRows, from, to, qt, base, tile);
            });
            for (int j = 0; j < count; j++) {
                Block blk = blocks[j];
                for (int x = 0; x < blk.numUsers; x++) {
                    int c = blk.size[x];
                    blk.sort(x);
                    sink.accept(blk.users[x], blk.outItems, blk.outScores, c);
                    rows += c;
                }
            }
            if (progress != null) {
                progress.update(Math.min(numUsers, (long) (w0 + count) * blockSize), numUsers);
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new Summary(numUsers, rows, unknown, (long) numUsers * ni, seconds);
    }

    /** {@link #lists} on a GPU backend: a block of users a call of the device ranker, each list ordered here. */
    private Summary deviceLists(GpuBackend g, int[] userRows, ListSink sink, long unknown) {
        long t0 = System.nanoTime();
        int numUsers = userRows.length;
        long rows = 0;
        try (DeviceRanker ranker = g.ranker(m, n, exPtr, exItems, blockSizeSet ? blockSize : 0)) {
            int block = ranker.blockUsers();
            int stride = ranker.stride();
            int[] counts = new int[block];
            int[] items = new int[block * stride];
            float[] scores = new float[block * stride];
            int[] outItems = new int[stride];
            float[] outScores = new float[stride];
            long[] keys = new long[stride];
            for (int from = 0; from < numUsers; from += block) {
                int to = Math.min(numUsers, from + block);
                ranker.rank(userRows, from, to, counts, items, scores);
                for (int b = 0; b < to - from; b++) {
                    int c = counts[b];
                    order(items, scores, b * stride, c, keys, outItems, outScores);
                    sink.accept(userRows[from + b], outItems, outScores, c);
                    rows += c;
                }
                if (progress != null) {
                    progress.update(to, numUsers);
                }
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new Summary(numUsers, rows, unknown, (long) numUsers * m.numItems, seconds);
    }

    /**
     * outItems/outScores[0..count) = the entries items/scores[off..off+count) best first: score
     * descending, then item ascending ({@link #worse}'s order; −0 and +0 tie), by one sort of
     * packed keys (the score's order-preserving bits above the item index).
     */
    static void order(int[] items, float[] scores, int off, int count, long[] keys, int[] outItems,
                      float[] outScores) {
        for (int j = 0; j < count; j++) {
            float s = scores[off + j];
            int x = s == 0f ? 0 : Float.floatToRawIntBits(s);
            long key = (x < 0 ? ~x : x | 0x80000000) & 0xffffffffL;
            keys[j] = (0xffffffffL - key) << 31 | items[off + j];
        }
        Arrays.sort(keys, 0, count);
        for (int j = 0; j < count; j++) {
            int item = (int) (keys[j] & 0x7fffffff);
            outItems[j] = item;
            long key = 0xffffffffL - (keys[j] >>> 31);
            float s = Float.intBitsToFloat((int) ((key & 0x80000000L) != 0 ? key & 0x7fffffff : ~key));
            if (s == 0f) {
                // the one value the key does not keep: the sign of a zero score
                for (int e = 0; e < count; e++) {
                    if (items[off + e] == item) {
                        s = scores[off + e];
                    }
                }
            }
            outScores[j] = s;
        }
    }

    /** One worker's block: heaps for its users and a 4 × tile score buffer. */
    private final class Block {
        final int[] users;
        final int[] heapItem;
        final float[] heapScore;
        final int[] size;
        final float[] buf;
        final int[] po = new int[4];
        final float[] bu = new float[4];
        final int[] outItems;
        final float[] outScores;
        int numUsers;

        Block(int maxUsers, int n, int tile) {
            users = new int[maxUsers];
            heapItem = new int[maxUsers * n];
            heapScore = new float[maxUsers * n];
            size = new int[maxUsers];
            buf = new float[4 * tile];
            outItems = new int[n];
            outScores = new float[n];
        }

        void rank(int[] userRows, int from, int to, float[] qt, float[] base, int tile) {
            numUsers = to - from;
            System.arraycopy(userRows, from, users, 0, numUsers);
            Arrays.fill(size, 0, numUsers, 0);
            int ni = m.numItems;
            int k = m.rank;
            for (int t0 = 0; t0 < ni; t0 += tile) {
                int t1 = Math.min(ni, t0 + tile);
                for (int x = 0; x < numUsers; x += 4) {
                    int g = Math.min(4, numUsers - x);
                    score(x, g, qt, base, t0, t1, ni, k, tile);
                    for (int y = 0; y < g; y++) {
                        scan(x + y, y * tile, t0, t1);
                    }
                }
            }
        }

        /** buf[y·tile + (i − t0)] = μ + b_u + b_i + p_u·q_i for users x..x+g and items [t0, t1). */
        private void score(int x, int g, float[] qt, float[] base, int t0, int t1, int ni, int k, int tile) {
            float[] p = m.p;
            for (int y = 0; y < 4; y++) {
                int u = users[x + Math.min(y, g - 1)];
                po[y] = u * k;
                bu[y] = m.biases ? m.userBias[u] : 0f;
            }
            int len = t1 - t0;
            int bound = S.loopBound(len);
            int i = 0;
            for (; i < bound; i += S.length()) {
                FloatVector b = FloatVector.fromArray(S, base, t0 + i);
                FloatVector a0 = b.add(bu[0]);
                FloatVector a1 = b.add(bu[1]);
                FloatVector a2 = b.add(bu[2]);
                FloatVector a3 = b.add(bu[3]);
                for (int c = 0, qo = t0 + i; c < k; c++, qo += ni) {
                    FloatVector qv = FloatVector.fromArray(S, qt, qo);
                    a0 = qv.fma(FloatVector.broadcast(S, p[po[0] + c]), a0);
                    a1 = qv.fma(FloatVector.broadcast(S, p[po[1] + c]), a1);
                    a2 = qv.fma(FloatVector.broadcast(S, p[po[2] + c]), a2);
                    a3 = qv.fma(FloatVector.broadcast(S, p[po[3] + c]), a3);
                }
                a0.intoArray(buf, i);
                a1.intoArray(buf, tile + i);
                a2.intoArray(buf, 2 * tile + i);
                a3.intoArray(buf, 3 * tile + i);
            }
            for (; i < len; i++) {
                for (int y = 0; y < 4; y++) {
                    float s = base[t0 + i] + bu[y];
                    for (int c = 0; c < k; c++) {
                        s = Math.fma(qt[c * ni + t0 + i], p[po[y] + c], s);
                    }
                    buf[y * tile + i] = s;
                }
            }
        }

        /** Offers buf[off..] (items t0..t1) to user x's heap, excluded items first set to −∞. */
        private void scan(int x, int off, int t0, int t1) {
            int u = users[x];
            if (exPtr != null) {
                int e = exPtr[u];
                int end = exPtr[u + 1];
                // the exclusion list is sorted; find the first item ≥ t0 (binary search keeps it O(log))
                int lo = Arrays.binarySearch(exItems, e, end, t0);
                e = lo >= 0 ? lo : -lo - 1;
                for (; e < end && exItems[e] < t1; e++) {
                    buf[off + exItems[e] - t0] = Float.NEGATIVE_INFINITY;
                }
            }
            int h = x * n;
            int len = t1 - t0;
            int i = 0;
            int bound = S.loopBound(len);
            for (; i < bound; i += S.length()) {
                float thr = size[x] < n ? Float.NEGATIVE_INFINITY : heapScore[h];
                if (FloatVector.fromArray(S, buf, off + i).compare(VectorOperators.GT, thr).anyTrue()) {
                    for (int j = i; j < i + S.length(); j++) {
                        offer(x, h, buf[off + j], t0 + j);
                    }
                }
            }
            for (; i < len; i++) {
                offer(x, h, buf[off + i], t0 + i);
            }
        }

        /** Items arrive in ascending index, so an equal score never displaces an earlier item. */
        private void offer(int x, int h, float s, int item) {
            int c = size[x];
            if (c < n) {
                if (!(s > Float.NEGATIVE_INFINITY)) {
                    return;
                }
                // sift up
                int j = c;
                while (j > 0) {
                    int parent = (j - 1) >> 1;
                    if (!worse(s, item, heapScore[h + parent], heapItem[h + parent])) {
                        break;
                    }
                    heapScore[h + j] = heapScore[h + parent];
                    heapItem[h + j] = heapItem[h + parent];
                    j = parent;
                }
                heapScore[h + j] = s;
                heapItem[h + j] = item;
                size[x] = c + 1;
                return;
            }
            if (!(s > heapScore[h])) {
                return;
            }
            siftDown(h, n, s, item);
        }

        /** Puts (s, item) at the root of the {@code count}-entry heap at h and sifts it down. */
        private void siftDown(int h, int count, float s, int item) {
            int j = 0;
            while (true) {
                int l = 2 * j + 1;
                if (l >= count) {
                    break;
                }
                int r = l + 1;
                int w = r < count && worse(heapScore[h + r], heapItem[h + r], heapScore[h + l], heapItem[h + l])
                        ? r : l;
                if (!worse(heapScore[h + w], heapItem[h + w], s, item)) {
                    break;
                }
                heapScore[h + j] = heapScore[h + w];
                heapItem[h + j] = heapItem[h + w];
                j = w;
            }
            heapScore[h + j] = s;
            heapItem[h + j] = item;
        }

        /** outItems/outScores = user x's heap, best first (score descending, item ascending); empties the heap. */
        void sort(int x) {
            int h = x * n;
            for (int c = size[x]; c > 0; c--) {
                // pop the worst (the root) into the last free slot
                outItems[c - 1] = heapItem[h];
                outScores[c - 1] = heapScore[h];
                // the last entry moves to the root of the heap that is one shorter
                siftDown(h, c - 1, heapScore[h + c - 1], heapItem[h + c - 1]);
            }
        }
    }

    /** (s, i) ranks below (t, j): a lower score, or the same score and a higher item index. */
    private static boolean worse(float s, int i, float t, int j) {
        return s < t || (s == t && i > j);
    }
}
