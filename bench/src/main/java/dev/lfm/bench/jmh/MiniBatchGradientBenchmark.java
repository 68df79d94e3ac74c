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
 * One mini-batch gradient step of {@code batch} consecutive ratings of a shuffled order, Adam
 * (the costliest rule: first and second moments of every touched row); successive calls walk
 * through the order. Cost per step is O(batch·k) by contract, whatever the problem size.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx12g"})
public class MiniBatchGradientBenchmark extends BackendState {
    @Param({"1000000", "20000000"})
    public long size;

    @Override
    protected long size() {
        return size;
    }

    @Param({"1000", "100000"})
    public int batch;

    private int from;
    private long step;

    @Override
    protected void prepare() {
        f.backend.shuffle(f.trainSet, 7);
    }

    @Benchmark
    public void miniBatchStep(Blackhole bh) {
        int n = f.trainSet.size();
        if (from + batch > n) {
            from = 0;
        }
        f.backend.gradientStep(f.trainSet, from, from + batch, f.objective,
                new OptimizerStep(Optimizer.ADAM, 1e-3f, 1e-3f, 0f, 0.9f, 0.999f, 1e-8f, ++step));
        from += batch;
        bh.consume(f.sync());
    }
}
