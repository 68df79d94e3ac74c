package dev.lfm.objective;

import dev.lfm.objective.Gradient;
import dev.lfm.objective.LossTerms;
import dev.lfm.data.Ratings;
import dev.lfm.model.FactorModel;

/**
 * The double-precision reference for the objective and its analytic gradient: single-threaded,
 * written for clarity, used by the gradient check and as the oracle of the backend contract
 * tests.
 */
public final class Reference {
    private Reference() {
    }

    /** r̂_ui in double precision (unclipped). */
    public static double predict(FactorModel m, int u, int i) {
        double s = m.mu;
        if (m.biases) {
            s += (double) m.userBias[u] + m.itemBias[i];
        }
        long pu = (long) u * m.rank;
        long qi = (long) i * m.rank;
        for (int c = 0; c < m.rank; c++) {
            s += (double) m.p[(int) (pu + c)] * m.q[(int) (qi + c)];
        }
        return s;
    }

    /** Residuals e = r − r̂ in double precision. */
    public static double[] residuals(FactorModel m, Ratings r) {
        double[] e = new double[r.size()];
        for (int n = 0; n < r.size(); n++) {
            e[n] = r.value(n) - predict(m, r.user(n), r.item(n));
        }
        return e;
    }

    /**
     * L = Σ (r − r̂)² + λ Σ c_u‖p_u‖² + λ Σ c_i‖q_i‖² + λ_b(Σ c_u b_u² + Σ c_i b_i²),
     * c from the objective's regularization form and the counts of {@code train}.
     */
    public static LossTerms loss(FactorModel m, Ratings train, Objective obj) {
        double sse = 0;
        for (int n = 0; n < train.size(); n++) {
            double e = train.value(n) - predict(m, train.user(n), train.item(n));
            sse += e * e;
        }
        int[] nu = train.userCounts();
        int[] ni = train.itemCounts();
        double fp = 0;
        double bp = 0;
        for (int u = 0; u < m.numUsers; u++) {
            double c = obj.regularization().coefficient(nu[u]);
            fp += c * squaredNorm(m.p, u, m.rank);
            if (obj.biases()) {
                bp += c * (double) m.userBias[u] * m.userBias[u];
            }
        }
        for (int i = 0; i < m.numItems; i++) {
            double c = obj.regularization().coefficient(ni[i]);
            fp += c * squaredNorm(m.q, i, m.rank);
            if (obj.biases()) {
                bp += c * (double) m.itemBias[i] * m.itemBias[i];
            }
        }
        return new LossTerms(sse, obj.lambda() * fp, obj.lambdaBias() * bp, train.size());
    }

    private static double squaredNorm(float[] f, int row, int rank) {
        double s = 0;
        long o = (long) row * rank;
        for (int c = 0; c < rank; c++) {
            double x = f[(int) (o + c)];
            s += x * x;
        }
        return s;
    }

    /** ∂L/∂θ over the whole of {@code train} in double precision: {p, q, userBias, itemBias}. */
    public static double[][] gradient(FactorModel m, Ratings train, Objective obj) {
        return batchGradient(m, train, null, 0, train.size(), train.userCounts(), train.itemCounts(), obj);
    }

    /**
     * Gradient of Σ f_n over positions [from, to) of {@code order} (identity when null), where
     * f_ui = (r − r̂)² + λ(w_u‖p_u‖² + w_i‖q_i‖²) + λ_b(w_u b_u² + w_i b_i²) and w = c/n from
     * {@code userCounts}/{@code itemCounts}. Summed over all ratings it is ∂L/∂θ.
     */
    public static double[][] batchGradient(FactorModel m, Ratings train, int[] order, int from, int to,
                                           int[] userCounts, int[] itemCounts, Objective obj) {
        int k = m.rank;
        double[] gp = new double[m.p.length];
        double[] gq = new double[m.q.length];
        double[] gbu = new double[m.numUsers];
        double[] gbi = new double[m.numItems];
        Regularization reg = obj.regularization();
        for (int j = from; j < to; j++) {
            int n = order == null ? j : order[j];
            int u = train.user(n);
            int i = train.item(n);
            double e = train.value(n) - predict(m, u, i);
            double wu = reg.coefficient(userCounts[u]) / userCounts[u];
            double wi = reg.coefficient(itemCounts[i]) / itemCounts[i];
            for (int c = 0; c < k; c++) {
                double pc = m.p[u * k + c];
                double qc = m.q[i * k + c];
                gp[u * k + c] += -2 * e * qc + 2 * obj.lambda() * wu * pc;
                gq[i * k + c] += -2 * e * pc + 2 * obj.lambda() * wi * qc;
            }
            if (obj.biases()) {
                gbu[u] += -2 * e + 2 * obj.lambdaBias() * wu * m.userBias[u];
                gbi[i] += -2 * e + 2 * obj.lambdaBias() * wi * m.itemBias[i];
            }
        }
        return new double[][] {gp, gq, gbu, gbi};
    }

    /** {@link #batchGradient} rounded to float, in the backend's {@link Gradient} shape. */
    public static Gradient toFloat(int rank, double[][] g) {
        return new Gradient(rank, toFloat(g[0]), toFloat(g[1]), toFloat(g[2]), toFloat(g[3]));
    }

    private static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int j = 0; j < d.length; j++) {
            f[j] = (float) d[j];
        }
        return f;
    }
}
