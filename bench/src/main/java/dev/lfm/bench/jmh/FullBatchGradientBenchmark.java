package dev.lfm.bench.jmh;

import dev.lfm.compute.Optimizer;

import dev.lfm.compute.OptimizerStep;
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
 * One full-batch gradient step (plain rule, tiny learning rate so the model barely moves) over
 * the whole training set ({@code Backend.gradientStep(train, 0, n, ...)}): residuals, gradient
 * accumulation (owner-computes on the CPU) and the update of every touched row.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx12g"})
public class FullBatchGradientBenchmark extends BackendState {
    @Param({"1000000", "20000000"})
    public long size;

    @Override
    protected long size() {
        return size;
    }

    private long step;

    @Benchmark
    public void fullBatchStep(Blackhole bh) {
        f.backend.gradientStep(f.trainSet, 0, f.trainSet.size(), f.objective,
                new OptimizerStep(Optimizer.SGD, 1e-5f, 1e-5f, 0f, 0.9f, 0.999f, 1e-8f, ++step));
        bh.consume(f.sync());
    }
}
