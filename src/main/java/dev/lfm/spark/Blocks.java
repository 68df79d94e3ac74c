package dev.lfm.spark;

import java.io.Serializable;
import java.util.Arrays;
import org.apache.spark.Partitioner;

/**
 * The DSGD grid's pieces. With p blocks per side, dense user index u is in user block u mod p at
 * local index u / p (items likewise), so a block's rows need no lookup table and p = 1 keeps
 * the global indices.
 */
final class Blocks {
    private Blocks() {
    }

    /** Rows of block {@code b} of a side with {@code total} rows cut into {@code p} blocks. */
    static int rows(int total, int p, int b) {
        return total <= b ? 0 : (total - b + p - 1) / p;
    }

    /** Maps key b (an Integer in [0, p)) to partition b: partition index = block index. */
    static final class Identity extends Partitioner {
        private final int p;

        Identity(int p) {
            this.p = p;
        }

        @Override
        public int numPartitions() {
            return p;
        }

        @Override
        public int getPartition(Object key) {
            return (Integer) key;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Identity other && other.p == p;
        }

        @Override
        public int hashCode() {
            return p;
        }
    }

    /**
     * One block of one side's parameters: factors row-major (local rows × k) and biases. Never
     * modified once built (Spark may cache and recompute it); tasks write new blocks.
     */
    static final class Factors implements Serializable {
        private static final long serialVersionUID = 1L;
        final int block;
        final int rows;
        final float[] f;
        final float[] b;

        Factors(int block, int rows, float[] f, float[] b) {
            this.block = block;
            this.rows = rows;
            this.f = f;
            this.b = b;
        }
    }

    /** The ratings of one (user block, item block) cell of one part, local indices, sorted by (user, item). */
    static final class Cell implements Serializable {
        private static final long serialVersionUID = 1L;
        static final Cell EMPTY = new Cell(new int[0], new int[0], new float[0]);
        final int[] u;
        final int[] i;
        final float[] v;

        Cell(int[] u, int[] i, float[] v) {
            this.u = u;
            this.i = i;
            this.v = v;
        }

        int size() {
            return v.length;
        }
    }

    /**
     * All ratings of one user block: cells[part][item block]; and the (user, item) pairs given more
     * than once within one part: null when none, else {repeats, then the first repeated pair's dense
     * global user, item and its part}.
     */
    static final class RatingBlock implements Serializable {
        private static final long serialVersionUID = 1L;
        final int block;
        final Cell[][] cells;
        final long[] repeat;

        RatingBlock(int block, Cell[][] cells, long[] repeat) {
            this.block = block;
            this.cells = cells;
            this.repeat = repeat;
        }
    }

    /** Growable columns of (global user, global item, rating, part), the unit shuffled when building blocks. */
    static final class Chunk implements Serializable {
        private static final long serialVersionUID = 1L;
        int[] u = new int[64];
        int[] i = new int[64];
        float[] v = new float[64];
        byte[] part = new byte[64];
        int n;

        void add(int user, int item, float value, int pt) {
            if (n == v.length) {
                int c = n * 2;
                u = Arrays.copyOf(u, c);
                i = Arrays.copyOf(i, c);
                v = Arrays.copyOf(v, c);
                part = Arrays.copyOf(part, c);
            }
            u[n] = user;
            i[n] = item;
            v[n] = value;
            part[n] = (byte) pt;
            n++;
        }

        void addAll(Chunk c) {
            for (int j = 0; j < c.n; j++) {
                add(c.u[j], c.i[j], c.v[j], c.part[j]);
            }
        }
    }

    /**
     * The user block {@code block} from its chunks: ratings to local indices, grouped by part and
     * item block, each cell sorted by (local user, local item) so that the layout, and hence the
     * SGD order, does not depend on the order in which Spark delivered them.
     */
    static RatingBlock build(int block, Chunk all, int p, int localUsers, int numItems) {
        int n = all.n;
        int maxLocalItems = Blocks.rows(numItems, p, 0);
        int[] lu = new int[n];
        int[] li = new int[n];
        int[] cellOf = new int[n];
        for (int j = 0; j < n; j++) {
            lu[j] = all.u[j] / p;
            li[j] = all.i[j] / p;
            cellOf[j] = all.part[j] * p + all.i[j] % p;
        }
        // LSD radix: stable by item, then by user, then by cell
        int[] order = identity(n);
        order = stableBy(order, li, maxLocalItems);
        order = stableBy(order, lu, localUsers);
        order = stableBy(order, cellOf, 3 * p);
        // a cell sorted by (user, item): a repeated pair is two neighbours
        long repeats = 0;
        int first = -1;
        for (int x = 1; x < n; x++) {
            int a = order[x - 1];
            int b = order[x];
            if (cellOf[a] == cellOf[b] && lu[a] == lu[b] && li[a] == li[b]) {
                repeats++;
                first = first < 0 ? b : first;
            }
        }
        int[] start = new int[3 * p + 1];
        for (int j = 0; j < n; j++) {
            start[cellOf[j] + 1]++;
        }
        for (int c = 0; c < 3 * p; c++) {
            start[c + 1] += start[c];
        }
        Cell[][] cells = new Cell[3][p];
        for (int c = 0; c < 3 * p; c++) {
            int len = start[c + 1] - start[c];
            if (len == 0) {
                cells[c / p][c % p] = Cell.EMPTY;
                continue;
            }
            int[] cu = new int[len];
            int[] ci = new int[len];
            float[] cv = new float[len];
            for (int x = 0; x < len; x++) {
                int j = order[start[c] + x];
                cu[x] = lu[j];
                ci[x] = li[j];
                cv[x] = all.v[j];
            }
            cells[c / p][c % p] = new Cell(cu, ci, cv);
        }
        return new RatingBlock(block, cells, first < 0 ? null : new long[] {repeats, all.u[first], all.i[first], all.part[first]});
    }

    private static int[] identity(int n) {
        int[] a = new int[n];
        for (int j = 0; j < n; j++) {
            a[j] = j;
        }
        return a;
    }

    /** A counting sort of {@code order} by key[order[.]] in [0, range), stable. */
    private static int[] stableBy(int[] order, int[] key, int range) {
        int[] count = new int[range + 1];
        for (int j : order) {
            count[key[j] + 1]++;
        }
        for (int r = 0; r < range; r++) {
            count[r + 1] += count[r];
        }
        int[] out = new int[order.length];
        for (int j : order) {
            out[count[key[j]]++] = j;
        }
        return out;
    }
}
