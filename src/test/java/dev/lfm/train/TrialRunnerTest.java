package dev.lfm.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lfm.LfmException;
import dev.lfm.compute.Backend;
import dev.lfm.compute.Optimizer;
import dev.lfm.compute.cpu.CpuBackend;
import dev.lfm.data.Ratings;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link TrialRunner} on a {@link SimulatedClock}: one epoch = one second, so deadlines are exact epoch counts. */
class TrialRunnerTest {
    private static final Planted DATA = new Planted(100, 60, 3, 0.3, 0.1, 5);

    private static TrainingConfig sgd(int epochs, int patience) {
        TrainingConfig c = TrainingConfig.defaults();
        c.rank = 4;
        c.lambda = 0.01;
        c.epochs = epochs;
        c.patience = patience;
        return c;
    }

    /** The epoch with the lowest validation RMSE (the first of equals), computed here from the records. */
    private static int argmin(List<EpochRecord> history) {
        int best = 0;
        for (EpochRecord r : history) {
            if (best == 0 || r.validationRmse() < history.get(best - 1).validationRmse()) {
                best = r.epoch();
            }
        }
        return best;
    }

    @Test
    void aDeadlineCutsTheTrialBeforeTheEpochThatWouldEndPastIt() {
        // the clock starts at 100 s; each epoch takes 1 s: with the deadline at 105 s, epoch 4 ends at 104 s and a
        // fifth would end at 105 s, not before the deadline, so 4 run; at 105.5 s the fifth ends at 105 s and runs
        for (long[] deadlineAndEpochs : new long[][] {{105_000, 4}, {105_500, 5}, {101_000, 1}, {100_000, 1},
                {99_000, 1}, {104_999, 4}}) {
            SimulatedClock clock = new SimulatedClock();
            clock.now = 100 * SimulatedClock.SECOND;
            TrainingConfig c = sgd(20, 0);
            TrialRunner.Run run = new TrialRunner(clock, DATA.train, DATA.validation, clock)
                    .run(c, deadlineAndEpochs[0] * 1_000_000L);
            long epochs = deadlineAndEpochs[1];
            assertThat(run.epochsRun()).as("deadline %d ms", deadlineAndEpochs[0]).isEqualTo((int) epochs);
            assertThat(run.cutByBudget()).isTrue();
            assertThat(run.diverged()).isFalse();
            assertThat(run.model()).isNull();
            assertThat(run.validationRmse()).isNaN();
            assertThat(run.seconds()).isEqualTo((double) epochs);
            assertThat(run.history()).extracting(EpochRecord::epoch).containsExactly(
                    java.util.stream.IntStream.rangeClosed(1, (int) epochs).boxed().toArray(Integer[]::new));
            // the best epoch so far is still recorded: the lowest validation RMSE among the epochs run
            assertThat(run.bestEpoch()).isEqualTo(argmin(run.history()));
            assertThat(run.best()).isSameAs(run.history().get(run.bestEpoch() - 1));
            assertThat(c.epochs).as("the config is not modified").isEqualTo(20);
            assertThat(run.config().epochs).isEqualTo(20);
        }
    }

    @Test
    void aTrialWhoseLastEpochEndsNearTheDeadlineIsFinishedNotCut() {
        // 5 epochs from 100 s end at 105 s; with the deadline at 105.5 s a sixth would not fit, but there is none
        SimulatedClock clock = new SimulatedClock();
        clock.now = 100 * SimulatedClock.SECOND;
        TrialRunner.Run run = new TrialRunner(clock, DATA.train, DATA.validation, clock).run(sgd(5, 0), 105_500_000_000L);
        assertThat(run.epochsRun()).isEqualTo(5);
        assertThat(run.cutByBudget()).isFalse();
        assertThat(run.model()).isNotNull();
        assertThat(run.validationRmse()).isFinite();
    }

    @Test
    void aFinishedRunRecordsTheRankTheTrainersRaceChose() {
        SimulatedClock clock = new SimulatedClock();
        TrainingConfig c = sgd(4, 0);
        c.rank = TrainingConfig.RANK_AUTO;
        TrialRunner.Run run = new TrialRunner(clock, DATA.train, DATA.validation, clock).run(c, TrialRunner.NO_DEADLINE);
        assertThat(run.config().rank).isIn(java.util.Arrays.stream(TrainingConfig.AUTO_RANKS).boxed().toArray());
        assertThat(run.model().rank).isEqualTo(run.config().rank);
        assertThat(c.rank).as("the config is not modified").isEqualTo(TrainingConfig.RANK_AUTO);
    }

