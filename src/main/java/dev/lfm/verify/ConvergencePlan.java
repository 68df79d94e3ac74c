package dev.lfm.verify;

import dev.lfm.compute.Optimizer;

import dev.lfm.compute.Backend;
import dev.lfm.compute.OptimizerStep;
import dev.lfm.compute.RatingSet;
import dev.lfm.model.FactorModel;
import dev.lfm.objective.Objective;
import dev.lfm.objective.Regularization;

/**
 * Short seeded training runs on a {@link PlantedProblem}, one per optimizer, used to check that a
 * backend's stochastic training reaches the CPU backend's test RMSE (verify and contract tests).
 * Objective: λ = λ_b = 0.02, weighted regularization, rank 3 (the planted rank).
 */
public enum ConvergencePlan {
    SGD, SGD_ADAGRAD, MINIBATCH_PLAIN, MINIBATCH_MOMENTUM, MINIBATCH_NESTEROV, MINIBATCH_ADAM, FULL_BATCH;

    public static final int RANK = 3;
    public static final Objective OBJECTIVE = new Objective(0.02, 0.02, Regularization.WEIGHTED, true);
    static final int BATCH = 256;
    /** The AdaGrad plan's one learning rate (LIBMF's default η). */
    static final float ADAGRAD_LR = 0.1f;

    /** Runs the plan from the problem's seeded initial model; returns the test RMSE (clipped). */
    public double run(Backend b, PlantedProblem problem, long seed) {
        RatingSet train = b.upload(problem.train());
        RatingSet test = b.upload(problem.test());
        FactorModel m = problem.initialModel(RANK, seed);
        b.setModel(m);
        int n = train.size();
        switch (this) {
            case SGD -> {
                for (int epoch = 0; epoch < 30; epoch++) {
                    b.sgdEpoch(train, OBJECTIVE, 0.03f, 0.03f, seed + epoch);
                }
            }
            case SGD_ADAGRAD -> {
                for (int epoch = 0; epoch < 30; epoch++) {
                    b.sgdEpoch(train, OBJECTIVE, Optimizer.ADAGRAD, ADAGRAD_LR, ADAGRAD_LR, seed + epoch);
                }
            }
            case FULL_BATCH -> {
                OptimizerStep step = new OptimizerStep(Optimizer.MOMENTUM, 0.004f, 0.004f, 0.9f,
                        0.9f, 0.999f, 1e-8f, 1);
                for (int t = 1; t <= 150; t++) {
                    b.gradientStep(train, 0, n, OBJECTIVE, step.withStep(t, step.lr(), step.lrBias()));
                }
            }
            default -> {
                OptimizerStep step = switch (this) {
                    case MINIBATCH_PLAIN -> OptimizerStep.plain(0.03f, 0.03f);
                    case MINIBATCH_MOMENTUM -> new OptimizerStep(Optimizer.MOMENTUM, 0.01f, 0.01f, 0.7f,
                            0.9f, 0.999f, 1e-8f, 1);
                    case MINIBATCH_NESTEROV -> new OptimizerStep(Optimizer.NESTEROV, 0.01f, 0.01f, 0.7f,
                            0.9f, 0.999f, 1e-8f, 1);
                    default -> new OptimizerStep(Optimizer.ADAM, 0.01f, 0.01f, 0f, 0.9f, 0.999f, 1e-8f, 1);
                };
                long t = 0;
                for (int epoch = 0; epoch < 20; epoch++) {
                    b.shuffle(train, seed * 31 + epoch);
                    for (int from = 0; from < n; from += BATCH) {
                        t++;
                        b.gradientStep(train, from, Math.min(n, from + BATCH), OBJECTIVE,
                                step.withStep(t, step.lr(), step.lrBias()));
                    }
                }
            }
        }
        return b.evaluate(test).rmse();
    }
}
