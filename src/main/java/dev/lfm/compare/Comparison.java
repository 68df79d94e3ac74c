package dev.lfm.compare;

import dev.lfm.train.EpochRecord;
import dev.lfm.train.TrainingResult;
import java.util.ArrayList;
import java.util.List;

/**
 * The arithmetic of a backend comparison ({@code lfm compare}): timing over the epochs after
 * the warm-up, throughput, the effective memory bandwidth of the SGD traffic model, and the
 * speedup and RMSE difference against the CPU backend of the same run.
 *
 * <p>Traffic model (DESIGN.md, "Performance model"): one rating update reads and writes p_u and
 * q_i, 4·k elements of {@link #BYTES_PER_ELEMENT} bytes, plus one {@link #RATING_RECORD_BYTES}-byte
 * rating record (user, item, value): bytes/update = 4·k·4 + 12 for float32 factors, 4·k·2 + 12
 * for a GPU backend storing them as fp16 ({@link #HALF_BYTES_PER_ELEMENT}). Effective
 * GB/s = updates/s × bytes/update / 10⁹. It is a normalized figure for comparing backends, not
 * a measured one: a backend that keeps p_u in registers across a user's ratings (the CPU one
 * does) moves less.
 */
public final class Comparison {
    /** Bytes of one factor element (float32 on every backend). */
    public static final int BYTES_PER_ELEMENT = 4;
    /** Bytes of one factor element stored as fp16 (GPU backends' half-precision option). */
    public static final int HALF_BYTES_PER_ELEMENT = 2;
    /** Bytes of one rating record: int user, int item, float value. */
    public static final int RATING_RECORD_BYTES = 12;

    private Comparison() {
    }

    /** Bytes one SGD update moves under the traffic model: 4·k·bytesPerElement + 12. */
    public static long bytesPerUpdate(int k, int bytesPerElement) {
        return 4L * k * bytesPerElement + RATING_RECORD_BYTES;
    }

    /** Effective GB/s (10⁹ bytes) of {@code updatesPerSecond} updates at rank k, float32. */
    public static double effectiveGbPerSecond(double updatesPerSecond, int k) {
        return effectiveGbPerSecond(updatesPerSecond, k, BYTES_PER_ELEMENT);
    }

    /** Effective GB/s of {@code updatesPerSecond} updates at rank k, factor elements of the given size. */
    public static double effectiveGbPerSecond(double updatesPerSecond, int k, int bytesPerElement) {
        return updatesPerSecond * bytesPerUpdate(k, bytesPerElement) / 1e9;
    }

    /**
     * One backend's measured row.
     *
     * @param timedEpochs epochs counted in the timing (after the warm-up)
     * @param secondsPerEpoch median training seconds of the timed epochs (evaluation excluded)
     * @param updatesPerSecond rating updates per second at that epoch time
     * @param gbPerSecond effective GB/s under the traffic model
     * @param speedup CPU seconds per epoch / this backend's (NaN when the CPU was not run)
     * @param testRmse final test RMSE (NaN without a test set)
     * @param rmseDiff testRmse − the CPU's (NaN when the CPU was not run)
     * @param halfFactors whether P and Q were stored as fp16 during SGD epochs
     */
    public record Row(String backend, String device, int threads, int timedEpochs, double secondsPerEpoch,
                      double updatesPerSecond, double gbPerSecond, double speedup, double testRmse,
                      double rmseDiff, boolean halfFactors, int warmupRunEpochs) {
        /** "fp16" or "fp32": the factor storage. */
        public String factors() {
            return halfFactors ? "fp16" : "fp32";
        }
    }

    /**
     * A backend's raw outcome before it is compared; {@code halfFactors}: P, Q stored as fp16;
     * {@code warmupRunEpochs}: epochs of the untimed warm-up runs trained before {@code result}'s run
     * (0: none, see {@link Warmup}).
     */
    public record Measured(String backend, String device, int threads, TrainingResult result, boolean halfFactors,
                           int warmupRunEpochs) {
        /** Without a warm-up run. */
        public Measured(String backend, String device, int threads, TrainingResult result, boolean halfFactors) {
            this(backend, device, threads, result, halfFactors, 0);
        }

        /** A run with float factors, without a warm-up run. */
        public Measured(String backend, String device, int threads, TrainingResult result) {
            this(backend, device, threads, result, false, 0);
        }
    }

    /**
     * When an untimed warm-up (the same training, repeated) has settled: JIT compilation (the CPU backend's Vector API
     * kernels run tens of times slower until C2 compiles them), kernel builds and first-touch
     * allocation all happen in the first epochs, and on a small problem they outlast any timed run a
     * user would ask for (17k ratings: epochs fall from 128 ms to 0.3 ms over about 25 epochs, and
     * stay 40% slower while a compiler thread shares the 2 cores). The warm-up trains the same
     * problem, discarded, until {@link #settled} says its epochs no longer get faster; then the timed
     * run starts on warm code.
     */
    public static final class Warmup {
        /** Wall seconds a warm-up takes at least (time for the JIT, however short the epochs). */
        public static final double MIN_SECONDS = 2.0;
        /** Wall seconds after which a warm-up ends settled or not (a huge problem: its JIT work is done). */
        public static final double MAX_SECONDS = 30.0;
        /** Epochs after which a warm-up ends settled or not (a backstop: {@link #MAX_SECONDS} comes first). */
        public static final int MAX_EPOCHS = 100_000;
        /** Epochs in each of the two windows compared (fewer while the run is short). */
        public static final int WINDOW = 5;
        /** The recent window's median epoch time must be at least this fraction of the window's before. */
        public static final double RATIO = 0.8;

