package dev.lfm.compute.gpu;

import dev.lfm.compute.gpu.Accelerator.Buffer;

/**
 * Top-N on a device for one model ({@link GpuBackend#ranker}): for a block of user rows, the
 * scores of every item are computed into a blockUsers × items slab ({@link TopNKernels}), each
 * user's excluded items are set to −∞ there, and each user's best {@link #stride()} items are
 * selected on the device; only (item, score) pairs and counts come back, unordered within a user.
 * Device memory: the model (held by the backend), Qᵀ (items · k), the exclusion lists, and
 * O(blockUsers · items) for the slab. Used by one thread; {@link #close} frees the buffers (the
 * backend's model stays).
 */
public final class DeviceRanker implements AutoCloseable {
    private final Accelerator acc;
    private final TopNKernels kernels;
    private final DeviceModel m;
    private final int stride;
    private final int blockUsers;
    private final Buffer qt;
    private final Buffer exPtr;
    private final Buffer exItems;
    private final Buffer rows;
    private final Buffer slab;
    private final Buffer items;
    private final Buffer scores;
    private final Buffer counts;

    DeviceRanker(Accelerator acc, TopNKernels kernels, DeviceModel m, float[] q, int n, int[] exPtr, int[] exItems,
                 int blockUsers) {
        this.acc = acc;
        this.kernels = kernels;
        this.m = m;
        this.stride = Math.max(1, Math.min(n, m.numItems));
        this.blockUsers = blockUsers;
        int[] ptr = exPtr != null ? exPtr : new int[m.numUsers + 1];
        Buffer[] made = new Buffer[8];
        try {
            made[7] = acc.alloc((long) m.numItems * m.rank * Float.BYTES);
            acc.upload(made[7], transpose(q, m.numItems, m.rank));
            made[0] = acc.alloc((long) ptr.length * Integer.BYTES);
            acc.upload(made[0], ptr);
            made[1] = acc.alloc(Math.max(1, exItems == null ? 0 : exItems.length) * (long) Integer.BYTES);
            if (exItems != null) {
                acc.upload(made[1], exItems);
            }
            made[2] = acc.alloc((long) blockUsers * Integer.BYTES);
            made[3] = acc.alloc((long) blockUsers * Math.max(1, m.numItems) * Float.BYTES);
            made[4] = acc.alloc((long) blockUsers * stride * Integer.BYTES);
            made[5] = acc.alloc((long) blockUsers * stride * Float.BYTES);
            made[6] = acc.alloc((long) blockUsers * Integer.BYTES);
        } catch (RuntimeException | Error e) {
            for (Buffer b : made) {
                if (b != null) {
                    b.close();
                }
            }
            throw e;
        }
        this.exPtr = made[0];
        this.exItems = made[1];
        this.rows = made[2];
        this.slab = made[3];
        this.items = made[4];
        this.scores = made[5];
        this.counts = made[6];
        this.qt = made[7];
    }

    /** Qᵀ: k rows of numItems (row-major Q is numItems rows of k). */
    private static float[] transpose(float[] q, int items, int k) {
        float[] t = new float[items * k];
        for (int i = 0; i < items; i++) {
            for (int c = 0; c < k; c++) {
                t[c * items + i] = q[i * k + c];
            }
        }
        return t;
    }

    /** Users ranked per {@link #rank} call at most. */
    public int blockUsers() {
        return blockUsers;
    }

    /** Entries per user in the outputs of {@link #rank}: min(n, items). */
    public int stride() {
        return stride;
    }

    /**
     * Ranks the user rows {@code userRows[from..to)} (at most {@link #blockUsers()} of them): user
     * {@code from + b} gets {@code outCounts[b]} entries at {@code outItems/outScores[b·stride ..]},
     * its best items (model rows) with their unclipped scores, in no particular order.
     */
    public void rank(int[] userRows, int from, int to, int[] outCounts, int[] outItems, float[] outScores) {
        int count = to - from;
        if (count < 0 || count > blockUsers) {
            throw new IllegalArgumentException("a block of " + count + " users (at most " + blockUsers + ")");
        }
        if (count == 0) {
            return;
        }
        int ni = m.numItems;
        acc.upload(rows, 0, userRows, from, count);
        if (ni > 0) {
            kernels.score(count, ni, rows, m, qt, slab);
            kernels.select(count, ni, stride, rows, exPtr, exItems, slab, items, scores, counts);
            acc.download(counts, 0, outCounts, 0, count);
            acc.download(items, 0, outItems, 0, count * stride);
            acc.download(scores, 0, outScores, 0, count * stride);
        } else {
            java.util.Arrays.fill(outCounts, 0, count, 0);
        }
    }

    @Override
    public void close() {
        for (Buffer b : new Buffer[] {qt, exPtr, exItems, rows, slab, items, scores, counts}) {
            b.close();
        }
    }
}
