package dev.lfm.compute.cpu;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/** A fixed pool of worker threads running static partitions of index ranges. */
final class Parallel implements AutoCloseable {
    /** Work for one thread: its index and the [from, to) range it owns. */
    interface RangeTask {
        void run(int thread, int from, int to);
    }

    /** Work for one thread that reduces to a partial result. */
    interface ThreadTask {
        void run(int thread);
    }

    private final int threads;
    private final ExecutorService pool;

    Parallel(int threads) {
        this.threads = threads;
        AtomicInteger id = new AtomicInteger();
        this.pool = threads == 1 ? null : Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "lfm-cpu-" + id.getAndIncrement());
            t.setDaemon(true);
            return t;
        });
    }

    int threads() {
        return threads;
    }

    /** Splits [0, n) into {@link #threads()} contiguous ranges and runs them (the caller waits). */
    void forRange(long n, RangeTask task) {
        forRange(n, threads, task);
    }

    /** As {@link #forRange(long, RangeTask)} but with at most {@code parts} parts. */
    void forRange(long n, int parts, RangeTask task) {
        int p = (int) Math.max(1, Math.min(parts, n));
        if (p == 1 || pool == null) {
            task.run(0, 0, (int) n);
            return;
        }
        final int pp = p;
        forThreads(pp, t -> task.run(t, (int) (n * t / pp), (int) (n * (t + 1) / pp)));
    }

    /** Runs {@code task(t)} for t in [0, parts) concurrently and waits. */
    void forThreads(int parts, ThreadTask task) {
        if (parts == 1 || pool == null) {
            for (int t = 0; t < parts; t++) {
                task.run(t);
            }
            return;
        }
        List<Future<?>> fs = new ArrayList<>(parts);
        for (int t = 1; t < parts; t++) {
            final int tt = t;
            fs.add(pool.submit(() -> task.run(tt)));
        }
        RuntimeException first = null;
        try {
            task.run(0);
        } catch (RuntimeException e) {
            first = e;
        }
        for (Future<?> f : fs) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof Error err) {
                    throw err;
                }
                if (first == null) {
                    first = e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
