package dev.lfm.compute;

import dev.lfm.objective.Gradient;

import dev.lfm.objective.LossTerms;

import dev.lfm.data.Ratings;
import dev.lfm.model.FactorModel;
import dev.lfm.objective.Objective;

/**
 * The seam between the trainer and the hardware. A backend owns device-resident parameters,
 * rating sets and optimizer state, and runs the kernels; only scalars come back until the model
 * is downloaded.
 *
 * <p>Call order: {@code open} (by {@link Backends}) → {@link #upload} each rating set once →
 * {@link #setModel} → any number of steps ({@link #sgdEpoch}, {@link #shuffle} +
 * {@link #gradientStep}, {@link #alsSweep}) and scalar queries ({@link #loss},
 * {@link #evaluate}) → {@link #getModel} → {@link #close}. Every rating set handed to one
 * backend shares the model's id space.
 *
 * <p>The objective decomposes into per-rating terms
 * f_ui = (r_ui − r̂_ui)² + λ(w_u‖p_u‖² + w_i‖q_i‖²) + λ_b(w_u b_u² + w_i b_i²), w = c/n from
 * {@link dev.lfm.objective.Regularization}, with n the counts of the set passed as {@code train}.
 * SGD and batch steps follow the gradient of these terms, so every algorithm minimizes one L.
 */
public interface Backend extends AutoCloseable {

    /** "cpu", "opencl" or "cuda". */
    String name();

    /** Human-readable device description (CPU model and threads, GPU name). */
    String device();

    /** Degree of parallelism used (threads on the CPU, compute units on a device). */
    int threads();

    /** Makes a rating set resident on the backend (once); the handle is valid until close. */
    RatingSet upload(Ratings ratings);

    /** Uploads the parameters (copies them) and resets optimizer state (moments to 0, AdaGrad's G to 1). */
    void setModel(FactorModel model);

    /** Downloads the parameters into {@code into} (same shape as the model set). */
    void getModel(FactorModel into);

    /** The objective's terms over {@code train} (unclipped predictions). */
    LossTerms loss(RatingSet train, Objective objective);

    /** Squared and absolute errors of predictions clipped to the rating scale over {@code set}. */
    ErrorSums evaluate(RatingSet set);

    /**
     * One epoch of per-rating SGD (batch size 1) over {@code train} in an order fixed by
     * {@code seed} (each backend its own: the CPU visits conflict-free blocks in a seeded order,
     * each block's ratings grouped by user with each user's ratings shuffled once; GPUs walk a
     * seeded permutation in lock-free streams): for each rating, e = r − r̂, then
     * p_u += lr(e q_i − λ w_u p_u), q_i += lr(e p_u − λ w_i q_i),
     * b_u += lrBias(e − λ_b w_u b_u), b_i += lrBias(e − λ_b w_i b_i).
     * Parallel backends may update concurrently (lock-free, Hogwild-style or block-scheduled).
     * The same as {@link #sgdEpoch(RatingSet, Objective, Optimizer, float, float, long)} with
     * {@link Optimizer#SGD}.
     */
    default void sgdEpoch(RatingSet train, Objective objective, float lr, float lrBias, long seed) {
        sgdEpoch(train, objective, Optimizer.SGD, lr, lrBias, seed);
    }

    /**
     * One epoch of per-rating SGD in the order of {@link #sgdEpoch(RatingSet, Objective, float,
     * float, long)} with the step rule {@code rule}: {@link Optimizer#SGD} (the update stated
     * there) or {@link Optimizer#ADAGRAD} (per-row adaptive steps, see {@link OptimizerStep}),
     * whose per-row state persists across epochs until the next {@link #setModel}.
     *
     * @throws IllegalArgumentException when {@code rule} is not {@link Optimizer#perRating()}
     */
    void sgdEpoch(RatingSet train, Objective objective, Optimizer rule, float lr, float lrBias, long seed);

    /**
     * Σe² over the last {@link #sgdEpoch}'s updates, each e = r − r̂ taken just before its own
     * update (the "during the epoch" error that LIBMF and most SGD codes report: not the error
     * of the model the epoch ends with), or NaN when this backend does not accumulate it. The
     * count is the training set's size.
     */
    default double lastSgdEpochSse() {
        return Double.NaN;
    }

    /**
     * λ·R(P, Q) + λ_b·(bias penalty) of the current model: {@link #loss}'s terms without the
     * pass over the ratings (O((users + items)·k)). The default computes {@link #loss} whole.
     */
    default LossTerms penalty(RatingSet train, Objective objective) {
        LossTerms l = loss(train, objective);
        return new LossTerms(Double.NaN, l.factorPenalty(), l.biasPenalty(), l.count());
    }

    /** Fixes the order that {@link #gradientStep} batches are drawn from (a seeded permutation). */
    void shuffle(RatingSet train, long seed);

    /**
     * One optimizer step on the gradient of the per-rating terms at positions [from, to) of the
     * current order (all ratings for full batch). Only rows the batch touches are updated
     * (lazy/sparse optimizer state), so a step costs O(batch·k), never O(rows·k).
     */
    void gradientStep(RatingSet train, int from, int to, Objective objective, OptimizerStep step);

    /**
     * One ALS half-sweep: with the other side fixed, sets every row of {@code side} to the exact
     * minimizer of L (biases folded in as an extra coordinate). Rows with no ratings become zero.
     */
    void alsSweep(RatingSet train, Objective objective, Side side);

    /** Residuals e = r − r̂ (unclipped) for every rating of {@code set}, in the set's order. */
    float[] residuals(RatingSet set);

    /**
     * The analytic gradient of the per-rating terms at positions [from, to) of the current order
     * of {@code train}, downloaded (diagnostics: verification and contract tests).
     */
    Gradient gradient(RatingSet train, int from, int to, Objective objective);

    /** Releases device memory and threads. */
    @Override
    void close();
}
