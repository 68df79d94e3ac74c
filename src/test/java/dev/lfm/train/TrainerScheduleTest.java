package dev.lfm.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lfm.LfmException;
import dev.lfm.compute.Optimizer;
import dev.lfm.compute.OptimizerStep;
import dev.lfm.data.Ratings;
import dev.lfm.model.FactorModel;
import dev.lfm.objective.Objective;
import dev.lfm.objective.Regularization;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the trainer asks of a backend, checked against hand-computed expectations (a recording
 * backend): the learning-rate schedule, the seeds and shuffles, batch boundaries and step
 * counters, ALS's sweeps, the objective handed over, the initial model, and the counts reported.
 */
class TrainerScheduleTest {
    private static final Planted DATA = new Planted(60, 40, 3, 0.5, 0.1, 11);

    private static TrainingConfig config() {
        TrainingConfig c = Classic.config();
        c.rank = 3;
        c.epochs = 4;
        c.lr = 0.01;
        return c;
    }

    private static TrainingResult run(TrainingConfig c, RecordingBackend b) {
        try (b) {
            return new Trainer(c, null).train(b, DATA.train, DATA.validation, DATA.test);
        }
    }

    @Test
    void theLearningRateDecaysGeometricallyFromTheFirstEpoch() {
        TrainingConfig c = config();
        c.lrDecay = 0.5;
        c.lrBias = 0.004;
        RecordingBackend b = new RecordingBackend();
        TrainingResult r = run(c, b);
        assertThat(b.lrs).containsExactly(0.01f, 0.005f, 0.0025f, 0.00125f);
        assertThat(b.lrBiases).containsExactly(0.004f, 0.002f, 0.001f, 0.0005f);
        assertThat(r.history().stream().map(EpochRecord::lr).toList()).containsExactly(0.01, 0.005, 0.0025, 0.00125);
        c.lrDecay = 1;
        c.lrBias = Double.NaN;
        RecordingBackend flat = new RecordingBackend();
        run(c, flat);
        assertThat(flat.lrs).containsExactly(0.01f, 0.01f, 0.01f, 0.01f);
        assertThat(flat.lrBiases).as("NaN lr-bias means the factors' lr").containsExactly(0.01f, 0.01f, 0.01f, 0.01f);
    }

    @Test
    void everySgdEpochGetsItsOwnSeedAndTheSeedFollowsTheConfiguration() {
        RecordingBackend a = new RecordingBackend();
        TrainingResult r = run(config(), a);
        assertThat(a.calls.stream().filter("sgdEpoch"::equals).count()).isEqualTo(4);
        assertThat(new HashSet<>(a.seeds)).as("a different order every epoch").hasSize(4);
        RecordingBackend again = new RecordingBackend();
        run(config(), again);
        assertThat(again.seeds).isEqualTo(a.seeds);
        TrainingConfig other = config();
        other.seed = 43;
        RecordingBackend b = new RecordingBackend();
        run(other, b);
        assertThat(b.seeds).doesNotContainAnyElementsOf(a.seeds);
        assertThat(r.updates()).isEqualTo(4L * DATA.train.size());
        assertThat(r.epochsRun()).isEqualTo(4);
        assertThat(r.bestEpoch()).isEqualTo(4);
        assertThat(r.stoppedEarly()).isFalse();
    }

    @Test
    void miniBatchesAreShuffledEveryEpochAndCoverTheTrainingSetInOrder() {
        TrainingConfig c = config();
        c.epochs = 3;
        c.batchSize = 100;
        c.optimizer = Optimizer.ADAM;
        c.lr = 0.001;
        RecordingBackend b = new RecordingBackend();
        TrainingResult r = run(c, b);
        int n = DATA.train.size();
        List<String> expected = new ArrayList<>();
        expected.add("setModel");
        for (int e = 0; e < 3; e++) {
            expected.add("shuffle");
            for (int from = 0; from < n; from += 100) {
                expected.add("gradientStep " + from + ".." + Math.min(n, from + 100));
            }
        }
        expected.add("getModel");
        assertThat(b.calls).isEqualTo(expected);
        assertThat(new HashSet<>(b.seeds)).hasSize(3);
        int batches = (n + 99) / 100;
        for (int s = 0; s < b.steps.size(); s++) {
            OptimizerStep st = b.steps.get(s);
            assertThat(st.t()).as("Adam's global step").isEqualTo(s + 1);
            assertThat(st.kind()).isEqualTo(Optimizer.ADAM);
            assertThat(st.lr()).isEqualTo(0.001f);
            assertThat(st.beta1()).isEqualTo(0.9f);
            assertThat(st.beta2()).isEqualTo(0.999f);
            assertThat(st.epsilon()).isEqualTo(1e-8f);
        }
        assertThat(b.steps).hasSize(3 * batches);
        assertThat(r.updates()).isEqualTo(3L * n);
    }

