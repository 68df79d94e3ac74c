package dev.lfm.bench.jmh;

import dev.lfm.compute.Optimizer;

import dev.lfm.compute.OptimizerStep;
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
 * One whole training epoch as the Trainer runs it: the algorithm's steps, then the objective on
 * train and RMSE on test (both scalars). Compare with the per-kernel benchmarks to see what the
 * epoch loop adds.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx12g"})
public class EpochBenchmark extends BackendState {
    @Param({"1000000"})
    public long size;

    @Override
    protected long size() {
        return size;
    }

    /** sgd, minibatch (batch 10,000, Adam), fullbatch (plain) or als. */
    @Param({"sgd", "minibatch", "fullbatch", "als"})
    public String algorithm;

    private long epoch;

    @Override
    protected void prepare() {
        f.backend.sgdEpoch(f.trainSet, f.objective, 0.005f, 0.005f, 0);
    }

    @Benchmark
    public void epoch(Blackhole bh) {
        int n = f.trainSet.size();
        long e = ++epoch;
        switch (algorithm) {
            case "sgd" -> f.backend.sgdEpoch(f.trainSet, f.objective, 0.005f, 0.005f, e);
            case "minibatch" -> {
                f.backend.shuffle(f.trainSet, e);
                for (int from = 0; from < n; from += 10_000) {
                    f.backend.gradientStep(f.trainSet, from, Math.min(n, from + 10_000), f.objective,
                            new OptimizerStep(Optimizer.ADAM, 1e-3f, 1e-3f, 0f, 0.9f, 0.999f, 1e-8f, e));
                }
            }
            case "fullbatch" -> f.backend.gradientStep(f.trainSet, 0, n, f.objective,
                    new OptimizerStep(Optimizer.SGD, 1e-5f, 1e-5f, 0f, 0.9f, 0.999f, 1e-8f, e));
            case "als" -> {
                f.backend.alsSweep(f.trainSet, f.objective, Side.USERS);
                f.backend.alsSweep(f.trainSet, f.objective, Side.ITEMS);
            }
            default -> throw new IllegalArgumentException("algorithm sgd|minibatch|fullbatch|als: " + algorithm);
        }
        bh.consume(f.backend.loss(f.trainSet, f.objective).value());
        bh.consume(f.backend.evaluate(f.testSet).rmse());
    }
}
