package dev.lfm.spark;

import dev.lfm.compute.Backend;
import dev.lfm.compute.BackendOptions;
import dev.lfm.compute.Backends;
import dev.lfm.compute.RatingSet;
import dev.lfm.data.Ratings;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The backends DSGD's tasks run their blocks on, opened through {@link Backends} (the provider
 * path every lfm command uses).
 *
 * <p>{@code cpu}: a fresh one-thread CPU backend per task (opening it is cheap; its rating sets
 * are host arrays, so caching them would double the executor's heap). {@code opencl} and
 * {@code cuda}: opening a device (context, kernel build) costs far more than a block's epoch, and
 * a backend's rating sets stay resident until it closes, so each executor JVM keeps a pool of open
 * device backends: a task borrows one (opening one only when all are busy: one per concurrent task),
 * finds the cells it was given before already uploaded, and returns it. A backend is bound to one
 * training run: borrowed for another, it is closed and a new one opened, which frees the old run's
 * sets. {@link #close(long)} closes a run's idle backends (the driver calls it when the run ends:
 * in local mode the executors are this JVM); a shutdown hook closes what is left on executors.
 */
final class TaskBackends {
    private static final Map<String, Deque<Pooled>> IDLE = new HashMap<>();
    private static boolean hooked;
    private static final java.util.concurrent.atomic.AtomicInteger OPENED = new java.util.concurrent.atomic.AtomicInteger();

    private TaskBackends() {
    }

    /** An open backend, the run it serves and the cells uploaded to it (by key). */
    private static final class Pooled {
        final Backend backend;
        final long run;
        final Map<Long, RatingSet> sets = new HashMap<>();

        Pooled(Backend backend, long run) {
            this.backend = backend;
            this.run = run;
        }
    }

    /** A backend for one task; {@link #close} returns or closes it. */
    static final class Lease implements AutoCloseable {
        private final String name;
        private final Pooled pooled;

        private Lease(String name, Pooled pooled) {
            this.name = name;
            this.pooled = pooled;
        }

        Backend backend() {
            return pooled.backend;
        }

        /** The rating set of cell {@code key}: uploaded now, or (device backends) the one uploaded before. */
        RatingSet upload(long key, Supplier<Ratings> ratings) {
            if (isCpu(name)) {
                return pooled.backend.upload(ratings.get());
            }
            return pooled.sets.computeIfAbsent(key, k -> pooled.backend.upload(ratings.get()));
        }

        @Override
        public void close() {
            if (isCpu(name)) {
                pooled.backend.close();
                return;
            }
            synchronized (IDLE) {
                IDLE.computeIfAbsent(name, n -> new ArrayDeque<>()).push(pooled);
            }
        }
    }

    private static boolean isCpu(String name) {
        return "cpu".equals(name);
    }

    /** A backend named {@code name} ("cpu", "opencl", "cuda") for a task of run {@code run}. */
    static Lease lease(String name, long run) {
        if (isCpu(name)) {
            return new Lease(name, new Pooled(Backends.open(name, new BackendOptions(1, -1), null), run));
        }
        List<Pooled> stale = new ArrayList<>();
        Pooled found = null;
        synchronized (IDLE) {
            Deque<Pooled> idle = IDLE.computeIfAbsent(name, n -> new ArrayDeque<>());
            while (found == null && !idle.isEmpty()) {
                Pooled p = idle.pop();
                if (p.run == run) {
                    found = p;
                } else {
                    stale.add(p);
                }
            }
            if (!hooked) {
                hooked = true;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> close(Long.MIN_VALUE), "lfm-task-backends"));
            }
        }
        stale.forEach(p -> p.backend.close());
        if (found == null) {
            found = new Pooled(Backends.open(name, new BackendOptions(1, -1), null), run);
            OPENED.incrementAndGet();
        }
        return new Lease(name, found);
    }

    /** How many device backends this JVM has opened (for tests: one per concurrent task, not one per task). */
    static int opened() {
        return OPENED.get();
    }

    /** Closes the idle backends of run {@code run} in this JVM (all of them for {@code Long.MIN_VALUE}); returns how many. */
    static int close(long run) {
        List<Pooled> closing = new ArrayList<>();
        synchronized (IDLE) {
            for (Deque<Pooled> idle : IDLE.values()) {
                idle.removeIf(p -> {
                    boolean match = run == Long.MIN_VALUE || p.run == run;
                    if (match) {
                        closing.add(p);
                    }
                    return match;
                });
            }
        }
        closing.forEach(p -> p.backend.close());
        return closing.size();
    }
}
