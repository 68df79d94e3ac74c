package dev.lfm.compute.cpu;

import dev.lfm.model.FactorModel;
import dev.lfm.objective.Gradient;
import dev.lfm.objective.Objective;
import java.util.Arrays;

/**
 * Batch gradients on the CPU (the counterpart of {@code gpu/GradientKernels}), accumulated
 * without atomics: thread t owns the users and items whose index / 64 ≡ t (mod threads) and sums
 * the batch's contributions to its own rows (units of 64 rows keep threads from writing one
 * cache line). The half gradients land in {@link #gP}, {@link #gQ}, {@link #gBu}, {@link #gBi},
 * which are zero outside the rows of the step being taken; whoever consumes them
 * ({@link #download} or {@link CpuOptimizers#step}) clears them again.
 */
final class CpuGradients {
    /** Rows per ownership unit of the batch gradients (keeps two threads off one cache line). */
    private static final int OWNER_SHIFT = 6;

    private final Parallel parallel;
    float[] gP;
    float[] gQ;
    float[] gBu;
    float[] gBi;
    private int[] userStamp;
    private int[] itemStamp;
    private int stamp;
    private int[] userOccurrences;
    private int[] itemOccurrences;
    private float[] residualScratch = new float[0];
    private int[] batchUsers = new int[0];
    private int[] batchItems = new int[0];

    CpuGradients(Parallel parallel) {
        this.parallel = parallel;
    }

    /** The rows a batch touched, per owning thread. */
    record Touched(int[][] users, int[][] items) {
        int threads() {
            return users.length;
        }
    }

    /** Drops the scratch (a model of another shape follows). */
    void reset() {
        gP = null;
    }

    /** The thread that owns {@code row} in a batch step with {@code threads} threads. */
    static int owner(int row, int threads) {
        return (row >>> OWNER_SHIFT) % threads;
    }

    private void ensureScratch(FactorModel m) {
        if (gP == null) {
            gP = new float[m.p.length];
            gQ = new float[m.q.length];
            gBu = new float[m.numUsers];
            gBi = new float[m.numItems];
            userStamp = new int[m.numUsers];
            itemStamp = new int[m.numItems];
            userOccurrences = new int[m.numUsers];
            itemOccurrences = new int[m.numItems];
            stamp = 0;
        }
    }

