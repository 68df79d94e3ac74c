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
        assertThat(all.maxRelativeError()).isGreaterThan(0.1);
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
}
