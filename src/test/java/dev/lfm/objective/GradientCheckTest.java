package dev.lfm.objective;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lfm.model.FactorModel;
import dev.lfm.train.Planted;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GradientCheckTest {
    private static final Planted DATA = new Planted(40, 30, 3, 0.3, 0.1, 3);

    private static FactorModel model(boolean biases) {
        FactorModel m = new FactorModel(40, 30, 4, biases);
        m.mu = (float) DATA.train.mean();
        m.initialize(5, 0.5, null, null);
        if (biases) {
            SplittableRandom r = new SplittableRandom(9);
            for (int u = 0; u < 40; u++) {
                m.userBias[u] = (float) r.nextDouble(-0.5, 0.5);
            }
            for (int i = 0; i < 30; i++) {
                m.itemBias[i] = (float) r.nextDouble(-0.5, 0.5);
            }
        }
        return m;
    }

    @ParameterizedTest
    @CsvSource({"UNIFORM, true", "UNIFORM, false", "WEIGHTED, true", "WEIGHTED, false"})
    void analyticGradientMatchesCentralDifferences(Regularization form, boolean biases) {
        Objective obj = new Objective(0.1, biases ? 0.05 : 0, form, biases);
        GradientCheck.Result r = new GradientCheck(model(biases), DATA.train, obj).run(1_000_000, 1, 1e-3);
        assertThat(r.checked()).isEqualTo(40 * 4 + 30 * 4 + (biases ? 70 : 0));
        assertThat(r.maxRelativeError()).isLessThan(1e-6);
    }

    @ParameterizedTest
    @CsvSource({"UNIFORM", "WEIGHTED"})
    void aWrongGradientIsCaught(Regularization form) {
        // a classic slip: the regularization gradient without its factor 2
        Objective obj = new Objective(0.1, 0.05, form, true);
        GradientCheck.Analytic slipped = (m, r, o) -> {
            double[][] g = Reference.gradient(m, r, o);
            double[][] half = Reference.gradient(m, r, new Objective(o.lambda() / 2, o.lambdaBias(), o.regularization(), o.biases()));
            return new double[][] {half[0], g[1], g[2], g[3]};
        };
        GradientCheck.Result r = new GradientCheck(model(true), DATA.train, obj, slipped).run(1_000_000, 1, 1e-3);
        assertThat(r.maxRelativeError()).isGreaterThan(1e-3);
        assertThat(r.worstParameter()).startsWith("P[");
    }
}
