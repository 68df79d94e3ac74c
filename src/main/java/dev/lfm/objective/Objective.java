package dev.lfm.objective;

/**
 * The one objective every optimizer and backend minimizes:
 *
 * <pre>
 *   L = Σ_{(u,i)∈Ω} (r_ui − r̂_ui)²  +  λ·R(P,Q)  +  λ_b·(Σ c_u b_u² + Σ c_i b_i²)
 *   r̂_ui = μ + b_u + b_i + p_u·q_i
 * </pre>
 *
 * with R and the coefficients c from {@link Regularization}. μ is the training mean and is not
 * learned. Without biases b_u = b_i = 0 and μ is still added.
 *
 * @param lambda λ, the factor regularization
 * @param lambdaBias λ_b, the bias regularization
 * @param regularization which form of R
 * @param biases whether b_u and b_i are trained
 */
public record Objective(double lambda, double lambdaBias, Regularization regularization, boolean biases) {
    public Objective {
        if (!(lambda >= 0) || !(lambdaBias >= 0) || Double.isInfinite(lambda) || Double.isInfinite(lambdaBias)) {
            throw new IllegalArgumentException("regularization must be a finite number >= 0");
        }
    }
}
