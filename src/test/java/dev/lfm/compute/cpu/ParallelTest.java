package dev.lfm.compute.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The worker hand-over: every part runs once per phase, on the caller and the workers, errors come back, nesting is safe. */
@Timeout(120) // a lost wake-up hangs: fail instead
class ParallelTest {

    @Test
    void everyPartRunsExactlyOncePerPhaseOverManyPhases() {
        try (Parallel par = new Parallel(3)) {
            for (int parts : new int[] {1, 2, 3, 5, 8}) {
                AtomicIntegerArray ran = new AtomicIntegerArray(parts);
                for (int phase = 0; phase < 2000; phase++) {
                    par.forThreads(parts, ran::incrementAndGet);
                }
                for (int t = 0; t < parts; t++) {
                    assertThat(ran.get(t)).as("part %d of %d", t, parts).isEqualTo(2000);
                }
            }
        }
    }

    @Test
    void phasesAreOrderedAndTheirWritesVisibleToTheCaller() {
        try (Parallel par = new Parallel(2)) {
            long[][] cell = new long[2][2];
            for (int phase = 1; phase <= 5000; phase++) {
                final long[] prev = cell[(phase + 1) % 2];
                final long[] next = cell[phase % 2];
                // each part reads what the other wrote in the previous phase (plain arrays, no atomics)
                par.forThreads(2, t -> next[t] = prev[1 - t] + 1);
                assertThat(next[0]).isEqualTo(phase);
                assertThat(next[1]).isEqualTo(phase);
            }
        }
    }

