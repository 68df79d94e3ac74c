package dev.lfm.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import dev.lfm.LfmException;
import dev.lfm.compute.Optimizer;
import dev.lfm.data.IdMap;
import dev.lfm.data.Ratings;
import org.junit.jupiter.api.Test;

/** The data-dependent defaults (λ from the ratings, automatic patience) and the remaining validation checks. */
class TrainingConfigDefaultsTest {
    private static Ratings ratings(float... values) {
        int n = values.length;
        int[] u = new int[n];
        int[] i = new int[n];
        for (int j = 0; j < n; j++) {
            u[j] = j;
            i[j] = (j * 7) % 5;
        }
        return new Ratings(n, 5, u, i, values, n, IdMap.identity(n), IdMap.identity(5), 0, 10);
    }

    @Test
    void lambdaFromTheDataIsFourTenthsOfTheVarianceOverTheRange() {
        // {3, 1, 5, 2}: mean 2.75, population variance (0.0625 + 3.0625 + 5.0625 + 0.5625) / 4 = 2.1875, range 4
        assertThat(TrainingConfig.defaultLambda(ratings(3, 1, 5, 2))).isCloseTo(0.4 * 2.1875 / 4, offset(1e-12));
        // the extremes anywhere in the array: {5, 2, 1, 3} gives the same
        assertThat(TrainingConfig.defaultLambda(ratings(5, 2, 1, 3))).isCloseTo(0.21875, offset(1e-12));
        // {1, 1, 1, 4}: mean 1.75, variance (3 · 0.5625 + 5.0625) / 4 = 1.6875, range 3
        assertThat(TrainingConfig.defaultLambda(ratings(1, 1, 1, 4))).isCloseTo(0.4 * 1.6875 / 3, offset(1e-12));
        // negative ratings: {-2, 2}: variance 4, range 4
        assertThat(TrainingConfig.defaultLambda(ratings(-2, 2))).isCloseTo(0.4, offset(1e-12));
        // scaling the ratings by 10 scales λ by 10 (variance ×100, range ×10)
        assertThat(TrainingConfig.defaultLambda(ratings(30, 10, 50, 20))).isCloseTo(2.1875, offset(1e-9));
        // empty or constant: the documented 0.01
        assertThat(TrainingConfig.defaultLambda(ratings())).isEqualTo(0.01);
        assertThat(TrainingConfig.defaultLambda(ratings(3, 3, 3))).isEqualTo(0.01);
        assertThat(TrainingConfig.defaultLambda(ratings(7))).isEqualTo(0.01);
    }

    @Test
    void resolvedForFillsLambdaAndPatienceAndNothingElse() {
        Ratings r = ratings(3, 1, 5, 2);
        TrainingConfig sgd = TrainingConfig.defaults();
        TrainingConfig withVal = sgd.resolvedFor(r, true);
        assertThat(withVal).isNotSameAs(sgd);
        assertThat(withVal.lambda).isCloseTo(0.21875, offset(1e-12));
        assertThat(withVal.patience).isEqualTo(TrainingConfig.DEFAULT_PATIENCE);
        assertThat(sgd.resolvedFor(r, false).patience).isZero();
        assertThat(withVal.rank).isEqualTo(TrainingConfig.RANK_AUTO);
        assertThat(Double.isNaN(sgd.lambda)).as("the original is untouched").isTrue();
        assertThat(sgd.patience).isEqualTo(TrainingConfig.PATIENCE_AUTO);
        assertThat(withVal.isResolved()).as("rank is still auto").isFalse();

        TrainingConfig als = TrainingConfig.defaults(Algorithm.ALS);
        assertThat(als.resolvedFor(r, true).patience).isEqualTo(TrainingConfig.DEFAULT_ALS_PATIENCE);
        assertThat(als.resolvedFor(r, false).patience).isZero();
        assertThat(als.resolvedFor(r, true).isResolved()).isTrue();

        TrainingConfig set = TrainingConfig.defaults();
        set.lambda = 0.5;
        set.patience = 4;
        set.rank = 3;
        TrainingConfig same = set.resolvedFor(r, false);
        assertThat(same.lambda).isEqualTo(0.5);
        assertThat(same.patience).isEqualTo(4);
        assertThat(set.isResolved()).isTrue();
        set.patience = TrainingConfig.PATIENCE_AUTO;
        assertThat(set.isResolved()).isFalse();
        set.patience = 4;
        set.lambda = Double.NaN;
        assertThat(set.isResolved()).isFalse();
    }

