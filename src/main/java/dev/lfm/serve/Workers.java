package dev.lfm.serve;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/** Runs tasks 0..n-1 on a few threads, handed out dynamically; the caller works too and waits. */
final class Workers {
    private Workers() {
    }

    static int resolve(int threads) {
        return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    }

    static void run(int tasks, int threads, IntConsumer task) {
        int t = Math.max(1, Math.min(resolve(threads), tasks));
        AtomicInteger next = new AtomicInteger();
        Runnable loop = () -> {
            for (int j; (j = next.getAndIncrement()) < tasks; ) {
                task.accept(j);
            }
        };
        if (t == 1) {
            loop.run();
            return;
        }
        List<Thread> started = new ArrayList<>();
        Throwable[] failure = new Throwable[1];
        for (int j = 1; j < t; j++) {
            Thread th = new Thread(loop, "lfm-serve-" + j);
            th.setDaemon(true);
            th.setUncaughtExceptionHandler((x, e) -> {
                synchronized (failure) {
                    if (failure[0] == null) {
                        failure[0] = e;
                    }
                }
                next.set(tasks);
            });
            th.start();
            started.add(th);
        }
        try {
            loop.run();
        } catch (RuntimeException | Error e) {
            next.set(tasks);
            synchronized (failure) {
                if (failure[0] == null) {
                    failure[0] = e;
                }
            }
        }
        for (Thread th : started) {
            try {
                th.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        Throwable f = failure[0];
        if (f instanceof RuntimeException re) {
            throw re;
        }
        if (f instanceof Error err) {
            throw err;
        }
    }
}
