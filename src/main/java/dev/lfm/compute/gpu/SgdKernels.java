package dev.lfm.compute.gpu;

import dev.lfm.compute.gpu.Accelerator.Buffer;
import dev.lfm.compute.gpu.Accelerator.Kernel;
import dev.lfm.compute.gpu.Accelerator.Program;
import java.util.SplittableRandom;

/**
 * The lock-free SGD epoch of {@code kernels/sgd.cl} (batch-Hogwild over a seeded permutation),
 * with P and Q stored as float ({@link #SGD_EPOCH}) or as fp16 ({@link #SGD_EPOCH_HALF}), and
 * the same with the per-row AdaGrad schedule ({@link #SGD_EPOCH_ADAGRAD},
 * {@link #SGD_EPOCH_ADAGRAD_HALF}; the rule is stated at the top of sgd.cl).
 */
public final class SgdKernels extends KernelFamily {
    public static final String FILE = "sgd.cl";
    public static final String SGD_EPOCH = "sgd_epoch";
    public static final String SGD_EPOCH_HALF = "sgd_epoch_half";
    public static final String SGD_EPOCH_ADAGRAD = "sgd_epoch_adagrad";
    public static final String SGD_EPOCH_ADAGRAD_HALF = "sgd_epoch_adagrad_half";
    /** SGD_GROUP of sgd.cl: work-items per work-group. */
    public static final int GROUP = 128;
    /** A stream walks at least this many ratings (fewer, longer streams on small sets). */
    static final int MIN_PER_STREAM = 64;
    /**
     * Work-groups per compute unit at most, whatever the device reports (a CPU device reports
     * thousands of work-items per group; 16 groups of 128 are plenty of streams for it).
     */
    static final int MAX_GROUPS_PER_UNIT = 16;

    private final Kernel epoch = kernel(SGD_EPOCH);
    private final Kernel epochHalf = kernel(SGD_EPOCH_HALF);
    private final Kernel adagrad = kernel(SGD_EPOCH_ADAGRAD);
    private final Kernel adagradHalf = kernel(SGD_EPOCH_ADAGRAD_HALF);
    /** Resident work-groups per compute unit of each variant (one full wave), from the device. */
    private final int residentFloat;
    private final int residentHalf;
    private final int residentAdagrad;
    private final int residentAdagradHalf;

    SgdKernels(Accelerator acc, Program program) {
        super(acc, program);
        this.residentFloat = resident(acc, epoch);
        this.residentHalf = resident(acc, epochHalf);
        this.residentAdagrad = resident(acc, adagrad);
        this.residentAdagradHalf = resident(acc, adagradHalf);
    }

    /** min(MAX_GROUPS_PER_UNIT, the device's resident groups of GROUP for the kernel), at least 1. */
    static int resident(Accelerator acc, Kernel k) {
        return Math.max(1, Math.min(MAX_GROUPS_PER_UNIT, acc.groupsPerUnit(k, GROUP)));
    }

    /** Resident work-groups per compute unit that sizes the grid of the float or fp16 epoch (plain or AdaGrad). */
    int groupsPerUnit(boolean half, boolean adaptive) {
        return adaptive ? (half ? residentAdagradHalf : residentAdagrad) : (half ? residentHalf : residentFloat);
    }

    /**
     * Lanes per rating on a GPU: the next power of two ≥ k, at most 32 (a warp). A CPU device
     * (PoCL) uses 1 lane: its work-items are SIMD-packed across streams, and the barriers of a
     * cross-lane reduction cost more than the serial dot product (PoCL 3.1, 2 cores, 300k
     * ratings, k = 32: lanes 1 or 2 ≈ 12 ms per epoch, 4 ≈ 28 ms, 8 ≈ 45 ms, 32 ≈ 280 ms).
     */
    static int lanes(int k) {
        return Math.min(32, Integer.highestOneBit(Math.max(1, k - 1)) << (k > 1 ? 1 : 0));
    }

    /**
     * One epoch. Geometry: local = {@link #GROUP}; streams = min(count / MIN_PER_STREAM,
     * computeUnits × resident × GROUP/lanes) (at least 1), where resident is the variant's
     * {@link Accelerator#groupsPerUnit} (CUDA: the occupancy calculator, e.g. 10 blocks of 128 for
     * 48 registers a thread; capped at {@link #MAX_GROUPS_PER_UNIT}), so the grid is one full wave
     * and no second, partial wave of blocks waits for the first; each stream walks
     * perStream = ⌈count / streams⌉ consecutive positions of the permutation; groups =
     * ⌈streams / (GROUP/lanes)⌉ (surplus lane groups of the last one idle). A set of fewer than
     * 2·MIN_PER_STREAM ratings is therefore one sequential stream.
     *
     * <p>{@code p}, {@code q}: the factor buffers the epoch reads and writes, float ({@code m.p},
     * {@code m.q}) or, when {@code half}, the model's fp16 copies. {@code gu}, {@code gi}: the
     * AdaGrad state, (G, H) per user / item row; null for the plain rule.
     */
    void epoch(GpuRatingSet s, DeviceModel m, Buffer p, Buffer q, boolean half, Buffer gu, Buffer gi, float lr,
               float lrBias, float lambda, float lambdaBias, boolean weighted, boolean useBias, long seed,
               int forcedLanes) {
        int count = s.size();
        if (count == 0) {
            return;
        }
        int lanes = forcedLanes > 0 ? forcedLanes : acc.cpuDevice() ? 1 : lanes(m.rank);
        int perGroup = GROUP / lanes;
        long maxStreams = (long) Math.max(1, acc.computeUnits()) * groupsPerUnit(half, gu != null) * perGroup;
        long streams = Math.max(1, Math.min(maxStreams, count / MIN_PER_STREAM));
        int perStream = (int) ((count + streams - 1) / streams);
        // lane groups past `streams` in the last work-group start at or beyond count: they idle
        long groups = (streams + perGroup - 1) / perGroup;
        int bits = Math.max(1, 32 - Integer.numberOfLeadingZeros(count - 1));
        int mask = (int) ((1L << bits) - 1);
        int shift = Math.max(1, bits / 2);
        SplittableRandom rnd = new SplittableRandom(seed);
        int m0 = rnd.nextInt() | 1;
        int a0 = rnd.nextInt();
        int m1 = rnd.nextInt() | 1;
        int a1 = rnd.nextInt();
        int m2 = rnd.nextInt() | 1;
        int a2 = rnd.nextInt();
        Object[] head = {count, perStream, lanes, s.users, s.items, s.values, s.userCounts, s.itemCounts, p, q,
            m.bu, m.bi};
        Object[] tail = {m.mu, m.rank, lr, lrBias, lambda, lambdaBias, weighted ? 1 : 0, useBias ? 1 : 0, mask, shift,
            m0, a0, m1, a1, m2, a2};
        Object[] args = gu == null ? concat(head, tail) : concat(head, new Object[] {gu, gi}, tail);
        Kernel kernel = gu == null ? (half ? epochHalf : epoch) : (half ? adagradHalf : adagrad);
        acc.launch(kernel, groups * GROUP, GROUP, args);
    }

    private static Object[] concat(Object[]... parts) {
        int n = 0;
        for (Object[] a : parts) {
            n += a.length;
        }
        Object[] out = new Object[n];
        int at = 0;
        for (Object[] a : parts) {
            System.arraycopy(a, 0, out, at, a.length);
            at += a.length;
        }
        return out;
    }
}
