package dev.lfm.compute.gpu;

import dev.lfm.LfmException;
import dev.lfm.compute.Side;
import dev.lfm.compute.gpu.Accelerator.Buffer;
import dev.lfm.compute.gpu.Accelerator.Kernel;
import dev.lfm.compute.gpu.Accelerator.Program;

/**
 * The ALS half-sweep of {@code kernels/als.cl}: per row, the normal equations
 * (Σ z zᵀ + D) x = Σ (r − μ − b_other) z built from the row's CSR (users) / CSC (items) segment
 * and solved by an LDLᵀ (square-root-free Cholesky) factorization, one work-group per row.
 *
 * <ul>
 *   <li>{@value #ALS_SOLVE_LOCAL}: d = k (+1 with biases) ≤ {@value #LOCAL_MAX_D}; the matrix in
 *       local/shared memory (44 KiB per group with the tiles, under CUDA's 48 KiB static limit).
 *   <li>{@value #ALS_SOLVE_GLOBAL}: d ≤ {@value #GLOBAL_MAX_D} (k ≤ 512); the matrix in a global
 *       scratch slab per work-group, rows launched in batches of as many groups as there are slabs
 *       (slabs sized to at most {@link #SCRATCH_BYTES} and an eighth of device memory).
 * </ul>
 *
 * Factorization and solve run in double where the device has it (CUDA; OpenCL with
 * {@code cl_khr_fp64}, which PoCL has), otherwise float: {@link #realBytes()} says which.
 *
 * <p>Measured (2026-11-24, PoCL 3.1 on a 2-core machine shared with other builds, load average
 * 4–5.5, so ±50%): default synthetic problem (3.6M training ratings, 50k × 10k), one sweep (users
 * then items): k = 16: 1.0–2.1 s (CPU backend 1.2–1.4 s); k = 64: 5–14 s (CPU 4.5–7.1 s); k = 128
 * (global form): 74–79 s (CPU 37–42 s); test RMSE identical to the CPU backend's to 4 digits.
 * Lanes per row on PoCL (1, 4, 8, 16, 64 at k = 64) could not be told apart under that load;
 * {@link #CPU_LOCAL} = 16 was among the fastest.
 */
public final class AlsKernels extends KernelFamily {
    public static final String FILE = "als.cl";
    public static final String ALS_SOLVE_LOCAL = "als_solve_local";
    public static final String ALS_SOLVE_GLOBAL = "als_solve_global";
    public static final String ALS_REAL_BYTES = "als_real_bytes";
    /** ALS_LOCAL_MAX_D of als.cl. */
    public static final int LOCAL_MAX_D = 65;
    /** ALS_GLOBAL_MAX_D of als.cl. */
    public static final int GLOBAL_MAX_D = 513;
    /** Upper bound on the global scratch of {@value #ALS_SOLVE_GLOBAL}. */
    static final long SCRATCH_BYTES = 256L << 20;
    /** Lanes per row on a GPU (local and global forms). */
    static final int GPU_LOCAL = 128;
    /** Lanes per row on a CPU device (PoCL packs work-items into SIMD loops; see {@link #localSize}). */
    static final int CPU_LOCAL = 16;

    private final Kernel local = kernel(ALS_SOLVE_LOCAL);
    private final Kernel global = kernel(ALS_SOLVE_GLOBAL);
    private final int realBytes;
    private Buffer scratch;
    private boolean forceGlobal;
    private int forcedLocalSize;

    AlsKernels(Accelerator acc, Program program) {
        super(acc, program);
        Kernel bytes = kernel(ALS_REAL_BYTES);
        Buffer out = acc.alloc(Integer.BYTES);
        try {
            acc.launch(bytes, 1, 1, out);
            int[] v = new int[1];
            acc.download(out, 0, v, 0, 1);
            realBytes = v[0];
        } finally {
            out.close();
        }
    }

    /** 8 when the factorization runs in double on this device, 4 when in float. */
    int realBytes() {
        return realBytes;
    }

    /** Uses {@value #ALS_SOLVE_GLOBAL} for every k (tests of the global form at small k). */
    void forceGlobal(boolean force) {
        this.forceGlobal = force;
    }

    /** Forces the lanes per row (0 = automatic). */
    void forceLocalSize(int lanes) {
        this.forcedLocalSize = lanes;
    }

    private int localSize() {
        if (forcedLocalSize > 0) {
            return forcedLocalSize;
        }
        return Math.min(acc.maxWorkGroupSize(), acc.cpuDevice() ? CPU_LOCAL : GPU_LOCAL);
    }

    /**
     * One half-sweep: every row of {@code side} solved (rows without ratings set to zero).
     * Geometry: one work-group of {@link #localSize} lanes per row; the local form in one launch
     * over all rows, the global form in launches of at most (slabs) groups.
     */
    void sweep(GpuRatingSet s, DeviceModel m, Side side, float lambda, float lambdaBias, boolean weighted,
               boolean useBias) {
        boolean users = side == Side.USERS;
        GpuRatingSet.Segments seg = s.segments(users ? 0 : 1);
        int rows = users ? m.numUsers : m.numItems;
        Buffer other = users ? s.items : s.users;
        Buffer f = users ? m.p : m.q;
        Buffer fOther = users ? m.q : m.p;
        Buffer b = users ? m.bu : m.bi;
        Buffer bOther = users ? m.bi : m.bu;
        int k = m.rank;
        int d = useBias ? k + 1 : k;
        if (d > GLOBAL_MAX_D) {
            throw new LfmException("ALS on " + acc.api() + " supports rank up to " + (GLOBAL_MAX_D - 1)
                    + " (got " + k + "); use --backend cpu for larger ranks");
        }
        int lanes = localSize();
        if (rows == 0) {
            return;
        }
        if (d <= LOCAL_MAX_D && !forceGlobal) {
            acc.launch(local, (long) rows * lanes, lanes, 0, rows, seg.ptr(), seg.pos(), other, s.values, fOther,
                    bOther, m.mu, k, lambda, lambdaBias, weighted ? 1 : 0, useBias ? 1 : 0, f, b);
            return;
        }
        long slab = (long) d * d * realBytes;
        long budget = Math.min(SCRATCH_BYTES, acc.globalMemoryBytes() / 8);
        int groups = (int) Math.max(1, Math.min(rows, budget / slab));
        Buffer sc = scratch(groups * slab);
        for (int first = 0; first < rows; first += groups) {
            int n = Math.min(groups, rows - first);
            acc.launch(global, (long) n * lanes, lanes, first, rows, seg.ptr(), seg.pos(), other, s.values, fOther,
                    bOther, m.mu, k, lambda, lambdaBias, weighted ? 1 : 0, useBias ? 1 : 0, f, b, sc);
        }
    }

    private Buffer scratch(long bytes) {
        if (scratch == null || scratch.bytes() < bytes) {
            if (scratch != null) {
                scratch.close();
            }
            scratch = acc.alloc(bytes);
        }
        return scratch;
    }

    void close() {
        if (scratch != null) {
            scratch.close();
            scratch = null;
        }
    }
}
