package dev.lfm.train;

import dev.lfm.compute.Optimizer;
import dev.lfm.compute.RatingSet;
import dev.lfm.compute.Side;
import dev.lfm.objective.Objective;
import java.util.function.LongSupplier;

/**
 * Simulated time for budget and deadline tests: a CPU backend (a {@link RecordingBackend}) on whose clock every
 * training epoch costs exactly one second (or the given time) (a per-rating SGD epoch 1 s, each of an ALS sweep's two half-sweeps
 * 0.5 s) and nothing else costs anything (setup, evaluation; mini-batch steps, which the tuner's default rule does
 * not use, are free too). Handed to {@link Tuner} and {@link TrialRunner} as their clock, so what a budget
 * allows is a number of epochs, the same on any machine and under any load.
 */
final class SimulatedClock extends RecordingBackend implements LongSupplier {
    static final long SECOND = 1_000_000_000L;
    /** Simulated nanoseconds (start it anywhere: the clock's origin means nothing). */
    long now;
    /** What one epoch costs, simulated nanoseconds. */
    final long epoch;

    SimulatedClock() {
        this(SECOND);
    }

    SimulatedClock(long nanosPerEpoch) {
        this.epoch = nanosPerEpoch;
    }

    @Override
    public long getAsLong() {
        return now;
    }

    double seconds() {
        return now / 1e9;
    }

    @Override
    public void sgdEpoch(RatingSet train, Objective objective, Optimizer rule, float lr, float lrBias, long seed) {
        now += epoch;
        super.sgdEpoch(train, objective, rule, lr, lrBias, seed);
    }

    @Override
    public void alsSweep(RatingSet train, Objective objective, Side side) {
        now += epoch / 2;
        super.alsSweep(train, objective, side);
    }
}
