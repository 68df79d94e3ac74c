package dev.lfm.train;

import dev.lfm.compute.Optimizer;

/**
 * The settings these schedule, validation and divergence tests were written against: plain SGD,
 * rank 8, λ 0.01, no learning-rate decay, no early stopping (train's defaults use AdaGrad and choose
 * the rank, λ and patience from the data; those have their own tests).
 */
final class Classic {
    private Classic() {
    }

    static TrainingConfig config() {
        TrainingConfig c = TrainingConfig.defaults(Algorithm.GD, Optimizer.SGD);
        c.rank = 8;
        c.lambda = 0.01;
        c.lrDecay = 1.0;
        c.patience = 0;
        return c;
    }
}