    @Test
    void fullBatchIsOneStepAndAlsTwoHalfSweepsPerEpoch() {
        TrainingConfig c = config();
        c.epochs = 2;
        c.batchSize = 0;
        c.optimizer = Optimizer.MOMENTUM;
        c.momentum = 0.5;
        c.lr = 0.0005;
        RecordingBackend b = new RecordingBackend();
        TrainingResult r = run(c, b);
        int n = DATA.train.size();
        assertThat(b.calls).containsExactly("setModel", "gradientStep 0.." + n, "gradientStep 0.." + n, "getModel");
        assertThat(b.steps.get(0).momentum()).isEqualTo(0.5f);
        assertThat(b.steps.get(1).t()).isEqualTo(2);
        assertThat(r.updates()).isEqualTo(2L * n);

        TrainingConfig als = config();
        als.algorithm = Algorithm.ALS;
        als.epochs = 2;
        RecordingBackend a = new RecordingBackend();
        TrainingResult ra = run(als, a);
        assertThat(a.calls).containsExactly("setModel", "alsSweep USERS", "alsSweep ITEMS", "alsSweep USERS",
                "alsSweep ITEMS", "getModel");
        assertThat(ra.updates()).isEqualTo(4L * n);
    }

    @Test
    void theObjectiveHandedToTheBackendCarriesBothRegularizationWeights() {
        TrainingConfig c = config();
        c.epochs = 1;
        c.lambda = 0.3;
        c.lambdaBias = 0.7;
        c.regularization = Regularization.UNIFORM;
        RecordingBackend b = new RecordingBackend();
        run(c, b);
        assertThat(b.objectives).isNotEmpty().allMatch(o -> o.equals(new Objective(0.3, 0.7, Regularization.UNIFORM, true)));
        assertThat(c.objective()).isEqualTo(new Objective(0.3, 0.7, Regularization.UNIFORM, true));
        c.biases = false;
        assertThat(c.objective()).isEqualTo(new Objective(0.3, 0, Regularization.UNIFORM, false));
    }

