package dev.lfm.compute;

/**
 * One optimizer step's settings. {@code lr} multiplies half the summed gradient of the batch's
 * per-rating terms (g/2 = −e·q + λ·w·p for one rating), so batch size 1 with {@link Optimizer#SGD}
 * is the classic update p ← p + lr(e q − λ w p). Sum (not mean) scaling keeps one learning rate
 * meaningful across batch sizes on sparse data: a row touched once moves as far as under SGD.
 *
 * <ul>
 *   <li>SGD (plain): θ ← θ − lr·g/2
 *   <li>MOMENTUM (heavy ball): v ← β v + g/2; θ ← θ − lr·v
 *   <li>NESTEROV: v ← β v + g/2; θ ← θ − lr·(g/2 + β v)
 *   <li>ADAM: m ← β1 m + (1−β1) g/2; v ← β2 v + (1−β2)(g/2)²;
 *       θ ← θ − lr·m̂/(√v̂ + ε), m̂ = m/(1−β1^t), v̂ = v/(1−β2^t)
 *   <li>ADAGRAD (per-rating SGD only, batch size 1; LIBMF's per-row schedule): each user row and
 *       each item row keeps one scalar G (and its bias one more, H), starting at 1. For a rating
 *       with half gradients h_p = λ w_u p_u − e q_i and h_q = λ w_i q_i − e p_u (old values):
 *       p_u ← p_u − (lr/√G_u)·h_p, q_i ← q_i − (lr/√G_i)·h_q, then G_u += ‖h_p‖²/k,
 *       G_i += ‖h_q‖²/k (the mean squared gradient entry); biases the same with their own H:
 *       h = λ_b w b − e, b ← b − (lrBias/√H)·h, H += h². The step of a row shrinks as its
 *       gradients accumulate, so frequent rows settle and rare rows keep moving, and one lr
 *       (about 0.1) suits data sets of different scales. State lives with the backend: reset to
 *       1 by {@link Backend#setModel} (a warm start from a saved model starts a fresh schedule),
 *       kept across epochs otherwise.
 * </ul>
 * Optimizer state is lazy: only rows the batch touches are read and written. Adam's bias
 * correction uses the global step t (as TensorFlow's LazyAdam does), so a row first touched at a
 * late step moves about lr·(1−β1)/√(1−β2) ≈ 3.2·lr on that step.
 *
 * @param t 1-based step counter (Adam's bias correction)
 */
public record OptimizerStep(Optimizer kind, float lr, float lrBias, float momentum, float beta1, float beta2,
                            float epsilon, long t) {

    public static OptimizerStep plain(float lr, float lrBias) {
        return new OptimizerStep(Optimizer.SGD, lr, lrBias, 0f, 0.9f, 0.999f, 1e-8f, 1);
    }

    public OptimizerStep withStep(long step, float lr, float lrBias) {
        return new OptimizerStep(kind, lr, lrBias, momentum, beta1, beta2, epsilon, step);
    }
}