    @Test
    void methodDefaultsDifferOnlyWhereDocumented() {
        TrainingConfig d = TrainingConfig.defaults();
        TrainingConfig als = TrainingConfig.defaults(Algorithm.ALS);
        assertThat(als.algorithm).isEqualTo(Algorithm.ALS);
        assertThat(als.rank).isEqualTo(32);
        assertThat(als.epochs).isEqualTo(30);
        assertThat(als.lambdaBias).isEqualTo(0.1);
        assertThat(TrainingConfig.defaults(Algorithm.GD).lr).isEqualTo(0.01);
        assertThat(TrainingConfig.defaults(Algorithm.GD, Optimizer.MOMENTUM).lr).isEqualTo(0.01);
        assertThat(TrainingConfig.defaults(Algorithm.GD, Optimizer.NESTEROV).lr).isEqualTo(0.01);
        assertThat(TrainingConfig.defaults(Algorithm.GD, Optimizer.ADAGRAD).lr).isEqualTo(d.lr).isEqualTo(0.05);
        assertThat(TrainingConfig.defaults(Algorithm.GD, Optimizer.ADAM).lr).isEqualTo(0.001);
        assertThat(TrainingConfig.defaults(Algorithm.GD, Optimizer.ADAGRAD).rank).isEqualTo(TrainingConfig.RANK_AUTO);
        assertThat(d.lambdaBias).isEqualTo(0.02);
        assertThat(d.lrDecay).isEqualTo(0.98);
    }

    @Test
    void theObjectiveNeedsAResolvedLambdaAndDropsBiasRegularizationWithoutBiases() {
        TrainingConfig c = TrainingConfig.defaults();
        assertThatThrownBy(c::objective).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("resolvedFor");
        c.lambda = 0.3;
        c.lambdaBias = 0.2;
        assertThat(c.objective().lambdaBias()).isEqualTo(0.2);
        c.biases = false;
        assertThat(c.objective().lambdaBias()).isZero();
        assertThat(c.objective().lambda()).isEqualTo(0.3);
    }

    @Test
    void perRatingRulesNeedBatchSizeOneAndEvalEveryIsNonNegative() {
        TrainingConfig c = Classic.config();
        c.optimizer = Optimizer.ADAGRAD;
        c.batchSize = 64;
        assertThatThrownBy(c::validate).isInstanceOf(LfmException.class)
                .hasMessage("--optimizer adagrad is per-rating SGD only: use --batch-size 1 (got 64)");
        c.batchSize = 0;
        assertThatThrownBy(c::validate).isInstanceOf(LfmException.class)
                .hasMessage("--optimizer adagrad is per-rating SGD only: use --batch-size 1 (got all)");
        c.batchSize = 1;
        c.validate();
        c.algorithm = Algorithm.ALS; // ALS has no batches: any batch size passes
        c.batchSize = 64;
        c.validate();
        TrainingConfig e = Classic.config();
        e.evalEvery = 0;
        e.validate();
        e.evalEvery = -1;
        assertThatThrownBy(e::validate).isInstanceOf(LfmException.class).hasMessage("--eval-every must be >= 0 (got -1)");
    }

    @Test
    void perRatingSgdIsBatchSizeOneWithAPerRatingRule() {
        TrainingConfig c = TrainingConfig.defaults();
        assertThat(c.isPerRatingSgd()).isTrue();
        assertThat(c.isPlainSgd()).isFalse();
        c.optimizer = Optimizer.SGD;
        assertThat(c.isPerRatingSgd()).isTrue();
        c.optimizer = Optimizer.ADAM;
        assertThat(c.isPerRatingSgd()).isFalse();
        c.optimizer = Optimizer.SGD;
        c.batchSize = 2;
        assertThat(c.isPerRatingSgd()).isFalse();
        c.batchSize = 1;
        c.algorithm = Algorithm.ALS;
        assertThat(c.isPerRatingSgd()).isFalse();
    }
}