    @Test
    void theInitialModelStartsAtTheMeanWithSeededFactorsOfTheConfiguredScale() {
        TrainingConfig c = config();
        c.epochs = 1;
        c.initScale = 0.5;
        FactorModel[] initial = new FactorModel[1];
        RecordingBackend b = new RecordingBackend() {
            @Override
            public void setModel(FactorModel model) {
                initial[0] = model.copy();
                super.setModel(model);
            }
        };
        TrainingResult r = run(c, b);
        FactorModel m = initial[0];
        double sum = 0;
        Ratings t = DATA.train;
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < t.size(); j++) {
            sum += t.value(j);
            min = Math.min(min, t.value(j));
            max = Math.max(max, t.value(j));
        }
        assertThat((double) m.mu).isCloseTo(sum / t.size(), org.assertj.core.data.Offset.offset(1e-5));
        assertThat(min).isGreaterThan(-100);
        assertThat(max).isLessThan(100);
        // the rating scale is the one the ratings declare (Planted: [-100, 100]), not the values seen
        assertThat(m.minRating).isEqualTo(-100f);
        assertThat(m.maxRating).isEqualTo(100f);
        assertThat(m.userBias).containsOnly(0f);
        assertThat(m.itemBias).containsOnly(0f);
        double sq = 0;
        for (float x : m.p) {
            sq += x * x;
        }
        for (float x : m.q) {
            sq += x * x;
        }
        double sd = Math.sqrt(sq / (m.p.length + m.q.length));
        assertThat(sd).isBetween(0.45, 0.55);
        assertThat(m.rank).isEqualTo(3);
        assertThat(r.model().userIds).isSameAs(t.userIds());
        assertThat(r.model().itemIds).isSameAs(t.itemIds());
        assertThat(r.model().provenance).containsEntry("backend", "recording").containsEntry("lr", "0.01")
                .containsEntry("rank", "3").containsKey("created");
        assertThat(r.backend()).isEqualTo("recording");
        assertThat(r.device()).isEqualTo("cpu");
        assertThat(r.trainSeconds()).isPositive();
        assertThat(r.history().get(0).elapsed()).isEqualTo(r.trainSeconds());
    }

    @Test
    void trainRmseComesFromTheObjectiveWhenNotEvaluatedSeparately() {
        TrainingConfig c = config();
        c.epochs = 2;
        c.evaluateTrain = false;
        TrainingResult r = run(c, new RecordingBackend());
        try (RecordingBackend b = new RecordingBackend()) {
            b.setModel(r.model());
            var set = b.upload(DATA.train);
            assertThat(r.last().trainRmse()).isCloseTo(b.loss(set, c.objective()).rmse(),
                    org.assertj.core.data.Offset.offset(1e-9));
            assertThat(r.last().objective()).isCloseTo(b.loss(set, c.objective()).value(),
                    org.assertj.core.data.Offset.offset(1e-6));
            assertThat(r.last().testRmse()).isCloseTo(b.evaluate(b.upload(DATA.test)).rmse(),
                    org.assertj.core.data.Offset.offset(1e-9));
            assertThat(r.last().testMae()).isCloseTo(b.evaluate(b.upload(DATA.test)).mae(),
                    org.assertj.core.data.Offset.offset(1e-9));
        }
    }

    @Test
    void missingSplitsAreReportedAsNaNAndAnEmptyTrainingSetIsRefused() {
        TrainingConfig c = config();
        c.epochs = 1;
        TrainingResult r;
        try (RecordingBackend b = new RecordingBackend()) {
            r = new Trainer(c, null).train(b, DATA.train, null, DATA.test.select(new int[0], 0));
        }
        assertThat(r.last().validationRmse()).isNaN();
        assertThat(r.last().testRmse()).isNaN();
        assertThat(r.last().testMae()).isNaN();
        Ratings empty = DATA.train.select(new int[0], 0);
        try (RecordingBackend b = new RecordingBackend()) {
            assertThatThrownBy(() -> new Trainer(c, null).train(b, empty, DATA.validation, DATA.test))
                    .isInstanceOf(LfmException.class).hasMessage("the training set is empty");
        }
        c.patience = 2;
        try (RecordingBackend b = new RecordingBackend()) {
            assertThatThrownBy(() -> new Trainer(c, null).train(b, DATA.train, DATA.validation.select(new int[0], 0),
                    DATA.test)).hasMessage("early stopping (--patience) needs a validation split: set --validation-fraction");
        }
    }

    @Test
    void listenerSeesEveryEpochInOrder() {
        List<Integer> seen = new ArrayList<>();
        try (RecordingBackend b = new RecordingBackend()) {
            new Trainer(config(), rec -> seen.add(rec.epoch())).train(b, DATA.train, DATA.validation, DATA.test);
        }
        assertThat(seen).containsExactly(1, 2, 3, 4);
    }

    @Test
    void earlyStoppingThatRunsOutOnTheLastEpochIsNotEarly() {
        TrainingConfig c = config();
        c.epochs = 3;
        c.patience = 1;
        c.lr = 1e-9; // nothing improves after the first epoch, in float32
        TrainingResult r = run(c, new RecordingBackend());
        assertThat(r.bestEpoch()).isLessThanOrEqualTo(r.epochsRun());
        assertThat(r.history().get(r.bestEpoch() - 1).validationRmse())
                .isEqualTo(r.history().stream().mapToDouble(EpochRecord::validationRmse).min().orElseThrow());
        assertThat(r.stoppedEarly()).isEqualTo(r.epochsRun() < 3);
    }

    @Test
    void resultTotals() {
        TrainingResult r = new TrainingResult(null, List.of(new EpochRecord(1, 9, 3, 2, 1, 0.5, 1, 1, 0.1),
                new EpochRecord(2, 4, 2, 1, 0.5, 0.25, 1, 2, 0.1)), 1, true, 10, 2, "cpu", "x", null);
        assertThat(r.best().objective()).isEqualTo(9);
        assertThat(r.last().objective()).isEqualTo(4);
        assertThat(r.updatesPerSecond()).isEqualTo(5);
        assertThat(new TrainingResult(null, List.of(), 0, false, 10, 0, "cpu", "x", null).updatesPerSecond()).isNaN();
    }

    @Test
    void evaluationPassesFollowTheSetsThatExistAndTheTrainFlag() {
        TrainingConfig c = config();
        c.epochs = 2;
        RecordingBackend all = new RecordingBackend();
        run(c, all);
        assertThat(all.evaluations).as("train, validation, test per epoch").isEqualTo(6);
        c.evaluateTrain = false;
        RecordingBackend noTrain = new RecordingBackend();
        run(c, noTrain);
        assertThat(noTrain.evaluations).isEqualTo(4);
        RecordingBackend noTest = new RecordingBackend();
        try (noTest) {
            new Trainer(c, null).train(noTest, DATA.train, DATA.validation, DATA.test.select(new int[0], 0));
        }
        assertThat(noTest.evaluations).as("an empty test set is not evaluated").isEqualTo(2);
    }

    @Test
    void aRunThatNeverImprovesStopsAfterExactlyPatienceEpochsAndKeepsTheFirst() {
        // biases off and a step far below float32 resolution: every epoch's validation RMSE is exactly the first's
        TrainingConfig c = config();
        c.biases = false;
        c.lr = 1e-12;
        c.patience = 2;
        c.epochs = 10;
        TrainingResult r = run(c, new RecordingBackend());
        assertThat(r.history().get(1).validationRmse()).isEqualTo(r.history().get(0).validationRmse());
        assertThat(r.bestEpoch()).isEqualTo(1);
        assertThat(r.epochsRun()).isEqualTo(3);
        assertThat(r.stoppedEarly()).isTrue();
        c.epochs = 3;
        TrainingResult last = run(c, new RecordingBackend());
        assertThat(last.epochsRun()).isEqualTo(3);
        assertThat(last.stoppedEarly()).as("patience ran out on the last epoch").isFalse();
    }

    @Test
    void aBatchAsLargeAsTheDataIsFullBatchAndBatchesThatDivideItHaveNoEmptyTail() {
        int[] first200 = new int[200];
        for (int j = 0; j < 200; j++) {
            first200[j] = j;
        }
        Ratings two = DATA.train.select(first200, 200);
        TrainingConfig c = config();
        c.epochs = 1;
        c.batchSize = 200;
        RecordingBackend whole = new RecordingBackend();
        try (whole) {
            new Trainer(c, null).train(whole, two, null, null);
        }
        assertThat(whole.calls).containsExactly("setModel", "gradientStep 0..200", "getModel");
        c.batchSize = 50;
        RecordingBackend quarters = new RecordingBackend();
        try (quarters) {
            new Trainer(c, null).train(quarters, two, null, null);
        }
        assertThat(quarters.calls).containsExactly("setModel", "shuffle", "gradientStep 0..50", "gradientStep 50..100",
                "gradientStep 100..150", "gradientStep 150..200", "getModel");
    }

    @Test
    void epochSecondsAreBoundedByTheWallClock() {
        long t0 = System.nanoTime();
        TrainingResult r = run(config(), new RecordingBackend());
        double wall = (System.nanoTime() - t0) / 1e9;
        assertThat(r.trainSeconds()).isPositive().isLessThanOrEqualTo(wall);
        double sum = r.history().stream().mapToDouble(EpochRecord::seconds).sum();
        assertThat(sum).isCloseTo(r.trainSeconds(), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(r.history()).allSatisfy(e -> assertThat(e.seconds()).isPositive().isLessThanOrEqualTo(wall));
    }
}
