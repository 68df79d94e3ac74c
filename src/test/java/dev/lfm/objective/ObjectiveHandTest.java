package dev.lfm.objective;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lfm.data.IdMap;
import dev.lfm.data.Ratings;
import dev.lfm.model.FactorModel;
import dev.lfm.train.Planted;
import org.junit.jupiter.api.Test;

/** The objective's pieces against values computed by hand, and the gradient check's exhaustive mode. */
class ObjectiveHandTest {
    private static final Planted DATA = new Planted(12, 9, 2, 0.5, 0.1, 4);

    @Test
    void regularizationCoefficientsAndWeights() {
        assertThat(Regularization.UNIFORM.coefficient(0)).isZero();
        assertThat(Regularization.WEIGHTED.coefficient(0)).isZero();
        assertThat(Regularization.UNIFORM.coefficient(7)).isEqualTo(1.0);
        assertThat(Regularization.WEIGHTED.coefficient(7)).isEqualTo(7.0);
        assertThat(Regularization.UNIFORM.perRatingWeight(4)).isEqualTo(0.25f);
        assertThat(Regularization.WEIGHTED.perRatingWeight(4)).isEqualTo(1f);
        assertThat(Regularization.UNIFORM.perRatingWeight(0)).isZero();
        assertThat(Regularization.WEIGHTED.perRatingWeight(0)).isZero();
        assertThat(Regularization.parse("L2")).isEqualTo(Regularization.UNIFORM);
        assertThat(Regularization.parse("uniform")).isEqualTo(Regularization.UNIFORM);
        assertThat(Regularization.parse("ALS-WR")).isEqualTo(Regularization.WEIGHTED);
        assertThat(Regularization.parse("frequency")).isEqualTo(Regularization.WEIGHTED);
        assertThat(Regularization.parse("weighted")).isEqualTo(Regularization.WEIGHTED);
        assertThatThrownBy(() -> Regularization.parse("l1")).hasMessage("unknown regularization 'l1' (uniform|weighted)");
    }

    @Test
    void lossTermsAddUpAndRmseIsOverTheCount() {
        LossTerms t = new LossTerms(8, 1.5, 0.25, 2);
        assertThat(t.value()).isEqualTo(9.75);
        assertThat(t.rmse()).isEqualTo(2.0);
        assertThat(new LossTerms(0, 0, 0, 0).rmse()).isNaN();
    }

