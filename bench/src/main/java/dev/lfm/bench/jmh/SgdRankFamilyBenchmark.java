package dev.lfm.bench.jmh;

import dev.lfm.compute.Optimizer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * One CPU per-rating epoch at every rank family the CPU kernels distinguish (on AVX-512:
 * 128-bit × 1 (k = 4), 256-bit × 1 and × 2 with an overlapping last vector (8, 10), 512-bit × 1–4
 * (16, 20, 32, 50, 64), the vectorized loop with and without a tail (100, 128, 200, 256)), for
 * plain SGD and AdaGrad, so that a regression at an odd k shows. Updates/s = 0.9 · size / time.
 *
 *     java -jar target/lfm-bench.jar SgdRankFamily -p k=10,50 -p rule=sgd
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx4g"})
public class SgdRankFamilyBenchmark {
    @Param({"4", "8", "10", "16", "20", "32", "50", "64", "100", "128", "200", "256"})
    public int k;

    /** sgd or adagrad. */
    @Param({"sgd", "adagrad"})
    public String rule;

    @Param({"1000000"})
    public long size;

    @Param({"0"})
    public int threads;

    private Fixture f;
    private Optimizer optimizer;
    private long epoch;

    @Setup(Level.Trial)
    public void setUp() {
        optimizer = switch (rule) {
            case "sgd" -> Optimizer.SGD;
            case "adagrad" -> Optimizer.ADAGRAD;
            default -> throw new IllegalArgumentException("rule must be sgd or adagrad, not " + rule);
        };
        f = new Fixture("cpu", k, size, threads, false);
        // epoch 1 builds the block plan
        f.backend.sgdEpoch(f.trainSet, f.objective, optimizer, 0.005f, 0.005f, ++epoch);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        f.close();
    }

    @Benchmark
    public void sgdEpoch(Blackhole bh) {
        f.backend.sgdEpoch(f.trainSet, f.objective, optimizer, 0.005f, 0.005f, ++epoch);
        bh.consume(f.sync());
    }
}
