package dev.lfm.compute.cpu;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed set of worker threads running static partitions of index ranges, the caller taking
 * part 0. A phase is handed to the workers through one volatile slot each, and both sides spin
 * for up to {@link #SPIN_NANOS} before they park, while phases are short: SGD runs one phase per
 * diagonal of its block grid, and on a small problem a phase lasts tens of microseconds, less than
 * a thread pool's park/unpark round trip (17k ratings, k 64, 2 threads: an epoch took 0.43-0.48 ms
 * through an executor, 0.30 ms so). After a phase of {@link #LONG_PHASE_NANOS} or more they park at
 * once.
 *
 * <p>One phase at a time: a call made while another is running (from a worker, or from a second
 * caller thread) runs its parts one after the other on the calling thread, which every caller's
 * partitioned work allows.
 */
final class Parallel implements AutoCloseable {
    /** Work for one thread: its index and the [from, to) range it owns. */
    interface RangeTask {
        void run(int thread, int from, int to);
    }

    /** Work for one thread that reduces to a partial result. */
    interface ThreadTask {
        void run(int thread);
    }

    /** How long a waiting side spins before it parks (a phase handed over within it costs no wake-up). */
    static final long SPIN_NANOS = 200_000L;

    /** Of {@link #SPIN_NANOS}, how long a waiting side busy-spins before it turns to yielding. */
    static final long BUSY_NANOS = 20_000L;

    /**
     * A phase at least this long makes the waiting sides park at once (no spinning) until a short one
     * comes: against phases of milliseconds a wake-up costs nothing measurable, while a side spinning
     * through the other's last blocks takes from it whatever the two share (a hyperthread's core:
     * 1.5-2.5% off SGD epochs of 20M ratings).
     */
    static final long LONG_PHASE_NANOS = 1_000_000L;

    /** How long waiting sides spin now: {@link #SPIN_NANOS}, or 0 after a long phase. */
    private volatile long spinNanos = SPIN_NANOS;

    /**
     * One wait step for a side that began waiting at {@code start}: false once {@link #spinNanos}
     * have passed (time to park). Busy-spins at first, then yields, so that a waiter that shares a
     * core with the thread it waits for (more runnable threads than cores: JIT compiler threads,
     * other processes) gives it the core instead of spinning out its time slice.
     */
    private boolean spin(long start) {
        long budget = spinNanos;
        long waited = System.nanoTime() - start;
        if (waited < Math.min(BUSY_NANOS, budget)) {
            Thread.onSpinWait();
            return true;
        }
        if (waited < budget) {
            Thread.yield();
            return true;
        }
        return false;
    }

    private final int threads;
    private final Worker[] workers;
    /** Held by the caller of the phase under way (not reentrant: a part's own call runs inline). */
    private final AtomicBoolean busy = new AtomicBoolean();
    private volatile boolean closed;

    Parallel(int threads) {
        this.threads = threads;
        this.workers = new Worker[Math.max(0, threads - 1)];
        for (int w = 0; w < workers.length; w++) {
            workers[w] = new Worker(w + 1);
            Thread t = new Thread(workers[w], "lfm-cpu-" + w);
            t.setDaemon(true);
            workers[w].thread = t;
            t.start();
        }
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
        if (p == 1 || workers.length == 0) {
            task.run(0, 0, (int) n);
            return;
        }
        final int pp = p;
        forThreads(pp, t -> task.run(t, (int) (n * t / pp), (int) (n * (t + 1) / pp)));
    }

    /**
     * Runs {@code task(t)} for t in [0, parts) concurrently and waits: part t on participant
     * t mod {@link #threads()} (the caller is participant 0). The first exception of a part is
     * thrown once every part has ended (an {@link Error} before a runtime exception).
     */
    void forThreads(int parts, ThreadTask task) {
        if (parts == 1 || workers.length == 0 || closed || !busy.compareAndSet(false, true)) {
            for (int t = 0; t < parts; t++) {
                task.run(t);
            }
            return;
        }
        try {
            long began = System.nanoTime();
            int used = Math.min(parts, threads);
            for (int w = 1; w < used; w++) {
                workers[w - 1].post(task, parts, used);
            }
            Throwable first = null;
            try {
                for (int t = 0; t < parts; t += used) {
                    task.run(t);
                }
            } catch (Throwable e) { // any throwable: the workers must be awaited before busy is let go
                first = e;
            }
            for (int w = 1; w < used; w++) {
                Throwable e = workers[w - 1].await();
                if (e != null && (first == null || (e instanceof Error && !(first instanceof Error)))) {
                    if (first != null && first != e) {
                        e.addSuppressed(first);
                    }
                    first = e;
                } else if (e != null && e != first) {
                    first.addSuppressed(e);
                }
            }
            spinNanos = System.nanoTime() - began < LONG_PHASE_NANOS ? SPIN_NANOS : 0L;
            if (first instanceof Error err) {
                throw err;
            }
            if (first != null) {
                throw first instanceof RuntimeException re ? re : new IllegalStateException(first);
            }
        } finally {
            busy.set(false);
        }
    }

    /** How long waiting sides spin before parking, after the last phase. */
    long spinNanos() {
        return spinNanos;
    }

    /** Worker threads still alive (0 some time after {@link #close}). */
    int liveWorkers() {
        int n = 0;
        for (Worker w : workers) {
            n += w.thread.isAlive() ? 1 : 0;
        }
        return n;
    }

    /**
     * Ends the workers once any phase under way has ended (it takes {@code busy} for good, so later
     * calls run inline); idempotent. Not to be called from a part of a phase (it would wait for
     * itself).
     */
    @Override
    public void close() {
        // a second close() at once leaves the loop when the first has closed
        while (!closed && !busy.compareAndSet(false, true)) {
            Thread.onSpinWait();
            Thread.yield();
        }
        closed = true;
        for (Worker w : workers) {
            LockSupport.unpark(w.thread);
        }
    }

    /**
     * One worker and its slot. {@code posted} and {@code done} count phases; a side about to park
     * first says so in a volatile flag and looks at the counter once more, and the other side
     * unparks it after it moves the counter when the flag is up, so no hand-over is missed.
     */
    private final class Worker implements Runnable {
        private final int index;
        Thread thread;
        private ThreadTask task;
        private int parts;
        private int stride;
        private Throwable error;
        private volatile int posted;
        private volatile int done;
        private volatile boolean workerParked;
        private volatile Thread waiter;

        Worker(int index) {
            this.index = index;
        }

        /** Hands this worker its parts of a phase (called by the phase's caller). */
        void post(ThreadTask t, int parts, int stride) {
            this.task = t;
            this.parts = parts;
            this.stride = stride;
            this.error = null;
            posted = posted + 1;
            if (workerParked) {
                LockSupport.unpark(thread);
            }
        }

        /** Waits until this worker has run its parts of the phase; its exception, if any. */
        Throwable await() {
            int want = posted;
            long start = System.nanoTime();
            while (done != want) {
                if (spin(start)) {
                    continue;
                }
                waiter = Thread.currentThread();
                if (done != want) {
                    if (!thread.isAlive()) {
                        throw new IllegalStateException(thread.getName() + " ended inside a phase");
                    }
                    // bounded, so that a worker that died (it cannot in runParts, which catches everything)
                    // is noticed rather than waited for
                    LockSupport.parkNanos(this, 10_000_000L);
                }
                waiter = null;
            }
            Throwable e = error;
            task = null;
            return e;
        }

        @Override
        public void run() {
            int seen = 0;
            while (awaitPost(seen)) {
                seen = posted;
                runParts();
                done = seen;
                Thread w = waiter;
                if (w != null) {
                    LockSupport.unpark(w);
                }
            }
        }

        /**
         * Waits for the phase after {@code seen}; false once closed. Its own method, as is
         * {@link #runParts}: the spinning loop is what C2 compiles on stack here, and inlined into
         * it the parts' code would be compiled with the type profile of whatever ran first (and thrown
         * away, back to the interpreter, when another caller's task came).
         */
        private boolean awaitPost(int seen) {
            long start = System.nanoTime();
            while (posted == seen) {
                if (closed) {
                    return false;
                }
                if (spin(start)) {
                    continue;
                }
                workerParked = true;
                if (posted == seen && !closed) {
                    LockSupport.park(this);
                }
                workerParked = false;
            }
            return true;
        }

        private void runParts() {
            try {
                for (int t = index; t < parts; t += stride) {
                    task.run(t);
                }
            } catch (Throwable e) {
                error = e;
            }
        }
    }
}
