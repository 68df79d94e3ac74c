package dev.lfm.bench.jmh;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The trial state every benchmark shares: which backend, the rank, the CPU threads, and a
 * {@link Fixture} (problem generated, uploaded and initialized once per trial, outside the
 * measured method). Subclasses declare their own {@code size} parameter (the problem sizes that
 * make sense for them) and may prepare more in {@link #prepare()}.
 */
@State(Scope.Benchmark)
public abstract class BackendState {
    @Param({"cpu", "opencl", "cuda"})
    public String backend;

    @Param({"16", "32", "64", "128"})
    public int k;

    @Param({"0"})
    public int threads;

    protected Fixture f;

    /** Number of ratings of the generated problem. */
    protected abstract long size();

    /** Whether the backend stores P and Q as fp16 during SGD epochs (GPU backends; default float). */
    protected boolean halfFactors() {
        return false;
    }

    /** Extra per-trial setup after the fixture exists (not measured). */
    protected void prepare() {
    }

    @Setup(Level.Trial)
    public void openFixture() {
        f = new Fixture(backend, k, size(), threads, halfFactors());
        prepare();
    }

    @TearDown(Level.Trial)
    public void closeFixture() {
        f.close();
    }
}
