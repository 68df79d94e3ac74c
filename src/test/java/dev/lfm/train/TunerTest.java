package dev.lfm.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lfm.compute.Backend;
import dev.lfm.compute.cpu.CpuBackend;
import dev.lfm.data.Ratings;
import dev.lfm.data.Split;
import dev.lfm.data.Splits;
import dev.lfm.data.SyntheticRatings;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class TunerTest {
    /** The seed chapter's tiny problem: 100 users x 60 items, true rank 4, 20% observed. */
    private static Split tiny() {
        SyntheticRatings g = SyntheticRatings.generate(SyntheticRatings.Config.ofDensity(100, 60, 4, 0.2));
        return Splits.random(g.ratings(), 0.2, 0.15, 7);
    }

    private static double testRmse(Backend b, dev.lfm.model.FactorModel m, Ratings test) {
        b.setModel(m);
        return b.evaluate(b.upload(test)).rmse();
    }

    @Test
    void neverReadsTheTestSplitBecauseItIsNeverGivenOne() {
        // the API takes only train and validation; a poisoned test set (NaN ratings) sits beside them and the
        // result must not depend on it: tuning twice, with a clean and with a poisoned test set in scope, agree
        Split s = tiny();
        Ratings poisoned = new Ratings(s.test().numUsers(), s.test().numItems(), s.test().users(), s.test().items(),
                nanValues(s.test().size()), s.test().size(), s.test().userIds(), s.test().itemIds(), 1, 5);
        try (SimulatedClock b = new SimulatedClock()) {
            Tuner.Options o = new Tuner.Options().budget(60); // simulated seconds: 60 epochs of search
            o.configsPerBracket = 9;
            Tuner.Result r = new Tuner(o, null, b).tune(b, s.train(), s.validation());
            assertThat(r.trials()).isNotEmpty();
            assertThat(r.validationRmse()).isFinite();
            assertThat(r.trials()).allSatisfy(t -> assertThat(t.config()).isNotNull());
            // the model predicts the poisoned set's positions as well as the clean one's: it never saw either
            assertThat(testRmse(b, r.model(), poisoned)).isNaN();
            assertThat(testRmse(b, r.model(), s.test())).isFinite();
        }
    }

    private static float[] nanValues(int n) {
        float[] v = new float[n];
        java.util.Arrays.fill(v, Float.NaN);
        return v;
    }

    @Test
    void respectsTheBudget() {
        // on the simulated clock (one epoch = one second) the budget is exact: search and final training together
        // end within it, on any machine and under any load
        Split s = tiny();
        for (Tuner.FinalTraining f : Tuner.FinalTraining.values()) {
            try (SimulatedClock b = new SimulatedClock()) {
                List<Tuner.Trial> seen = new ArrayList<>();
                Tuner.Result r = new Tuner(new Tuner.Options().budget(60).finalTraining(f)
                        .algorithms(Tuner.Algorithms.BOTH), seen::add, b).tune(b, s.train(), s.validation());
                assertThat(r.seconds()).as("simulated seconds, " + f).isEqualTo(b.seconds()).isLessThanOrEqualTo(60);
                assertThat(seen).hasSameSizeAs(r.trials()).hasSizeGreaterThan(3);
                assertThat(r.trials().stream().map(t -> t.config().algorithm).distinct()).hasSize(2);
            }
        }
    }

    /**
     * The production clock is the wall clock: the call's seconds are measured and lie within the time around it.
     * Tagged {@code wallclock} (it takes real time, half a second), so the mutation profile leaves it out; it has no
     * speed target.
     */
    @Test
    @Tag("wallclock")
    void theDefaultClockIsTheWallClock() {
        Split s = tiny();
        try (Backend b = new CpuBackend(1)) {
            long t0 = System.nanoTime();
            Tuner.Result r = new Tuner(new Tuner.Options().budget(0.5).finalTraining(Tuner.FinalTraining.KEEP_BEST_TRIAL),
                    null).tune(b, s.train(), s.validation());
            double wall = (System.nanoTime() - t0) / 1e9;
            assertThat(r.trials()).isNotEmpty();
            assertThat(r.seconds()).isPositive().isLessThanOrEqualTo(wall);
            assertThat(r.trials()).allSatisfy(t -> assertThat(t.seconds()).isPositive().isLessThanOrEqualTo(wall));
        }
    }

    @Test
    void tinyProblemIsNoWorseThanBiasesAlone() {
        Split s = tiny();
        try (Backend b = new CpuBackend(1)) {
            // baseline: μ + b_u + b_i, fitted by lfm (ALS with the factors regularized to zero), λ_b chosen on validation
            double bestVal = Double.POSITIVE_INFINITY;
            double baselineTest = Double.NaN;
            for (double lb : new double[] {0.01, 0.03, 0.1, 0.3, 1, 3}) {
                TrainingConfig c = TrainingConfig.defaults(Algorithm.ALS);
                c.rank = 1;
                c.lambda = 1e9;
                c.lambdaBias = lb;
                c.patience = 0;
                c.epochs = 10;
                TrainingResult r = new Trainer(c, null).train(b, s.train(), s.validation(), s.test());
                for (float x : r.model().p) {
                    assertThat(Math.abs(x)).isLessThan(1e-6f);
                }
                if (r.last().validationRmse() < bestVal) {
                    bestVal = r.last().validationRmse();
                    baselineTest = r.last().testRmse();
                }
            }
            for (Tuner.Algorithms a : Tuner.Algorithms.values()) {
                SimulatedClock clock = new SimulatedClock(); // a budget of 70 epochs, the same on any machine
                Tuner.Result t = new Tuner(new Tuner.Options().budget(70).algorithms(a), null, clock)
                        .tune(clock, s.train(), s.validation());
                assertThat(testRmse(b, t.model(), s.test())).as(a.toString()).isLessThanOrEqualTo(baselineTest * 1.01);
            }
        }
    }

    @Test
    void chosenConfigurationRetrainsToTheReturnedModel() {
        Split s = tiny();
        try (SimulatedClock b = new SimulatedClock()) {
            Tuner.Result r = new Tuner(new Tuner.Options().budget(30).finalTraining(Tuner.FinalTraining.KEEP_BEST_TRIAL),
                    null, b).tune(b, s.train(), s.validation());
            TrainingResult again = new Trainer(r.best(), null).train(b, s.train(), s.validation(), null);
            assertThat(again.model().p).isEqualTo(r.model().p);
            assertThat(again.last().validationRmse()).isEqualTo(r.validationRmse());
        }
    }
}