    @Test
    void objectiveRefusesNegativeOrNonFiniteWeights() {
        assertThatThrownBy(() -> new Objective(-1, 0, Regularization.UNIFORM, true)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Objective(0, -1, Regularization.UNIFORM, true)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Objective(Double.NaN, 0, Regularization.UNIFORM, true)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Objective(0, Double.NaN, Regularization.UNIFORM, true)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Objective(Double.POSITIVE_INFINITY, 0, Regularization.UNIFORM, true))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Objective(0, Double.POSITIVE_INFINITY, Regularization.UNIFORM, true))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new Objective(0, 0, Regularization.UNIFORM, false).lambda()).isZero();
    }

    private static FactorModel model() {
        FactorModel m = new FactorModel(12, 9, 3, true);
        m.mu = (float) DATA.train.mean();
        m.initialize(2, 0.4, null, null);
        for (int u = 0; u < 12; u++) {
            m.userBias[u] = 0.05f * u - 0.3f;
        }
        for (int i = 0; i < 9; i++) {
            m.itemBias[i] = 0.2f - 0.04f * i;
        }
        return m;
    }

    @Test
    void theExhaustiveCheckVisitsEveryParameterAndFindsASlipInTheLastOne() {
        Objective obj = new Objective(0.1, 0.05, Regularization.WEIGHTED, true);
        // a wrong gradient in exactly one parameter, the last item bias: only an exhaustive check is sure to see it
        GradientCheck.Analytic slipped = (m, r, o) -> {
            double[][] g = Reference.gradient(m, r, o);
            g[3][8] += 1.0;
            return g;
        };
        long total = 12 * 3 + 9 * 3 + 12 + 9;
        GradientCheck.Result all = new GradientCheck(model(), DATA.train, obj, slipped).run(total, 1, 1e-3);
        assertThat(all.checked()).isEqualTo(total);
        assertThat(all.worstParameter()).isEqualTo("b_item[8]");
        assertThat(all.analytic() - all.numeric()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(all.maxRelativeError()).isEqualTo(Math.abs(all.analytic() - all.numeric())
                / Math.max(Math.abs(all.analytic()), Math.abs(all.numeric())));
        GradientCheck.Result sampled = new GradientCheck(model(), DATA.train, obj).run(total - 1, 1, 1e-3);
        assertThat(sampled.checked()).isEqualTo(total - 1);
        assertThat(sampled.maxRelativeError()).isLessThan(1e-6);
        // without biases there are only the factors to check
        Objective nb = new Objective(0.1, 0, Regularization.UNIFORM, false);
        FactorModel plain = new FactorModel(12, 9, 3, false);
        plain.mu = (float) DATA.train.mean();
        plain.initialize(2, 0.4, null, null);
        GradientCheck.Result f = new GradientCheck(plain, DATA.train, nb).run(1_000, 1, 1e-3);
        assertThat(f.checked()).isEqualTo(12 * 3 + 9 * 3);
        assertThat(f.maxRelativeError()).isLessThan(1e-6);
    }

    @Test
    void slipsInEachBlockAreNamedByRowAndColumn() {
        Objective obj = new Objective(0.1, 0.05, Regularization.UNIFORM, true);
        String[] expected = {"P[4][2]", "Q[5][1]", "b_user[11]"};
        int[][] at = {{0, 4 * 3 + 2}, {1, 5 * 3 + 1}, {2, 11}};
        for (int k = 0; k < 3; k++) {
            int[] a = at[k];
            GradientCheck.Analytic slipped = (m, r, o) -> {
                double[][] g = Reference.gradient(m, r, o);
                g[a[0]][a[1]] -= 2.0;
                return g;
            };
            GradientCheck.Result r = new GradientCheck(model(), DATA.train, obj, slipped).run(10_000, 1, 1e-3);
            assertThat(r.worstParameter()).isEqualTo(expected[k]);
            assertThat(r.numeric() - r.analytic()).isCloseTo(2.0, org.assertj.core.data.Offset.offset(1e-6));
        }
    }

    @Test
    void lossAndGradientOfATinyProblemByHand() {
        // one user, one item, rating 4; μ = 3, b_u = 0.5, b_i = 0, p = (1), q = (0.25): r̂ = 3.75, e = 0.25
        Ratings one = new Ratings(1, 1, new int[] {0}, new int[] {0}, new float[] {4}, 1, IdMap.identity(1),
                IdMap.identity(1), 1, 5);
        FactorModel m = new FactorModel(1, 1, 1, true);
        m.mu = 3;
        m.userBias[0] = 0.5f;
        m.p[0] = 1;
        m.q[0] = 0.25f;
        Objective obj = new Objective(0.1, 0.2, Regularization.WEIGHTED, true);
        // L = e² + λ(1·p² + 1·q²) + λ_b(1·b_u² + 1·b_i²) = 0.0625 + 0.1·1.0625 + 0.2·0.25 = 0.21875
        LossTerms t = Reference.loss(m, one, obj);
        assertThat(t.sse()).isCloseTo(0.0625, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(t.factorPenalty()).isCloseTo(0.10625, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(t.biasPenalty()).isCloseTo(0.05, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(t.count()).isEqualTo(1);
        // ∂L/∂p = -2e·q + 2λp = -0.125 + 0.2 = 0.075; ∂L/∂q = -2e·p + 2λq = -0.5 + 0.05 = -0.45
        // ∂L/∂b_u = -2e + 2λ_b b_u = -0.5 + 0.2 = -0.3; ∂L/∂b_i = -0.5
        double[][] g = Reference.gradient(m, one, obj);
        assertThat(g[0][0]).isCloseTo(0.075, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(g[1][0]).isCloseTo(-0.45, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(g[2][0]).isCloseTo(-0.3, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(g[3][0]).isCloseTo(-0.5, org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void weightedAndUniformPenaltiesCountRatingsPerRowByHand() {
        // user 0 rated items 0 and 1, user 1 rated item 1; item 2 has no rating (not in L); rank 2
        Ratings r = new Ratings(2, 3, new int[] {0, 0, 1}, new int[] {0, 1, 1}, new float[] {4, 2, 5}, 3,
                IdMap.identity(2), IdMap.identity(3), 1, 5);
        FactorModel m = new FactorModel(2, 3, 2, true);
        m.mu = 3;
        System.arraycopy(new float[] {1, 2, 0.5f, -1}, 0, m.p, 0, 4);       // ‖p_0‖² = 5, ‖p_1‖² = 1.25
        System.arraycopy(new float[] {1, 0, 0, 1, 3, 3}, 0, m.q, 0, 6);     // ‖q_0‖² = 1, ‖q_1‖² = 1, q_2 unrated
        m.userBias[0] = 0.5f;  // b² = 0.25
        m.userBias[1] = -1;    // 1
        m.itemBias[0] = 0.25f; // 0.0625
        m.itemBias[1] = 0;
        m.itemBias[2] = 7;     // unrated: not in L
        // predictions: (0,0) 3 + 0.5 + 0.25 + 1 = 4.75 -> e = -0.75; (0,1) 3 + 0.5 + 0 + 2 = 5.5 -> e = -3.5;
        // (1,1) 3 - 1 + 0 - 1 = 1 -> e = 4; sse = 0.5625 + 12.25 + 16 = 28.8125
        // weighted (c = n): users n = (2, 1), items n = (1, 2, 0)
        //   factors: 2·5 + 1·1.25 + 1·1 + 2·1 = 14.25; biases: 2·0.25 + 1·1 + 1·0.0625 + 2·0 = 1.5625
        // uniform (c = 1 for rated rows): factors 5 + 1.25 + 1 + 1 = 8.25; biases 0.25 + 1 + 0.0625 = 1.3125
        LossTerms w = Reference.loss(m, r, new Objective(0.1, 0.2, Regularization.WEIGHTED, true));
        assertThat(w.sse()).isCloseTo(28.8125, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(w.factorPenalty()).isCloseTo(1.425, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(w.biasPenalty()).isCloseTo(0.3125, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(w.count()).isEqualTo(3);
        LossTerms u = Reference.loss(m, r, new Objective(0.1, 0.2, Regularization.UNIFORM, true));
        assertThat(u.factorPenalty()).isCloseTo(0.825, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(u.biasPenalty()).isCloseTo(0.2625, org.assertj.core.data.Offset.offset(1e-9));
        // an objective without biases has no bias penalty (the prediction is the model's)
        LossTerms nb = Reference.loss(m, r, new Objective(0.1, 0.2, Regularization.UNIFORM, false));
        assertThat(nb.sse()).isCloseTo(28.8125, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(nb.biasPenalty()).isZero();
        assertThat(Reference.predict(m, 1, 1)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
        double[] res = Reference.residuals(m, r);
        assertThat(res).hasSize(3);
        assertThat(res[0]).isCloseTo(-0.75, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(res[1]).isCloseTo(-3.5, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(res[2]).isCloseTo(4, org.assertj.core.data.Offset.offset(1e-6));
        Gradient g = Reference.toFloat(2, new double[][] {{1, 2, 3, 4}, {5, 6, 7, 8, 9, 10}, {0.5, 1.5}, {-1, -2, -3}});
        assertThat(g.rank()).isEqualTo(2);
        assertThat(g.p()).containsExactly(1f, 2f, 3f, 4f);
        assertThat(g.q()).containsExactly(5f, 6f, 7f, 8f, 9f, 10f);
        assertThat(g.userBias()).containsExactly(0.5f, 1.5f);
        assertThat(g.itemBias()).containsExactly(-1f, -2f, -3f);
    }
}
