package dev.lfm.bench.jmh;

import dev.lfm.data.SyntheticRatings;

import dev.lfm.compute.Backend;
import dev.lfm.compute.BackendOptions;
import dev.lfm.compute.BackendProvider;
import dev.lfm.compute.Backends;
import dev.lfm.compute.RatingSet;
import dev.lfm.data.Ratings;
import dev.lfm.model.FactorModel;
import dev.lfm.objective.Objective;
import dev.lfm.objective.Regularization;

/**
 * A trained-on problem resident on one backend, built outside the measured methods (in each
 * benchmark's {@code @Setup(Level.Trial)}): a {@link SyntheticRatings#uniform uniform synthetic problem} with 100 ratings per user
 * and 1,000 per item (20M ratings = 200k users × 20k items), 90/10 train/test, an initialized
 * model of rank k, all uploaded.
 *
 * <p>Synchronization: the Backend API returns scalars and its steps complete before they return,
 * so the measured methods need no extra synchronization. To be safe against a backend that would
 * queue a void step asynchronously, {@link #sync()} asks for a scalar over a one-rating set
 * (negligible cost); benchmarks of void steps call it inside the measured method.
 *
 * <p>An unavailable backend makes the trial fail with one clear message (JMH goes on with the
 * next trial unless run with {@code -foe true}); narrow the sweep with {@code -p backend=cpu}.
 */
final class Fixture implements AutoCloseable {
    final Backend backend;
    final Ratings train;
    final Ratings test;
    final RatingSet trainSet;
    final RatingSet testSet;
    final RatingSet syncSet;
    final FactorModel initial;
    final Objective objective = new Objective(0.05, 0.01, Regularization.WEIGHTED, true);

    Fixture(String backendName, int k, long ratings, int threads) {
        this(backendName, k, ratings, threads, false);
    }

    /** With {@code halfFactors}, a GPU backend stores P and Q as fp16 during SGD epochs. */
    Fixture(String backendName, int k, long ratings, int threads, boolean halfFactors) {
        BackendProvider provider;
        try {
            provider = Backends.provider(backendName);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("backend " + backendName + " is not built into this jar ("
                    + e.getMessage() + "); skip it with -p backend=cpu");
        }
        String why = provider.unavailableReason();
        if (why != null) {
            throw new IllegalStateException("backend " + backendName + " not available: " + why
                    + " (skip it with -p backend=cpu)");
        }
        if (ratings > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("size above 2^31 ratings");
        }
        int n = (int) ratings;
        int users = Math.max(10, n / 100);
        int items = Math.max(10, n / 1000);
        Ratings all = SyntheticRatings.uniform(users, items, n, 8, 0.25, 42);
        int nTest = n / 10;
        train = slice(all, nTest, n);
        test = slice(all, 0, nTest);
        backend = provider.open(new BackendOptions(threads, -1, halfFactors));
        trainSet = backend.upload(train);
        testSet = backend.upload(test);
        syncSet = backend.upload(slice(all, 0, 1));
        initial = new FactorModel(users, items, k, true);
        initial.mu = (float) train.mean();
        initial.minRating = 1;
        initial.maxRating = 5;
        initial.initialize(42, 0.1, train.userCounts(), train.itemCounts());
        backend.setModel(initial);
    }

    private static Ratings slice(Ratings r, int from, int to) {
        int[] idx = new int[to - from];
        for (int j = 0; j < idx.length; j++) {
            idx[j] = from + j;
        }
        return r.select(idx, idx.length);
    }

    /** A scalar query that cannot complete before earlier work on the backend has. */
    double sync() {
        return backend.evaluate(syncSet).sse();
    }

    @Override
    public void close() {
        backend.close();
    }
}