    @Test
    void withoutADeadlineEveryEpochRunsAndTheModelIsTheTrainersOwn() {
        SimulatedClock clock = new SimulatedClock();
        TrialRunner runner = new TrialRunner(clock, DATA.train, DATA.validation, clock);
        for (long deadline : new long[] {TrialRunner.NO_DEADLINE, Long.MAX_VALUE - 1, 1000 * SimulatedClock.SECOND}) {
            long before = clock.now;
            TrialRunner.Run run = runner.run(sgd(6, 0), deadline);
            assertThat(run.epochsRun()).isEqualTo(6);
            assertThat(run.cutByBudget()).isFalse();
            assertThat(run.diverged()).isFalse();
            assertThat(run.seconds()).isEqualTo(6.0);
            assertThat(clock.now - before).isEqualTo(6 * SimulatedClock.SECOND);
            // no early stopping: the kept model is the last epoch's
            assertThat(run.bestEpoch()).isEqualTo(6);
            assertThat(run.validationRmse()).isEqualTo(run.history().get(5).validationRmse()).isFinite();
            try (Backend b = new CpuBackend(1)) {
                TrainingResult direct = new Trainer(sgd(6, 0), null).train(b, DATA.train, DATA.validation, null);
                assertThat(run.model().p).isEqualTo(direct.model().p);
                assertThat(run.validationRmse()).isEqualTo(direct.last().validationRmse());
                // a trial never sees a test set
                assertThat(run.history()).allSatisfy(r -> assertThat(r.testRmse()).isNaN());
            }
        }
        TrialRunner.Run plain = runner.run(sgd(3, 0));
        assertThat(plain.epochsRun()).isEqualTo(3);
        assertThat(plain.cutByBudget()).isFalse();
    }

    @Test
    void earlyStoppingKeepsTheBestEpochsModel() {
        SimulatedClock clock = new SimulatedClock();
        TrainingConfig c = sgd(200, 2);
        c.optimizer = Optimizer.SGD; // plain SGD, rank 16 and no λ over-fit: validation RMSE turns up
        c.lr = 0.05;
        c.rank = 16;
        c.lambda = 0;
        c.lrDecay = 1;
        TrialRunner.Run run = new TrialRunner(clock, DATA.train, DATA.validation, clock).run(c);
        assertThat(run.epochsRun()).isLessThan(200);
        assertThat(run.bestEpoch()).isEqualTo(argmin(run.history())).isEqualTo(run.epochsRun() - 2);
        assertThat(run.validationRmse()).isEqualTo(run.history().get(run.bestEpoch() - 1).validationRmse());
        assertThat(run.model()).isNotNull();
        assertThat(run.seconds()).isEqualTo((double) run.epochsRun());
    }

    @Test
    void aDivergingTrialIsARecordNotAnException() {
        TrainingConfig c = TrainingConfig.defaults(Algorithm.GD, Optimizer.SGD);
        c.rank = 4;
        c.lr = 1e6;
        c.epochs = 10;
        c.patience = 0;
        SimulatedClock clock = new SimulatedClock();
        TrialRunner.Run run = new TrialRunner(clock, DATA.train, DATA.validation, clock).run(c);
        assertThat(run.diverged()).isTrue();
        assertThat(run.cutByBudget()).isFalse();
        assertThat(run.model()).isNull();
        assertThat(run.bestEpoch()).isZero();
        assertThat(run.best()).isNull();
        assertThat(run.validationRmse()).isNaN();
        // the diverging epoch is in the history: training stopped there
        assertThat(run.epochsRun()).isBetween(1, 9);
        assertThat(run.seconds()).isEqualTo((double) run.epochsRun());
    }

    @Test
    void aTrialNeedsTrainingAndValidationRatings() {
        Ratings empty = DATA.train.select(new int[0], 0);
        try (Backend b = new CpuBackend(1)) {
            assertThatThrownBy(() -> new TrialRunner(b, empty, DATA.validation)).isInstanceOf(LfmException.class)
                    .hasMessage("a trial needs a non-empty training set");
            assertThatThrownBy(() -> new TrialRunner(b, null, DATA.validation)).isInstanceOf(LfmException.class)
                    .hasMessage("a trial needs a non-empty training set");
            for (Ratings v : new Ratings[] {null, empty}) {
                assertThatThrownBy(() -> new TrialRunner(b, DATA.train, v)).isInstanceOf(LfmException.class)
                        .hasMessage("a trial chooses on a validation split, which is empty: set --validation-fraction > 0");
            }
        }
    }
}
