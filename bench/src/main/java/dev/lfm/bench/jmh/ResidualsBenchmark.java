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
 * Residuals e = r − r̂ for every training rating ({@code Backend.residuals}, downloaded as a
 * float array: includes the device → host copy on GPU backends).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx12g"})
public class ResidualsBenchmark extends BackendState {
    @Param({"1000000", "20000000"})
    public long size;

    @Override
    protected long size() {
        return size;
    }

    @Benchmark
    public void residuals(Blackhole bh) {
        bh.consume(f.backend.residuals(f.trainSet));
    }
}
