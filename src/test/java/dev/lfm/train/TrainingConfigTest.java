package dev.lfm.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lfm.compute.Optimizer;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainingConfigTest {
    @Test
    void toMapHasOneSetOfKeysInTheCliVocabulary() {
        TrainingConfig c = TrainingConfig.defaults(Algorithm.GD, Optimizer.SGD);
        c.lambda = 0.01;
        c.lrBias = 0.02;
        Map<String, Object> m = c.toMap();
        assertThat(m.keySet()).containsExactly("algorithm", "rank", "epochs", "lr", "lr_bias", "reg", "reg_bias",
                "regularization", "batch_size", "optimizer", "momentum", "beta1", "beta2", "epsilon", "lr_decay",
                "biases", "patience", "init_scale", "seed");
        assertThat(m).containsEntry("algorithm", "sgd").containsEntry("reg", 0.01).containsEntry("batch_size", 1)
                .containsEntry("regularization", "weighted").containsEntry("lr_bias", 0.02)
                .containsEntry("seed", 42L);
        TrainingConfig full = TrainingConfig.defaults();
        full.batchSize = 0;
        full.optimizer = Optimizer.ADAM;
        assertThat(full.toMap()).containsEntry("batch_size", "all").containsEntry("algorithm", "fullbatch-adam");
    }

    @Test
    void methodDefaultsComeFromTheOnePlace() {
        TrainingConfig d = TrainingConfig.defaults();
        assertThat(TrainingConfig.defaults(d.algorithm, d.optimizer).toMap()).isEqualTo(d.toMap());
        TrainingConfig als = TrainingConfig.defaults(Algorithm.ALS, Optimizer.SGD);
        assertThat(als.epochs).isEqualTo(TrainingConfig.DEFAULT_ALS_EPOCHS);
        assertThat(als.lr).isEqualTo(d.lr);
        TrainingConfig adam = TrainingConfig.defaults(Algorithm.GD, Optimizer.ADAM);
        assertThat(adam.lr).isEqualTo(TrainingConfig.ADAM_LR);
        assertThat(adam.epochs).isEqualTo(d.epochs);
    }
}
