package dev.lfm.train;

import dev.lfm.compute.Optimizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lfm.compute.Backend;
import dev.lfm.compute.cpu.CpuBackend;
import dev.lfm.objective.Regularization;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class TrainerTest {
    private static final Planted PLANTED = new Planted(800, 600, 4, 0.5, 0.1, 7);

    private static TrainingResult train(TrainingConfig c, int threads) {
        try (Backend b = new CpuBackend(threads)) {
            return new Trainer(c, null).train(b, PLANTED.train, PLANTED.validation, PLANTED.test);
        }
    }

    private static TrainingConfig base() {
        TrainingConfig c = TrainingConfig.defaults(Algorithm.GD, Optimizer.SGD); // these tests are about plain SGD
        c.rank = 4;
        c.epochs = 40;
        c.lambda = 0.002;
        c.lambdaBias = 0.002;
        c.patience = 0; // fixed epoch counts here; early stopping has its own test
        return c;
    }

    @Test
    void sgdRecoversPlantedProblemNearNoiseFloor() {
        TrainingConfig c = base();
        c.epochs = 60;
        c.lr = 0.01;
        TrainingResult r = train(c, 2);
        // the test RMSE of the true model is the noise σ = 0.1; within 5% of it
        assertThat(r.last().testRmse()).isLessThan(PLANTED.noise * 1.05);
        assertThat(r.updates()).isEqualTo(60L * PLANTED.train.size());
    }

    @ParameterizedTest
    @CsvSource({
        "1, SGD, 0.01", "64, SGD, 0.01", "64, MOMENTUM, 0.002", "64, NESTEROV, 0.002", "64, ADAM, 0.01",
        "0, SGD, 0.0005", "0, MOMENTUM, 0.0002", "0, NESTEROV, 0.0002", "0, ADAM, 0.05"})
    void everyOptimizerLowersTheObjective(int batch, Optimizer opt, double lr) {
        TrainingConfig c = base();
        c.batchSize = batch;
        c.optimizer = opt;
        c.lr = lr;
        c.epochs = 15;
        TrainingResult r = train(c, 2);
        double first = r.history().get(0).objective();
        double last = r.last().objective();
        assertThat(last).as("objective falls").isLessThan(first * 0.9);
        assertThat(r.last().testRmse()).isLessThan(batch == 0 ? 1.2 : 0.2);
    }

    @Test
    void sameSeedSameResultAcrossRuns() {
        TrainingConfig c = base();
        c.epochs = 5;
        TrainingResult a = train(c, 2);
        TrainingResult b = train(c, 2);
        assertThat(a.model().p).isEqualTo(b.model().p);
        assertThat(a.last().testRmse()).isEqualTo(b.last().testRmse());
    }

    @Test
    void earlyStoppingRestoresBestEpoch() {
        TrainingConfig c = base();
        c.rank = 16;
        c.lambda = 0.0;
        c.lr = 0.05;
        c.epochs = 200;
        c.patience = 3;
        TrainingResult r = train(c, 1);
        assertThat(r.stoppedEarly()).isTrue();
        int best = r.bestEpoch();
        double bestVal = r.history().stream().mapToDouble(EpochRecord::validationRmse).min().orElseThrow();
        assertThat(r.history().get(best - 1).validationRmse()).isEqualTo(bestVal);
        assertThat(r.epochsRun()).isEqualTo(best + 3);
        // the returned model is the best epoch's: its validation RMSE recomputed matches
        try (Backend b = new CpuBackend(1)) {
            b.setModel(r.model());
            double val = b.evaluate(b.upload(PLANTED.validation)).rmse();
            assertThat(val).isCloseTo(bestVal, org.assertj.core.data.Offset.offset(1e-9));
        }
    }

    @Test
    void divergenceStopsWithAdvice() {
        TrainingConfig c = base();
        c.lr = 50;
        assertThatThrownBy(() -> train(c, 1)).isInstanceOf(DivergenceException.class)
                .hasMessageContaining("diverged at epoch").hasMessageContaining("lower the learning rate");
    }

    @Test
    void alsObjectiveNeverIncreases() {
        for (Regularization reg : Regularization.values()) {
            TrainingConfig c = base();
            c.algorithm = Algorithm.ALS;
            c.regularization = reg;
            c.lambda = reg == Regularization.UNIFORM ? 0.5 : 0.005;
            c.lambdaBias = c.lambda;
            c.epochs = 15;
            TrainingResult r = train(c, 2);
            for (int e = 1; e < r.history().size(); e++) {
                assertThat(r.history().get(e).objective()).isLessThanOrEqualTo(r.history().get(e - 1).objective() * (1 + 1e-6));
            }
            assertThat(r.last().testRmse()).isLessThan(PLANTED.noise * 1.05);
        }
    }

    @Test
    void badSettingsGiveOneLine() {
        TrainingConfig c = base();
        c.rank = 0;
        assertThatThrownBy(c::validate).hasMessage("--rank must be between 1 and 4096 (got 0)");
    }
}
