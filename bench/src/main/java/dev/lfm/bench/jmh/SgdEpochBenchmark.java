package dev.lfm.bench.jmh;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * One per-rating SGD epoch ({@code Backend.sgdEpoch}) over the training set, P and Q stored as
 * float or (GPU backends, {@code -p storage=half}) fp16. Updates/s = train
 * ratings (0.9 · size) / the reported time. The first epoch (which builds the CPU block plan) runs
 * in setup.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx12g"})
public class SgdEpochBenchmark extends BackendState {
    @Param({"1000000", "20000000"})
    public long size;

    /** float or half: P and Q stored as fp16 during the epoch (GPU backends only). */
    @Param({"float"})
    public String storage;

    @Override
    protected long size() {
        return size;
    }

    @Override
    protected boolean halfFactors() {
        if (!storage.equals("float") && !storage.equals("half")) {
            throw new IllegalArgumentException("storage must be float or half, not " + storage);
        }
        return storage.equals("half");
    }

    private long epoch;

    @Override
    protected void prepare() {
        f.backend.sgdEpoch(f.trainSet, f.objective, 0.005f, 0.005f, 1);
    }

    @Benchmark
    public void sgdEpoch(Blackhole bh) {
        f.backend.sgdEpoch(f.trainSet, f.objective, 0.005f, 0.005f, ++epoch);
        bh.consume(f.sync());
    }
}
