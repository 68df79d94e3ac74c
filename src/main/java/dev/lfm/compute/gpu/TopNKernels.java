package dev.lfm.compute.gpu;

import dev.lfm.compute.gpu.Accelerator.Buffer;
import dev.lfm.compute.gpu.Accelerator.Kernel;
import dev.lfm.compute.gpu.Accelerator.Program;

/**
 * The top-N kernels of {@code kernels/topn.cl}: {@value #TOPN_SCORE} (a block of users against
 * every item, a tiled GEMM with the biases, bit for bit the CPU ranker's scores) and
 * {@value #TOPN_SELECT} (each user's N best on the device by radix selection, excluded items
 * skipped). Compiled as their own program, on first use ({@link GpuBackend#ranker}).
 */
public final class TopNKernels extends KernelFamily {
    public static final String FILE = "topn.cl";
    public static final String TOPN_SCORE = "topn_score";
    public static final String TOPN_SELECT = "topn_select";
    /** TOPN_USERS of topn.cl: users a work-item of the score kernel scores. */
    static final int USERS = 4;
    /** Work-items (items) per group of the score kernel. */
    static final int SCORE_LOCAL = 64;
    /** Lanes per user of the selection on a GPU, and on a CPU device (PoCL runs a group's lanes as a loop). */
    static final int GPU_LANES = 256;
    static final int CPU_LANES = 16;

    private final Kernel score = kernel(TOPN_SCORE);
    private final Kernel select = kernel(TOPN_SELECT);

    TopNKernels(Accelerator acc, Program program) {
        super(acc, program);
    }

    /**
     * S[b·ni + i] for b < numRows, from Qᵀ ({@code qt}: k rows of ni). Geometry: groups of
     * {@link #SCORE_LOCAL} items for {@link #USERS} users each, ⌈numRows/USERS⌉·⌈ni/SCORE_LOCAL⌉ groups.
     */
    void score(int numRows, int ni, Buffer rows, DeviceModel m, Buffer qt, Buffer s) {
        int local = Math.min(SCORE_LOCAL, acc.maxWorkGroupSize());
        long groups = (long) ((numRows + USERS - 1) / USERS) * ((ni + local - 1) / local);
        acc.launch(score, groups * local, local, numRows, ni, m.rank, rows, m.p, qt, m.bu, m.bi, m.mu,
                m.biases ? 1 : 0, s);
    }

    /** The best n of each row of S, unordered, with their count. Geometry: one group of lanes() per row. */
    void select(int numRows, int ni, int n, Buffer rows, Buffer exPtr, Buffer exItems, Buffer s, Buffer items,
                Buffer scores, Buffer counts) {
        int bits = 32 - Integer.numberOfLeadingZeros(Math.max(1, ni - 1));
        int lanes = lanes();
        acc.launch(select, (long) numRows * lanes, lanes, numRows, ni, n, bits, rows, exPtr, exItems, s, items, scores,
                counts);
    }

    private int lanes() {
        return Math.min(acc.maxWorkGroupSize(), acc.cpuDevice() ? CPU_LANES : GPU_LANES);
    }
}
