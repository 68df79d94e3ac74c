package dev.lfm.bench.jmh;

import dev.lfm.compute.Side;
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
 * One ALS sweep, users then items ({@code Backend.alsSweep}): a (k+1)×(k+1) normal-equation
 * build and Cholesky solve per row. Default size is 1M ratings (a 20M sweep at k = 128 takes
 * minutes on two cores); raise it with {@code -p size=20000000}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx12g"})
public class AlsSweepBenchmark extends BackendState {
    @Param({"1000000"})
    public long size;

    @Override
    protected long size() {
        return size;
    }

    @Benchmark
    public void alsSweep(Blackhole bh) {
        f.backend.alsSweep(f.trainSet, f.objective, Side.USERS);
        f.backend.alsSweep(f.trainSet, f.objective, Side.ITEMS);
        bh.consume(f.sync());
    }
}
