package dev.lfm.compute.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lfm.LfmException;
import dev.lfm.cli.Main;
import dev.lfm.compute.RatingSet;
import dev.lfm.compute.gpu.Accelerator;
import dev.lfm.compute.gpu.GpuBackend;
import dev.lfm.data.Ratings;
import dev.lfm.model.FactorModel;
import dev.lfm.objective.Objective;
import dev.lfm.objective.Regularization;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import jcuda.driver.CUresult;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * CUDA's error paths without a GPU: a fake {@link Accelerator} whose launches go through the same
 * checks as {@link CudaAccelerator#launch} ({@link CudaAccelerator#afterLaunch}) with injected
 * driver results, under the real {@link GpuBackend}. Every failure must reach the user as one
 * line (an {@link LfmException}: exit 2, no stack trace) that names the kernel.
 */
class CudaFaultTest {
    static final Objective OBJ = new Objective(0.05, 0.02, Regularization.UNIFORM, true);

    /** Host-memory accelerator; launches do nothing except the injected CUDA results. */
    static final class FaultyAccelerator implements Accelerator {
        final Map<String, Integer> launchResult = new HashMap<>();
        final Map<String, Integer> syncResult = new HashMap<>();
        boolean sync;
        String last;
        int launches;

        record HostBuffer(ByteBuffer data) implements Buffer {
            @Override
            public long bytes() {
                return data.capacity();
            }

            @Override
            public void close() {
            }
        }

        record FakeKernel(String name) implements Kernel {
        }

        @Override
        public String api() {
            return "cuda";
        }

        @Override
        public String device() {
            return "fake GPU";
        }

        @Override
        public Limits limits() {
            return new Limits(4, 1L << 30, false, 1024);
        }

        @Override
        public int groupsPerUnit(Kernel kernel, int localSize) {
            return 10;
        }

        @Override
        public Buffer alloc(long bytes) {
            return new HostBuffer(ByteBuffer.allocate((int) Math.max(4, bytes)).order(ByteOrder.LITTLE_ENDIAN));
        }

        private static ByteBuffer at(Buffer b, long offset) {
            return ((HostBuffer) b).data().duplicate().order(ByteOrder.LITTLE_ENDIAN).position((int) offset);
        }

        @Override
        public void copy(boolean toDevice, Buffer b, long off, Object host, int from, int count) {
            ByteBuffer at = at(b, off);
            if (host instanceof float[] f) {
                if (toDevice) {
                    at.asFloatBuffer().put(f, from, count);
                } else {
                    at.asFloatBuffer().get(f, from, count);
                }
            } else if (toDevice) {
                at.asIntBuffer().put((int[]) host, from, count);
            } else {
                at.asIntBuffer().get((int[]) host, from, count);
            }
        }

        @Override
        public void fill(Buffer dst, int pattern, long off, long bytes) {
            ByteBuffer b = at(dst, off);
            for (long j = 0; j < bytes / 4; j++) {
                b.putInt(pattern);
            }
        }

        @Override
        public Program build(List<String> files) {
            return new Program() {
            };
        }

        @Override
        public Kernel kernel(Program program, String name) {
            return new FakeKernel(name);
        }

        @Override
        public void launch(Kernel kernel, long workItems, int localSize, Object... args) {
            if (workItems <= 0) {
                return;
            }
            launches++;
            String what = kernel.name() + " (grid " + KernelArgs.gridSize(workItems, localSize) + ", block " + localSize
                    + ")";
            CudaAccelerator.afterLaunch(what, launchResult.getOrDefault(kernel.name(), CUresult.CUDA_SUCCESS), sync,
                    () -> syncResult.getOrDefault(kernel.name(), CUresult.CUDA_SUCCESS), last);
            last = what;
        }

        @Override
        public void finish() {
        }

        @Override
        public void close() {
        }
    }

    static Ratings ratings() {
        int n = 500;
        int[] u = new int[n];
        int[] i = new int[n];
        float[] v = new float[n];
        for (int j = 0; j < n; j++) {
            u[j] = j % 20;
            i[j] = (j * 7) % 30;
            v[j] = 1 + j % 5;
        }
        return new Ratings(20, 30, u, i, v, n, null, null, 1f, 5f);
    }

    static FactorModel model() {
        FactorModel m = new FactorModel(20, 30, 64, true);
        m.mu = 3;
        m.minRating = 1;
        m.maxRating = 5;
        return m;
    }

    static void assertOneLine(Throwable t, String... parts) {
        assertThat(t).isInstanceOf(LfmException.class);
        assertThat(t.getMessage()).doesNotContain("\n").contains(parts);
    }

    @Test
    void aRefusedLaunchIsOneLineNamingTheKernel() {
        FaultyAccelerator acc = new FaultyAccelerator();
        acc.launchResult.put("sgd_epoch", CUresult.CUDA_ERROR_INVALID_VALUE);
        try (GpuBackend b = new GpuBackend(acc)) {
            RatingSet s = b.upload(ratings());
            b.setModel(model());
            assertThatThrownBy(() -> b.sgdEpoch(s, OBJ, 0.01f, 0.01f, 1)).satisfies(t -> assertOneLine(t,
                    "CUDA error: launch of kernel sgd_epoch (grid ", "block 128)", "CUDA_ERROR_INVALID_VALUE"));
        }
    }

    @Test
    void inSyncModeAFaultingKernelIsNamedByItsOwnLaunch() {
        FaultyAccelerator acc = new FaultyAccelerator();
        acc.sync = true;
        acc.syncResult.put("error_partials", CUresult.CUDA_ERROR_ILLEGAL_ADDRESS);
        try (GpuBackend b = new GpuBackend(acc)) {
            RatingSet s = b.upload(ratings());
            b.setModel(model());
            b.sgdEpoch(s, OBJ, 0.01f, 0.01f, 1);
            assertThatThrownBy(() -> b.loss(s, OBJ)).satisfies(t -> assertOneLine(t,
                    "CUDA error: kernel error_partials (grid ", "[LFM_CUDA_SYNC=1]", "CUDA_ERROR_ILLEGAL_ADDRESS"));
        }
    }

    @Test
    void withoutSyncALateFaultNamesTheKernelLaunchedBeforeAndSaysHowToFindIt() {
        FaultyAccelerator acc = new FaultyAccelerator();
        // the fault of sgd_epoch surfaces when the next kernel is launched
        acc.launchResult.put("error_partials", CUresult.CUDA_ERROR_ILLEGAL_ADDRESS);
        try (GpuBackend b = new GpuBackend(acc)) {
            RatingSet s = b.upload(ratings());
            b.setModel(model());
            b.sgdEpoch(s, OBJ, 0.01f, 0.01f, 1);
            assertThatThrownBy(() -> b.loss(s, OBJ)).satisfies(t -> assertOneLine(t,
                    "launch of kernel error_partials", "reported after kernel sgd_epoch (grid ",
                    "rerun with LFM_CUDA_SYNC=1"));
        }
        assertThat(new CudaCallException(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, "cuCtxSetCurrent").getMessage())
                .isEqualTo("CUDA error: cuCtxSetCurrent failed: CUDA_ERROR_ILLEGAL_ADDRESS (a kernel fault reported "
                        + "late; rerun with LFM_CUDA_SYNC=1 to name the kernel)");
        assertThat(new CudaCallException(CUresult.CUDA_ERROR_INVALID_VALUE, "cuMemAlloc", "k (grid 1, block 1)")
                .getMessage()).isEqualTo("CUDA error: cuMemAlloc failed: CUDA_ERROR_INVALID_VALUE");
    }

    /** A command whose kernel faults in sync mode. */
    @CommandLine.Command(name = "boom")
    static final class Boom implements Callable<Integer> {
        @Override
        public Integer call() {
            CudaAccelerator.afterLaunch("sgd_epoch (grid 1320, block 128)", CUresult.CUDA_SUCCESS, true,
                    () -> CUresult.CUDA_ERROR_LAUNCH_FAILED, null);
            return 0;
        }
    }

    @Test
    void theCliShowsACudaErrorAsOneLineWithExit2() {
        CommandLine cl = Main.commandLine();
        cl.addSubcommand("boom", new CommandLine(new Boom()));
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err, true));
        cl.setOut(new PrintWriter(new StringWriter(), true));
        assertThat(cl.execute("boom")).isEqualTo(2);
        assertThat(err.toString().strip()).doesNotContain("\n").startsWith("lfm: CUDA error: kernel sgd_epoch (grid 1320, "
                + "block 128) [LFM_CUDA_SYNC=1] failed: CUDA_ERROR_LAUNCH_FAILED");
    }

    @Test
    void theJitLogJoinsOneLineAndIsBounded() {
        assertThat(CudaAccelerator.jitLogSuffix(null)).isEmpty();
        assertThat(CudaAccelerator.jitLogSuffix("  \n")).isEmpty();
        assertThat(CudaAccelerator.jitLogSuffix("ptxas application ptx input, line 9; error   : Unknown symbol\nptxas "
                + "fatal   : Ptx assembly aborted\n")).isEqualTo("; JIT log: ptxas application ptx input, line 9; error   : "
                        + "Unknown symbol; ptxas fatal   : Ptx assembly aborted");
        assertThat(CudaAccelerator.jitLogSuffix("x".repeat(1000))).hasSize("; JIT log: ".length() + 401);
    }

    @Test
    void syncModeFollowsThePropertyThenTheEnvironment() {
        String before = System.getProperty("lfm.cuda.sync");
        try {
            System.setProperty("lfm.cuda.sync", "true");
            assertThat(CudaAccelerator.syncMode()).isTrue();
            System.setProperty("lfm.cuda.sync", "1");
            assertThat(CudaAccelerator.syncMode()).isTrue();
            System.setProperty("lfm.cuda.sync", "false");
            assertThat(CudaAccelerator.syncMode()).isFalse();
            System.clearProperty("lfm.cuda.sync");
            assertThat(CudaAccelerator.syncMode()).isEqualTo("1".equals(System.getenv("LFM_CUDA_SYNC")));
        } finally {
            if (before == null) {
                System.clearProperty("lfm.cuda.sync");
            } else {
                System.setProperty("lfm.cuda.sync", before);
            }
        }
    }
}