    /**
     * Accumulates half gradients of the batch's per-rating terms into gP/gQ/gBu/gBi and returns
     * the touched rows per thread.
     *
     * <p>Two parallel passes: (1) contiguous ranges of the batch gather (u, i) and the residual e
     * into compact scratch arrays; (2) owner-computes: thread t owns the rows in units of 64
     * consecutive indices, unit ≡ t (mod threads), scans the compact batch and adds −e·q_i to its
     * users' g_p and −e·p_u to its items' g_q, counting each row's occurrences c; the
     * regularization part, c·λ·w·θ for each touched row, is added once per row at the end
     * (the same sum as adding λ·w·θ per rating). No atomics; the result does not depend on timing.
     */
    Touched accumulate(FactorModel m, CpuRatingSet t, int from, int to, Objective obj) {
        ensureScratch(m);
        var r = t.ratings;
        int[] order = t.order;
        int count = to - from;
        if (residualScratch.length < count) {
            residualScratch = new float[count];
            batchUsers = new int[count];
            batchItems = new int[count];
        }
        final float[] e = residualScratch;
        final int[] bu = batchUsers;
        final int[] bi = batchItems;
        int threads = count < 8192 ? 1 : parallel.threads();
        parallel.forRange(count, threads, (th, a, b) -> {
            for (int j = a; j < b; j++) {
                int n = order == null ? from + j : order[from + j];
                int u = r.user(n);
                int i = r.item(n);
                bu[j] = u;
                bi[j] = i;
                e[j] = r.value(n) - CpuKernels.predict(m, u, i);
            }
        });
        if (++stamp == Integer.MAX_VALUE) {
            Arrays.fill(userStamp, 0);
            Arrays.fill(itemStamp, 0);
            stamp = 1;
        }
        final int st = stamp;
        final int k = m.rank;
        float[] wu = t.userWeights(obj.regularization());
        float[] wi = t.itemWeights(obj.regularization());
        float lambda = (float) obj.lambda();
        float lambdaB = (float) obj.lambdaBias();
        boolean biases = obj.biases() && m.biases;
        int[][] touchedUsers = new int[threads][];
        int[][] touchedItems = new int[threads][];
        parallel.forThreads(threads, th -> {
            IntList tu = new IntList();
            IntList ti = new IntList();
            for (int j = 0; j < count; j++) {
                int u = bu[j];
                int i = bi[j];
                float ej = e[j];
                if (owner(u, threads) == th) {
                    tally(u, st, userStamp, userOccurrences, tu);
                    // g/2 for p_u: −e q_i (+ λ w_u p_u per occurrence, added below)
                    CpuKernels.axpy(gP, u * k, -ej, m.q, i * k, k);
                    if (biases) {
                        gBu[u] -= ej;
                    }
                }
                if (owner(i, threads) == th) {
                    tally(i, st, itemStamp, itemOccurrences, ti);
                    CpuKernels.axpy(gQ, i * k, -ej, m.p, u * k, k);
                    if (biases) {
                        gBi[i] -= ej;
                    }
                }
            }
            touchedUsers[th] = regularize(tu, userOccurrences, wu, m.p, m.userBias, gP, gBu, k, lambda, lambdaB, biases);
            touchedItems[th] = regularize(ti, itemOccurrences, wi, m.q, m.itemBias, gQ, gBi, k, lambda, lambdaB, biases);
        });
        return new Touched(touchedUsers, touchedItems);
    }

    /** Counts one occurrence of {@code row} in this batch, listing it on its first. */
    private static void tally(int row, int st, int[] stamps, int[] occurrences, IntList touched) {
        if (stamps[row] != st) {
            stamps[row] = st;
            occurrences[row] = 0;
            touched.add(row);
        }
        occurrences[row]++;
    }

    /** Adds c·λ·w·θ (and c·λ_b·w·b) to each touched row's half gradient; returns the rows. */
    private static int[] regularize(IntList touched, int[] occurrences, float[] w, float[] theta, float[] bias,
                                    float[] g, float[] gb, int k, float lambda, float lambdaB, boolean biases) {
        int[] rows = touched.toArray();
        for (int row : rows) {
            float c = occurrences[row];
            CpuKernels.axpy(g, row * k, c * lambda * w[row], theta, row * k, k);
            if (biases) {
                gb[row] += c * lambdaB * w[row] * bias[row];
            }
        }
        return rows;
    }

    /** The full gradient (2 × the accumulated halves) of a batch, clearing the accumulators. */
    Gradient download(FactorModel m, Touched touched) {
        int k = m.rank;
        float[] dp = new float[m.p.length];
        float[] dq = new float[m.q.length];
        float[] dbu = new float[m.numUsers];
        float[] dbi = new float[m.numItems];
        for (int th = 0; th < touched.threads(); th++) {
            take(touched.users()[th], k, gP, gBu, dp, dbu);
            take(touched.items()[th], k, gQ, gBi, dq, dbi);
        }
        return new Gradient(k, dp, dq, dbu, dbi);
    }

    private static void take(int[] rows, int k, float[] g, float[] gb, float[] d, float[] db) {
        for (int row : rows) {
            for (int c = row * k; c < (row + 1) * k; c++) {
                d[c] = 2 * g[c];
                g[c] = 0;
            }
            db[row] = 2 * gb[row];
            gb[row] = 0;
        }
    }

    /** A growable int list (no boxing). */
    static final class IntList {
        private int[] a = new int[16];
        private int n;

        void add(int x) {
            if (n == a.length) {
                a = Arrays.copyOf(a, n * 2);
            }
            a[n++] = x;
        }

        int[] toArray() {
            return Arrays.copyOf(a, n);
        }
    }
}
