package dev.lfm.report;

import java.util.Locale;
import java.util.function.Consumer;

/**
 * Progress lines for long experiments: {@code [3/10] message (12.3 s)}, counted steps with the
 * time since {@link #start}. Notes (skips, warnings) go through the same sink without a counter.
 */
public final class Progress {
    private final Consumer<String> sink;
    private long t0 = System.nanoTime();
    private int step;
    private int steps;

    public Progress(Consumer<String> sink) {
        this.sink = sink == null ? s -> { } : sink;
    }

    /** A progress reporter that prints nothing. */
    public static Progress silent() {
        return new Progress(null);
    }

    /** Starts a task of {@code steps} counted steps (0 = unknown). */
    public void start(String task, int steps) {
        this.steps = steps;
        this.step = 0;
        this.t0 = System.nanoTime();
        sink.accept(task + (steps > 0 ? " (" + steps + " steps)" : ""));
    }

    /** Announces {@code more} steps beyond those given to {@link #start} (an adaptive search). */
    public void extend(int more) {
        if (steps > 0) {
            steps += more;
        }
    }

    /** Reports the next counted step. */
    public void step(String message) {
        step++;
        String counter = steps > 0 ? "[" + step + "/" + steps + "] " : "[" + step + "] ";
        sink.accept(String.format(Locale.ROOT, "%s%s (%.1f s)", counter, message, seconds()));
    }

    /** An uncounted line (a detail inside a step, a skip, a warning). */
    public void note(String message) {
        sink.accept("  " + message);
    }

    /** Seconds since {@link #start}. */
    public double seconds() {
        return (System.nanoTime() - t0) / 1e9;
    }
}
