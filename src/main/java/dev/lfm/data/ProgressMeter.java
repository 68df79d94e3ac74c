package dev.lfm.data;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * One progress line on standard error for a long step (reading a rating file, building the SGD
 * plan): {@code reading ratings.txt: 120.3 of 357.8 MB, 60.1 MB/s, 4 s left}, rewritten in place
 * with {@code \r} at most four times a second, and only once the step has run for
 * {@link #DELAY_NANOS} (2 s): short steps print nothing. {@link #close} erases the line, so what
 * follows (the next output line, or a one-line error) starts on a clean line; nothing is printed
 * after it.
 *
 * <p>Off unless the command line turned it on with {@link #enable} (not {@code -q}, and standard
 * error a terminal): library use and tests print nothing. Any thread may call {@link #add}.
 */
public final class ProgressMeter implements AutoCloseable {
    /** How long a step runs before its line appears. */
    static final long DELAY_NANOS = 2_000_000_000L;
    /** Least time between two rewrites of the line. */
    static final long INTERVAL_NANOS = 250_000_000L;

    private static volatile boolean enabled;

    private final String what;
    private final long total;
    private final boolean bytes;
    private final boolean on;
    private final PrintStream out;
    private final LongSupplier clock;
    private final long t0;
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong nextShow;
    /** Columns the line covers on screen (0: nothing shown), -1 once closed. */
    private int shown;

    ProgressMeter(String what, long total, boolean bytes, boolean on, PrintStream out, LongSupplier clock) {
        this.what = what;
        this.total = total;
        this.bytes = bytes;
        this.on = on;
        this.out = out;
        this.clock = clock;
        this.t0 = on ? clock.getAsLong() : 0;
        this.nextShow = new AtomicLong(t0 + DELAY_NANOS);
    }

    /**
     * Turns progress lines on or off for this process; the command line sets it to "not quiet and
     * standard error is a terminal" before it reads or trains.
     */
    public static void enable(boolean on) {
        enabled = on;
    }

    /** True when {@link #enable} turned progress lines on. */
    public static boolean enabled() {
        return enabled;
    }

    /** A meter of bytes ({@code total} -1 when unknown, a pipe), on standard error when enabled. */
    public static ProgressMeter bytes(String what, long total) {
        return new ProgressMeter(what, total, true, enabled, System.err, System::nanoTime);
    }

    /** A meter of counted items (ratings) out of {@code total}, on standard error when enabled. */
    public static ProgressMeter count(String what, long total) {
        return new ProgressMeter(what, total, false, enabled, System.err, System::nanoTime);
    }

    /** Adds {@code n} to the amount done and rewrites the line when it is due. */
    public void add(long n) {
        long d = done.addAndGet(n);
        if (!on) {
            return;
        }
        long now = clock.getAsLong();
        long due = nextShow.get();
        if (now >= due && nextShow.compareAndSet(due, now + INTERVAL_NANOS)) {
            show(text(what, d, total, bytes, now - t0));
        }
    }

    /** The amount done so far. */
    public long done() {
        return done.get();
    }

    private synchronized void show(String text) {
        if (shown < 0) {
            return;
        }
        StringBuilder sb = new StringBuilder(text.length() + 8).append('\r').append(text);
        for (int j = text.length(); j < shown; j++) {
            sb.append(' ');
        }
        out.print(sb);
        out.flush();
        shown = Math.max(shown, text.length()); // the padding is on screen too
    }

    /** Erases the line if one was shown; later {@link #add} calls print nothing. */
    @Override
    public synchronized void close() {
        if (shown > 0) {
            out.print("\r" + " ".repeat(shown) + "\r");
            out.flush();
        }
        shown = -1;
    }

    /** The line for {@code done} of {@code total} (-1: unknown) after {@code elapsed} nanoseconds. */
    static String text(String what, long done, long total, boolean bytes, long elapsed) {
        double s = Math.max(elapsed, 1) / 1e9;
        double rate = done / s;
        StringBuilder sb = new StringBuilder(what).append(": ");
        if (bytes) {
            sb.append(total > 0 ? String.format(Locale.ROOT, "%.1f of %.1f MB", done / 1e6, total / 1e6)
                    : String.format(Locale.ROOT, "%.1f MB", done / 1e6));
            sb.append(String.format(Locale.ROOT, ", %.1f MB/s", rate / 1e6));
        } else {
            sb.append(String.format(Locale.ROOT, "%,d of %,d", done, total));
            sb.append(String.format(Locale.ROOT, ", %.1fM/s", rate / 1e6));
        }
        if (total > 0 && done > 0 && done < total) {
            sb.append(String.format(Locale.ROOT, ", %d s left", (long) Math.ceil((total - done) / rate)));
        }
        return sb.toString();
    }
}
