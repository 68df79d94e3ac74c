package dev.lfm.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lfm.LfmException;
import dev.lfm.compute.Optimizer;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Every check of {@link TrainingConfig#validate()} at and just past its boundary, with its message. */
class TrainingConfigValidationTest {
    private static void bad(Consumer<TrainingConfig> set, String message) {
        TrainingConfig c = Classic.config();
        set.accept(c);
        assertThatThrownBy(c::validate).isInstanceOf(LfmException.class).hasMessage(message);
    }

    private static void ok(Consumer<TrainingConfig> set) {
        TrainingConfig c = Classic.config();
        set.accept(c);
        assertThatCode(c::validate).doesNotThrowAnyException();
        assertThat(c.validate()).isSameAs(c);
    }

    @Test
    void eachSettingIsCheckedAtItsBoundary() {
        ok(c -> c.rank = 1);
        ok(c -> c.rank = 4096);
        bad(c -> c.rank = 0, "--rank must be between 1 and 4096 (got 0)");
        bad(c -> c.rank = 4097, "--rank must be between 1 and 4096 (got 4097)");
        ok(c -> c.epochs = 1);
        bad(c -> c.epochs = 0, "--epochs must be >= 1 (got 0)");
        bad(c -> c.lr = 0, "--lr must be a positive number (got 0.0)");
        bad(c -> c.lr = Double.POSITIVE_INFINITY, "--lr must be a positive number (got Infinity)");
        bad(c -> c.lr = Double.NaN, "--lr must be a positive number (got NaN)");
        ok(c -> c.lr = Double.MIN_VALUE);
        ok(c -> c.lrBias = 0);
        ok(c -> c.lrBias = Double.NaN);
        bad(c -> c.lrBias = -0.1, "--lr-bias must be >= 0 (got -0.1)");
        bad(c -> c.lrBias = Double.POSITIVE_INFINITY, "--lr-bias must be >= 0 (got Infinity)");
        ok(c -> c.lambda = 0);
        bad(c -> c.lambda = -1e-9, "--reg must be >= 0 (got -1.0E-9)");
        bad(c -> c.lambda = Double.POSITIVE_INFINITY, "--reg must be >= 0 (got Infinity)");
        ok(c -> c.lambda = Double.NaN); // NaN: λ from the training ratings (TrainingConfig.defaultLambda)
        ok(c -> c.lambdaBias = 0);
        bad(c -> c.lambdaBias = -1, "--reg-bias must be >= 0 (got -1.0)");
        bad(c -> c.lambdaBias = Double.POSITIVE_INFINITY, "--reg-bias must be >= 0 (got Infinity)");
        ok(c -> c.batchSize = 0);
        bad(c -> c.batchSize = -1, "--batch-size must be >= 1, or 'all' (got -1)");
        ok(c -> c.momentum = 0);
        ok(c -> c.momentum = 0.999);
        bad(c -> c.momentum = 1, "--momentum must be in [0, 1) (got 1.0)");
        bad(c -> c.momentum = -0.1, "--momentum must be in [0, 1) (got -0.1)");
        ok(c -> c.beta1 = 0);
        ok(c -> c.beta2 = 0);
        bad(c -> c.beta1 = 1, "Adam betas must be in [0, 1)");
        bad(c -> c.beta1 = -0.5, "Adam betas must be in [0, 1)");
        bad(c -> c.beta2 = 1, "Adam betas must be in [0, 1)");
        bad(c -> c.beta2 = -0.5, "Adam betas must be in [0, 1)");
        bad(c -> c.epsilon = 0, "Adam epsilon must be > 0");
        ok(c -> c.epsilon = 1e-30);
        ok(c -> c.lrDecay = 1);
        bad(c -> c.lrDecay = 1.0001, "--lr-decay must be in (0, 1] (got 1.0001)");
        bad(c -> c.lrDecay = 0, "--lr-decay must be in (0, 1] (got 0.0)");
        ok(c -> c.patience = 0);
        ok(c -> c.patience = TrainingConfig.PATIENCE_AUTO);
        bad(c -> c.patience = -2, "--patience must be >= 0 (got -2)");
        ok(c -> c.rank = TrainingConfig.RANK_AUTO);
        bad(c -> c.rank = -2, "--rank must be between 1 and 4096 (got -2)");
        ok(c -> c.initScale = Double.NaN);
        ok(c -> c.initScale = 1e-6);
        bad(c -> c.initScale = 0, "--init-scale must be > 0");
        bad(c -> c.initScale = Double.POSITIVE_INFINITY, "--init-scale must be > 0");
    }

    @Test
    void theTrainerValidatesACopyAndLeavesTheCallersConfigurationAlone() {
        TrainingConfig c = Classic.config();
        c.rank = 0;
        assertThatThrownBy(() -> new Trainer(c, null)).hasMessage("--rank must be between 1 and 4096 (got 0)");
        TrainingConfig d = Classic.config();
        d.rank = 5;
        TrainingConfig e = d.copy();
        e.rank = 99;
        assertThat(d.rank).isEqualTo(5);
    }

    @Test
    void derivedValuesAreComputedFromTheSettings() {
        TrainingConfig c = Classic.config();
        c.rank = 16;
        assertThat(c.effectiveInitScale()).isEqualTo(0.175, org.assertj.core.data.Offset.offset(1e-12));
        c.initScale = 0.3;
        assertThat(c.effectiveInitScale()).isEqualTo(0.3);
        c.lr = 0.07;
        assertThat(c.effectiveLrBias()).isEqualTo(0.07);
        c.lrBias = 0.01;
        assertThat(c.effectiveLrBias()).isEqualTo(0.01);
        assertThat(c.toMap()).containsEntry("lr_bias", 0.01).containsEntry("init_scale", 0.3).containsEntry("rank", 16);
    }

    @Test
    void algorithmNamesAndThePlainSgdPath() {
        TrainingConfig c = Classic.config();
        assertThat(c.describeAlgorithm()).isEqualTo("sgd");
        assertThat(c.isPlainSgd()).isTrue();
        c.optimizer = Optimizer.MOMENTUM;
        assertThat(c.describeAlgorithm()).isEqualTo("sgd-momentum");
        assertThat(c.isPlainSgd()).isFalse();
        c.batchSize = 64;
        assertThat(c.describeAlgorithm()).isEqualTo("minibatch-momentum");
        c.optimizer = Optimizer.SGD;
        assertThat(c.describeAlgorithm()).isEqualTo("minibatch");
        assertThat(c.isPlainSgd()).isFalse();
        c.batchSize = 0;
        c.optimizer = Optimizer.NESTEROV;
        assertThat(c.describeAlgorithm()).isEqualTo("fullbatch-nesterov");
        c.algorithm = Algorithm.ALS;
        assertThat(c.describeAlgorithm()).isEqualTo("als");
        c.batchSize = 1;
        c.optimizer = Optimizer.SGD;
        assertThat(c.isPlainSgd()).as("ALS is never the SGD path").isFalse();
        c.biases = false;
        c.patience = 3;
        c.lrDecay = 0.75;
        c.momentum = 0.25;
        c.beta1 = 0.5;
        c.beta2 = 0.625;
        c.epsilon = 1e-4;
        c.epochs = 7;
        c.lambdaBias = 0.125;
        c.lambda = 0.375;
        c.seed = 9;
        assertThat(c.toMap()).containsEntry("batch_size", 1).containsEntry("optimizer", "sgd")
                .containsEntry("biases", false).containsEntry("patience", 3).containsEntry("lr_decay", 0.75)
                .containsEntry("momentum", 0.25).containsEntry("beta1", 0.5).containsEntry("beta2", 0.625)
                .containsEntry("epsilon", 1e-4).containsEntry("epochs", 7).containsEntry("reg_bias", 0.125)
                .containsEntry("reg", 0.375).containsEntry("seed", 9L).containsEntry("algorithm", "als");
    }

    @Test
    void algorithmNamesParse() {
        assertThat(Algorithm.parse("SGD")).isEqualTo(Algorithm.GD);
        assertThat(Algorithm.parse("mini-batch")).isEqualTo(Algorithm.GD);
        assertThat(Algorithm.parse("als")).isEqualTo(Algorithm.ALS);
        assertThatThrownBy(() -> Algorithm.parse("svd")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown algorithm 'svd' (sgd|als)");
    }
}