    @Test
    void theWorkRunsOnSeveralThreadsAndRangesCoverTheInput() {
        try (Parallel par = new Parallel(2)) {
            Set<String> names = ConcurrentHashMap.newKeySet();
            AtomicLong sum = new AtomicLong();
            CountDownLatch both = new CountDownLatch(2);
            par.forRange(1000, (th, from, to) -> {
                names.add(Thread.currentThread().getName());
                both.countDown();
                try {
                    // both parts are running at once: neither waits for the other to finish
                    assertThat(both.await(10, TimeUnit.SECONDS)).isTrue();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                for (int j = from; j < to; j++) {
                    sum.addAndGet(j);
                }
            });
            assertThat(names).hasSize(2).contains(Thread.currentThread().getName());
            assertThat(sum.get()).isEqualTo(999L * 1000 / 2);
        }
    }

    @Test
    void aWorkersExceptionReachesTheCallerAfterEveryPartEnded() {
        try (Parallel par = new Parallel(2)) {
            AtomicIntegerArray ran = new AtomicIntegerArray(2);
            assertThatThrownBy(() -> par.forThreads(2, t -> {
                ran.incrementAndGet(t);
                if (t == 1) {
                    throw new IllegalArgumentException("part 1 failed");
                }
            })).isInstanceOf(IllegalArgumentException.class).hasMessage("part 1 failed");
            assertThat(ran.get(0)).isEqualTo(1);
            assertThat(ran.get(1)).isEqualTo(1);
            // an Error wins over a runtime exception, and the pool still works afterwards
            assertThatThrownBy(() -> par.forThreads(2, t -> {
                if (t == 0) {
                    throw new IllegalStateException("caller part");
                }
                throw new AssertionError("worker part");
            })).isInstanceOf(AssertionError.class).hasMessage("worker part");
            // the caller's part fails at once while the worker's is still running: the exception waits for it
            AtomicIntegerArray finished = new AtomicIntegerArray(2);
            assertThatThrownBy(() -> par.forThreads(2, t -> {
                if (t == 0) {
                    throw new IllegalStateException("caller failed first");
                }
                sleep(50);
                finished.incrementAndGet(t);
            })).isInstanceOf(IllegalStateException.class).hasMessage("caller failed first");
            assertThat(finished.get(1)).isEqualTo(1);
            AtomicIntegerArray again = new AtomicIntegerArray(2);
            par.forThreads(2, again::incrementAndGet);
            assertThat(again.get(0) + again.get(1)).isEqualTo(2);
        }
    }

    @Test
    void aNestedCallRunsItsPartsOnTheCallingThread() {
        try (Parallel par = new Parallel(2)) {
            AtomicIntegerArray inner = new AtomicIntegerArray(4);
            String[] outerThread = new String[2];
            String[] innerThread = new String[4];
            par.forThreads(2, t -> {
                outerThread[t] = Thread.currentThread().getName();
                par.forThreads(2, u -> {
                    inner.incrementAndGet(2 * t + u);
                    innerThread[2 * t + u] = Thread.currentThread().getName();
                });
            });
            for (int j = 0; j < 4; j++) {
                assertThat(inner.get(j)).isEqualTo(1);
            }
            assertThat(outerThread[0]).isNotEqualTo(outerThread[1]);
            // each inner part ran on the thread of the outer part that called it
            for (int t = 0; t < 2; t++) {
                assertThat(innerThread[2 * t]).isEqualTo(outerThread[t]);
                assertThat(innerThread[2 * t + 1]).isEqualTo(outerThread[t]);
            }
        }
    }

    @Test
    void twoCallerThreadsAtOnceEachGetAllTheirParts() throws Exception {
        try (Parallel par = new Parallel(2)) {
            AtomicLong total = new AtomicLong();
            Runnable caller = () -> {
                for (int phase = 0; phase < 3000; phase++) {
                    par.forThreads(2, t -> total.incrementAndGet());
                }
            };
            Thread a = new Thread(caller);
            Thread b = new Thread(caller);
            a.start();
            b.start();
            a.join(60_000);
            b.join(60_000);
            assertThat(a.isAlive() || b.isAlive()).isFalse();
            assertThat(total.get()).isEqualTo(2L * 3000 * 2);
        }
    }

    @Test
    void closeEndsTheWorkersAndLaterCallsRunOnTheCaller() throws Exception {
        Parallel par = new Parallel(3);
        par.forThreads(3, t -> { });
        par.close();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (par.liveWorkers() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(par.liveWorkers()).isZero();
        Set<String> names = ConcurrentHashMap.newKeySet();
        par.forThreads(3, t -> names.add(Thread.currentThread().getName()));
        assertThat(names).containsExactly(Thread.currentThread().getName());
    }

    @Test
    void waitersSpinAfterShortPhasesAndParkAtOnceAfterLongOnes() {
        try (Parallel par = new Parallel(2)) {
            assertThat(par.spinNanos()).isEqualTo(Parallel.SPIN_NANOS);
            par.forThreads(2, t -> sleep(3));
            assertThat(par.spinNanos()).isZero();
            // parked workers still take the next phases; short ones bring the spinning back (the first
            // of them waits on a wake-up, which a loaded machine may stretch past a millisecond)
            AtomicLong sum = new AtomicLong();
            int phases = 0;
            long until = System.nanoTime() + 30_000_000_000L;
            while (par.spinNanos() == 0 && System.nanoTime() < until) {
                par.forThreads(2, sum::addAndGet);
                phases++;
            }
            assertThat(par.spinNanos()).isEqualTo(Parallel.SPIN_NANOS);
            assertThat(sum.get()).isEqualTo(phases);
        }
    }

    @Test
    void closeWaitsForThePhaseUnderWayAndItsCallerReturns() throws Exception {
        Parallel par = new Parallel(2);
        CountDownLatch started = new CountDownLatch(2);
        AtomicIntegerArray ran = new AtomicIntegerArray(2);
        Thread caller = new Thread(() -> par.forThreads(2, t -> {
            started.countDown();
            sleep(100);
            ran.incrementAndGet(t);
        }));
        caller.start();
        assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
        par.close(); // while the phase runs
        par.close(); // idempotent
        caller.join(30_000);
        assertThat(caller.isAlive()).isFalse();
        assertThat(ran.get(0)).isEqualTo(1);
        assertThat(ran.get(1)).isEqualTo(1);
        AtomicIntegerArray after = new AtomicIntegerArray(2);
        par.forThreads(2, after::incrementAndGet);
        assertThat(after.get(0) + after.get(1)).isEqualTo(2);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