        private Warmup() {
        }

        /**
         * Whether a warm-up with these epoch training times, {@code wallSeconds} in all so far
         * (evaluation included), may end: after {@link #MAX_EPOCHS} or {@link #MAX_SECONDS}; never before
         * two epochs and {@link #MIN_SECONDS}; otherwise when the median of the last m epochs is at least
         * {@link #RATIO} of the median of the m before them, m = min({@link #WINDOW}, epochs / 2): the
         * epochs have stopped getting faster.
         */
        public static boolean settled(List<Double> epochSeconds, double wallSeconds) {
            int n = epochSeconds.size();
            if (n >= MAX_EPOCHS || (n >= 1 && wallSeconds >= MAX_SECONDS)) {
                return true;
            }
            if (n < 2 || wallSeconds < MIN_SECONDS) {
                return false;
            }
            int m = Math.min(WINDOW, n / 2);
            return median(epochSeconds.subList(n - m, n)) >= RATIO * median(epochSeconds.subList(n - 2 * m, n - m));
        }
    }

    private static double median(List<Double> xs) {
        double[] v = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /**
     * Median seconds per epoch over the epochs after the first {@code warmup}: the steady-state epoch
     * time, which one garbage collection or scheduler hiccup landing in a short epoch does not move
     * (17k ratings: a 4 ms pause among 0.3 ms epochs would double a ten-epoch mean).
     */
    public static double secondsPerEpoch(List<EpochRecord> history, int warmup) {
        if (warmup >= history.size()) {
            throw new IllegalArgumentException("no epochs after " + warmup + " warm-up epoch(s)");
        }
        return median(history.subList(warmup, history.size()).stream().map(EpochRecord::seconds).toList());
    }

    /** {@code warmup} value of {@link #rows} meaning "per backend, until epoch times settle" ({@link #settledWarmup}). */
    public static final int WARMUP_AUTO = -1;

    /**
     * Leading epochs to exclude so that the rest run at steady state: the fewest w ≥ 1 such that
     * every epoch from w on takes at most 1.5 × the median of the second half of the run (JIT
     * compilation, plan building and caches settle in the first epochs), never more than half the
     * epochs (so later noise cannot exclude everything). 0 for a one-epoch run.
     */
    public static int settledWarmup(List<EpochRecord> history) {
        int n = history.size();
        if (n <= 1) {
            return 0;
        }
        double median = median(history.subList(n / 2, n).stream().map(EpochRecord::seconds).toList());
        int w = n / 2;
        while (w > 1 && history.get(w - 1).seconds() <= 1.5 * median) {
            w--;
        }
        return w;
    }

    private static int warmupOf(Measured m, int warmup) {
        return warmup == WARMUP_AUTO ? settledWarmup(m.result().history()) : warmup;
    }

    /**
     * The rows for backends trained identically (rank {@code k}, {@code warmup} epochs untimed, or
     * {@link #WARMUP_AUTO}: each backend's own {@link #settledWarmup}, see {@link Row#timedEpochs});
     * the row named "cpu", if any, is the reference for speedup and RMSE difference.
     */
    public static List<Row> rows(List<Measured> measured, int k, int warmup) {
        Measured cpu = measured.stream().filter(m -> "cpu".equals(m.backend()) && !m.halfFactors()).findFirst()
                .orElse(null);
        double cpuSeconds = cpu == null ? Double.NaN : secondsPerEpoch(cpu.result().history(), warmupOf(cpu, warmup));
        double cpuRmse = cpu == null ? Double.NaN : cpu.result().last().testRmse();
        List<Row> rows = new ArrayList<>();
        for (Measured m : measured) {
            TrainingResult r = m.result();
            int epochs = r.epochsRun();
            double updatesPerEpoch = (double) r.updates() / epochs;
            int w = warmupOf(m, warmup);
            double spe = secondsPerEpoch(r.history(), w);
            double ups = updatesPerEpoch / spe;
            double rmse = r.last().testRmse();
            int bytes = m.halfFactors() ? HALF_BYTES_PER_ELEMENT : BYTES_PER_ELEMENT;
            rows.add(new Row(m.backend(), m.device(), m.threads(), epochs - w, spe, ups,
                    effectiveGbPerSecond(ups, k, bytes), cpuSeconds / spe, rmse, rmse - cpuRmse, m.halfFactors(),
                    m.warmupRunEpochs()));
        }
        return rows;
    }
}
