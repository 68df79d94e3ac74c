package dev.lfm.compute.gpu;

import dev.lfm.compute.RatingSet;
import dev.lfm.compute.gpu.Accelerator.Buffer;
import dev.lfm.data.Ratings;

/**
 * A rating set resident on a device: the COO arrays and per-row counts, plus, built on first use,
 * the order for gradient steps and CSR/CSC segment indexes for full-batch gradients.
 */
final class GpuRatingSet implements RatingSet {
    private final Accelerator acc;
    /** The backend's bookkeeping, told once when the set is closed. */
    private final java.util.function.Consumer<GpuRatingSet> onClose;
    private boolean closed;
    final Ratings ratings;
    final int size;
    final Buffer users;
    final Buffer items;
    final Buffer values;
    final Buffer userCounts;
    final Buffer itemCounts;
    final int[] hostUserCounts;
    final int[] hostItemCounts;
    private Buffer order;
    /** Segments by user [0] and by item [1], built on first full-batch gradient. */
    private Segments[] segments;
    /** {users with ratings, items with ratings}: the touched counts of a full batch. */
    private Buffer activeCounts;

    /** A CSR-style index: rows' ratings at pos[ptr[r]..ptr[r+1]), rows with ratings listed in active. */
    record Segments(Buffer ptr, Buffer pos, Buffer active, int numActive) {
        void close() {
            ptr.close();
            pos.close();
            active.close();
        }
    }

    GpuRatingSet(Accelerator acc, Ratings r, java.util.function.Consumer<GpuRatingSet> onClose) {
        this.acc = acc;
        this.onClose = onClose;
        this.ratings = r;
        this.size = r.size();
        this.hostUserCounts = r.userCounts();
        this.hostItemCounts = r.itemCounts();
        users = acc.alloc((long) size * Integer.BYTES);
        items = acc.alloc((long) size * Integer.BYTES);
        values = acc.alloc((long) size * Float.BYTES);
        userCounts = acc.alloc((long) r.numUsers() * Integer.BYTES);
        itemCounts = acc.alloc((long) r.numItems() * Integer.BYTES);
        acc.upload(users, 0, r.users(), 0, size);
        acc.upload(items, 0, r.items(), 0, size);
        acc.upload(values, 0, r.values(), 0, size);
        acc.upload(userCounts, hostUserCounts);
        acc.upload(itemCounts, hostItemCounts);
    }

    @Override
    public Ratings host() {
        return ratings;
    }

    @Override
    public int size() {
        return size;
    }

    /** The order of gradient-step batches (identity until {@link #setOrder}). */
    Buffer order() {
        if (order == null) {
            int[] identity = new int[size];
            for (int j = 0; j < size; j++) {
                identity[j] = j;
            }
            setOrder(identity);
        }
        return order;
    }

    void setOrder(int[] o) {
        if (order == null) {
            order = acc.alloc((long) size * Integer.BYTES);
        }
        acc.upload(order, o);
    }

    /** Segment index by user (side 0) or by item (side 1). */
    Segments segments(int side) {
        if (segments == null) {
            segments = new Segments[] {
                build(ratings.users(), hostUserCounts), build(ratings.items(), hostItemCounts)};
            activeCounts = acc.alloc(2L * Integer.BYTES);
            acc.upload(activeCounts, new int[] {segments[0].numActive(), segments[1].numActive()});
        }
        return segments[side];
    }

    /** Device int[2]: the numbers of users and items with ratings. */
    Buffer activeCounts() {
        segments(0);
        return activeCounts;
    }

    private Segments build(int[] rows, int[] counts) {
        int numRows = counts.length;
        int[] ptr = new int[numRows + 1];
        int active = 0;
        for (int r = 0; r < numRows; r++) {
            ptr[r + 1] = ptr[r] + counts[r];
            if (counts[r] > 0) {
                active++;
            }
        }
        int[] fill = java.util.Arrays.copyOf(ptr, numRows);
        int[] pos = new int[size];
        for (int n = 0; n < size; n++) {
            pos[fill[rows[n]]++] = n;
        }
        int[] list = new int[active];
        int a = 0;
        for (int r = 0; r < numRows; r++) {
            if (counts[r] > 0) {
                list[a++] = r;
            }
        }
        Buffer bPtr = acc.alloc((long) ptr.length * Integer.BYTES);
        Buffer bPos = acc.alloc((long) size * Integer.BYTES);
        Buffer bActive = acc.alloc((long) active * Integer.BYTES);
        acc.upload(bPtr, ptr);
        acc.upload(bPos, pos);
        acc.upload(bActive, list);
        return new Segments(bPtr, bPos, bActive, active);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            users.close();
            items.close();
            values.close();
            userCounts.close();
            itemCounts.close();
            if (order != null) {
                order.close();
            }
            if (segments != null) {
                segments[0].close();
                segments[1].close();
                activeCounts.close();
            }
        } finally {
            onClose.accept(this); // forgotten by the backend even if a free fails
        }
    }
}
