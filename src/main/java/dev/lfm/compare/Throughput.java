package dev.lfm.compare;

import dev.lfm.compute.Optimizer;

import dev.lfm.data.SyntheticRatings;

import dev.lfm.compute.Backend;
import dev.lfm.compute.BackendOptions;
import dev.lfm.compute.Backends;
import dev.lfm.compute.OptimizerStep;
import dev.lfm.compute.RatingSet;
import dev.lfm.data.Ratings;
import dev.lfm.model.FactorModel;
import dev.lfm.objective.Objective;
import dev.lfm.objective.Regularization;
import java.util.Locale;

/**
 * A plain timing harness for one backend's training steps on a {@link SyntheticRatings#uniform uniform synthetic problem}, outside
 * JMH (for the large problems a JMH fork would regenerate per trial). Arguments as key=value:
 * backend, users, items, ratings, k, threads, epochs, mode (sgd|minibatch|fullbatch), batch, seed.
 * Prints seconds and updates/s per epoch; generation and upload are excluded from the timing.
 *
 * <pre>java --add-modules jdk.incubator.vector -cp target/lfm.jar dev.lfm.compare.Throughput \
 *     users=200000 items=20000 ratings=20000000 k=64 threads=2 epochs=5</pre>
 */
public final class Throughput {
    private Throughput() {
    }

    /** CPU time of this process (all threads), a contention-robust companion to wall-clock time. */
    static long processCpuNanos() {
        var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0L;
    }

    public static void main(String[] args) {
        java.util.Map<String, String> a = new java.util.HashMap<>();
        for (String s : args) {
            int eq = s.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("expected key=value, got " + s);
            }
            a.put(s.substring(0, eq), s.substring(eq + 1));
        }
        String backendName = a.getOrDefault("backend", "cpu");
        int users = Integer.parseInt(a.getOrDefault("users", "200000"));
        int items = Integer.parseInt(a.getOrDefault("items", "20000"));
        int ratings = Integer.parseInt(a.getOrDefault("ratings", "20000000"));
        int k = Integer.parseInt(a.getOrDefault("k", "64"));
        int threads = Integer.parseInt(a.getOrDefault("threads", "0"));
        int epochs = Integer.parseInt(a.getOrDefault("epochs", "5"));
        String mode = a.getOrDefault("mode", "sgd");
        int batch = Integer.parseInt(a.getOrDefault("batch", "10000"));
        long seed = Long.parseLong(a.getOrDefault("seed", "42"));

        long t0 = System.nanoTime();
        Ratings r = SyntheticRatings.uniform(users, items, ratings, 8, 0.25, seed);
        System.out.printf(Locale.ROOT, "generated %s in %.1f s%n", r, (System.nanoTime() - t0) / 1e9);
        FactorModel m = new FactorModel(users, items, k, true);
        m.mu = (float) r.mean();
        m.minRating = 1;
        m.maxRating = 5;
        m.initialize(seed, 0.1, r.userCounts(), r.itemCounts());
        Objective obj = new Objective(0.05, 0.01, Regularization.WEIGHTED, true);
        try (Backend b = Backends.open(backendName, new BackendOptions(threads, -1), System.out::println)) {
            t0 = System.nanoTime();
            RatingSet set = b.upload(r);
            b.setModel(m);
            System.out.printf(Locale.ROOT, "backend %s (%s), upload %.1f s%n", b.name(), b.device(),
                    (System.nanoTime() - t0) / 1e9);
            for (int e = 1; e <= epochs; e++) {
                long s = System.nanoTime();
                long cpu0 = processCpuNanos();
                switch (mode) {
                    case "sgd" -> b.sgdEpoch(set, obj, 0.005f, 0.005f, seed + e);
                    case "fullbatch" -> b.gradientStep(set, 0, r.size(), obj,
                            new OptimizerStep(Optimizer.SGD, 1e-4f, 1e-4f, 0, 0, 0, 0, e));
                    case "minibatch" -> {
                        b.shuffle(set, seed + e);
                        for (int from = 0; from < r.size(); from += batch) {
                            b.gradientStep(set, from, Math.min(r.size(), from + batch), obj,
                                    new OptimizerStep(Optimizer.SGD, 0.01f, 0.01f, 0, 0, 0, 0, e));
                        }
                    }
                    default -> throw new IllegalArgumentException("mode sgd|minibatch|fullbatch");
                }
                double sec = (System.nanoTime() - s) / 1e9;
                double cpuSec = (processCpuNanos() - cpu0) / 1e9;
                System.out.printf(Locale.ROOT, "epoch %d: %.3f s, %.1f M updates/s, %.3f CPU s (%.1f M updates per CPU s)%n",
                        e, sec, r.size() / sec / 1e6, cpuSec, r.size() / cpuSec / 1e6);
            }
            System.out.printf(Locale.ROOT, "train RMSE %.4f%n", b.loss(set, obj).rmse());
        }
        Runtime rt = Runtime.getRuntime();
        System.out.printf(Locale.ROOT, "heap used %.2f GiB, committed %.2f GiB%n",
                (rt.totalMemory() - rt.freeMemory()) / (double) (1L << 30), rt.totalMemory() / (double) (1L << 30));
    }
}
