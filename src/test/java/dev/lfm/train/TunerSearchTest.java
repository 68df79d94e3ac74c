package dev.lfm.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lfm.LfmException;
import dev.lfm.compute.Backend;
import dev.lfm.compute.Optimizer;
import dev.lfm.compute.cpu.CpuBackend;
import dev.lfm.data.IdMap;
import dev.lfm.data.Ratings;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The tuner's search, budget and final model on a {@link SimulatedClock} (one epoch = one second): what a budget
 * allows is exact, so these tests check successive halving, the deadline and the retrain reserve deterministically.
 */
class TunerSearchTest {
    private static final Planted DATA = new Planted(100, 60, 3, 0.3, 0.8, 5); // noisy: longer trials over-fit
    private static final double MARGIN = 0.95; // the documented share of the budget the search may use

    private static Tuner.Options halving(double budget, int maxEpochs) {
        Tuner.Options o = new Tuner.Options().budget(budget);
        o.configsPerBracket = 9;
        o.eta = 3;
        o.sgdMinEpochs = 3;
        o.sgdMaxEpochs = maxEpochs;
        o.patience = 1; // short: some trials stop early below their budget
        return o;
    }

    private static Tuner.Result tune(Tuner.Options o, SimulatedClock clock, List<Tuner.Trial> seen) {
        return new Tuner(o, seen::add, clock).tune(clock, DATA.train, DATA.validation);
    }

    private static boolean stoppedEarly(Tuner.Trial t) {
        return !t.cutByBudget() && !t.diverged() && t.epochsRun() < t.epochBudget();
    }

    /** Start times on the simulated clock: only epochs take time, so trial i starts when trials 1..i−1 ended. */
    private static double[] starts(List<Tuner.Trial> trials) {
        double[] s = new double[trials.size() + 1];
        for (int j = 0; j < trials.size(); j++) {
            s[j + 1] = s[j] + trials.get(j).seconds();
        }
        return s;
    }

    /**
     * Replays successive halving from the trial records alone: rung L + 1 of a bracket holds the best ⌊n/η⌋ of
     * rung L by validation RMSE (a configuration that stopped early below its budget is carried over, not rerun),
     * budgets are min(max, min·η^L), and a bracket ends at one configuration or when the budget stops growing.
     */
    private static void checkHalving(List<Tuner.Trial> trials, Tuner.Options o) {
        int j = 0;
        while (j < trials.size()) {
            int bracket = trials.get(j).bracket();
            List<TrainingConfig> expected = null; // configurations of the current rung, in order; null: rung 0
            Map<TrainingConfig, Tuner.Trial> settled = new IdentityHashMap<>();
            for (int level = 0; ; level++) {
                int budget = (int) Math.min(o.sgdMaxEpochs, o.sgdMinEpochs * Math.pow(o.eta, level));
                List<Tuner.Trial> done = new ArrayList<>();
                int size = expected == null ? o.configsPerBracket : expected.size();
                for (int c = 0; c < size; c++) {
                    if (expected != null && settled.containsKey(expected.get(c))) {
                        done.add(settled.get(expected.get(c)));
                        continue;
                    }
                    if (j == trials.size()) {
                        return; // the budget ran out inside this rung
                    }
                    Tuner.Trial t = trials.get(j++);
                    assertThat(t.id()).isEqualTo(j);
                    assertThat(t.bracket()).isEqualTo(bracket);
                    assertThat(t.rung()).isEqualTo(level);
                    assertThat(t.epochBudget()).isEqualTo(budget);
                    assertThat(t.epochsRun()).isLessThanOrEqualTo(budget);
                    if (expected != null) {
                        assertThat(t.config()).as("trial %d", t.id()).isSameAs(expected.get(c));
                    }
                    if (stoppedEarly(t)) {
                        settled.put(t.config(), t);
                    }
                    done.add(t);
                }
                int keep = size / o.eta;
                int next = (int) Math.min(o.sgdMaxEpochs, o.sgdMinEpochs * Math.pow(o.eta, level + 1));
                if (keep == 0 || next == budget) {
                    break;
                }
                expected = done.stream().filter(t -> Double.isFinite(t.validationRmse()))
                        .sorted(Comparator.comparingDouble(Tuner.Trial::validationRmse)).limit(keep)
                        .map(Tuner.Trial::config).toList();
            }
            assertThat(j == trials.size() || trials.get(j).bracket() == bracket + 1).isTrue();
        }
    }

    @Test
    void successiveHalvingPromotesTheBestThirdUntilTheBudgetEnds() {
        for (int maxEpochs : new int[] {20, 9}) {
            SimulatedClock clock = new SimulatedClock();
            clock.now = 1000 * SimulatedClock.SECOND; // the budget is measured from the call, not from the origin
            List<Tuner.Trial> seen = new ArrayList<>();
            Tuner.Options o = halving(150, maxEpochs).finalTraining(Tuner.FinalTraining.KEEP_BEST_TRIAL);
            Tuner.Result r = tune(o, clock, seen);
            List<Tuner.Trial> trials = r.trials();
            assertThat(seen).isEqualTo(trials);
            checkHalving(trials, o);
            assertThat(trials.stream().mapToInt(Tuner.Trial::rung).max().getAsInt()).isEqualTo(maxEpochs == 20 ? 2 : 1);
            assertThat(trials.get(trials.size() - 1).bracket()).as("brackets repeat").isGreaterThan(1);
            assertThat(trials).anySatisfy(t -> assertThat(stoppedEarly(t)).isTrue());

            // every trial starts before the deadline, and the search stops only when the next could not
            double[] start = starts(trials);
            double deadline = MARGIN * 150;
            for (int j = 0; j < trials.size(); j++) {
                assertThat(start[j]).as("start of trial %d", j + 1).isLessThan(deadline);
                assertThat(trials.get(j).cutByBudget()).isEqualTo(j == trials.size() - 1 && trials.get(j).cutByBudget());
            }
            Tuner.Trial last = trials.get(trials.size() - 1);
            double end = start[trials.size()];
            assertThat(last.cutByBudget() || end >= deadline).isTrue();
            if (last.cutByBudget()) {
                // cut after the first epoch that ends within one (1 s) epoch of the deadline: its last epoch started
                // before the deadline (a trial started just before it runs one epoch past it), the next would not fit
                assertThat(end - 1).isLessThan(deadline);
                assertThat(end).isGreaterThanOrEqualTo(deadline - 1);
            }
            // the whole call: exactly the trials' simulated time (no retrain here)
            assertThat(r.seconds()).isEqualTo(end);
            assertThat(clock.seconds()).isEqualTo(1000 + end);

            // the choice: the lowest finite validation RMSE of all trials, with its best epoch count
            Tuner.Trial best = trials.stream().filter(t -> Double.isFinite(t.validationRmse()))
                    .min(Comparator.comparingDouble(Tuner.Trial::validationRmse)).orElseThrow();
            assertThat(r.bestTrial()).isSameAs(best);
            assertThat(r.validationRmse()).isEqualTo(best.validationRmse());
            assertThat(r.best().epochs).isEqualTo(Math.max(1, best.bestEpoch()));
            assertThat(r.best().patience).isZero();
            assertThat(r.best().rank).isEqualTo(best.config().rank).isNotEqualTo(TrainingConfig.RANK_AUTO);
            assertThat(r.best().lambda).isEqualTo(best.config().lambda);
            assertThat(r.finalTraining()).isEqualTo(Tuner.FinalTraining.KEEP_BEST_TRIAL);
            assertThat(trials.stream().filter(t -> Double.isFinite(t.validationRmse())))
                    .allSatisfy(t -> assertThat(t.validationRmse()).isGreaterThanOrEqualTo(best.validationRmse()));
            // the kept model is that trial's: the same configuration trained again with the same data gives it
            try (Backend b = new CpuBackend(1)) {
                TrainingConfig again = best.config().copy();
                again.epochs = best.epochBudget();
                again.patience = o.patience;
                again.seed = o.seed;
                TrainingResult t = new Trainer(again, null).train(b, DATA.train, DATA.validation, null);
                assertThat(t.bestEpoch()).isEqualTo(best.bestEpoch());
                assertThat(t.model().p).isEqualTo(r.model().p);
                assertThat(t.model().userBias).isEqualTo(r.model().userBias);
            }
        }
    }

    /** {@code r} with every rating multiplied by {@code f} (and its scale with it). */
    private static Ratings scaled(Ratings r, float f) {
        float[] v = new float[r.size()];
        for (int j = 0; j < v.length; j++) {
            v[j] = r.value(j) * f;
        }
        return new Ratings(r.numUsers(), r.numItems(), r.users(), r.items(), v, r.size(), r.userIds(), r.itemIds(),
                r.minRating() * f, r.maxRating() * f);
    }

    @Test
    void divergedTrialsAreRecordedAndNeverPromoted() {
        // ratings ×100 under plain SGD: most sampled learning rates diverge, a few do not
        Tuner.Options o = halving(80, 20).base(TrainingConfig.defaults(Algorithm.GD, Optimizer.SGD))
                .finalTraining(Tuner.FinalTraining.KEEP_BEST_TRIAL);
        SimulatedClock clock = new SimulatedClock();
        Tuner.Result r = new Tuner(o, null, clock).tune(clock, scaled(DATA.train, 100), scaled(DATA.validation, 100));
        List<Tuner.Trial> trials = r.trials();
        assertThat(trials.stream().filter(Tuner.Trial::diverged).count()).isGreaterThan(trials.size() / 2);
        assertThat(trials).filteredOn(Tuner.Trial::diverged).allSatisfy(t -> {
            assertThat(t.validationRmse()).isNaN();
            assertThat(t.cutByBudget()).isFalse();
        });
        // a rung keeps only finite trials, even when fewer than a third of the rung below are finite
        assertThat(trials).anySatisfy(t -> assertThat(t.rung()).isEqualTo(1));
        checkHalving(trials, o);
        assertThat(r.bestTrial().diverged()).isFalse();
        assertThat(r.validationRmse()).isFinite();
    }

    @Test
    void theFirstTrialIsThePlainDefaults() {
        SimulatedClock clock = new SimulatedClock();
        Tuner.Result r = tune(halving(30, 9), clock, new ArrayList<>());
        TrainingConfig first = r.trials().get(0).config();
        TrainingConfig d = TrainingConfig.defaults();
        assertThat(first.algorithm).isEqualTo(Algorithm.GD);
        // the automatic rank, recorded as the rank the trial's race chose (the retrain has no validation to race on)
        assertThat(first.rank).isIn(java.util.Arrays.stream(TrainingConfig.AUTO_RANKS).boxed().toArray());
        assertThat(first.lr).as("lfm train's own learning rate for its optimizer").isEqualTo(d.lr);
        assertThat(first.lambda).isEqualTo(TrainingConfig.defaultLambda(DATA.train));
        assertThat(first.lambdaBias).isEqualTo(d.lambdaBias);
        assertThat(first.optimizer).isEqualTo(d.optimizer);
        assertThat(first.epochs).isEqualTo(d.epochs); // the trial's budget is set on a copy
        // with ALS: ALS's defaults
        SimulatedClock c2 = new SimulatedClock();
        Tuner.Options o = halving(30, 9).algorithms(Tuner.Algorithms.ALS);
        TrainingConfig als = new Tuner(o, null, c2).tune(c2, DATA.train, DATA.validation).trials().get(0).config();
        assertThat(als.algorithm).isEqualTo(Algorithm.ALS);
        assertThat(als.rank).isEqualTo(TrainingConfig.DEFAULT_ALS_RANK);
        assertThat(als.lambdaBias).isEqualTo(TrainingConfig.DEFAULT_ALS_LAMBDA_BIAS);
    }

    @Test
    void retrainingReservesItsTimeAndTrainsOnTrainingPlusValidation() {
        // the usual 8:1 split, and a validation set 4× the training set (the retrain then sees 5× the data)
        Ratings smallTrain = Tuner.concat(DATA.validation, DATA.test);
        Ratings[][] pairs = {{DATA.train, DATA.validation}, {smallTrain, DATA.train}};
        for (Ratings[] pair : pairs) {
            for (double budget : new double[] {60, 100, 140, 190}) {
                checkReserve(pair[0], pair[1], budget);
            }
        }
    }

    private static void checkReserve(Ratings train, Ratings validation, double budget) {
        SimulatedClock clock = new SimulatedClock(2 * SimulatedClock.SECOND); // 2 s an epoch: reserve ≠ epochs
        Tuner.Options o = halving(budget, 20);
        assertThat(o.finalTraining).isEqualTo(Tuner.FinalTraining.RETRAIN_ON_ALL); // the default
        Tuner.Result r = new Tuner(o, null, clock).tune(clock, train, validation);
        List<Tuner.Trial> trials = r.trials();
        double[] start = starts(trials);
        double end = MARGIN * budget;
        double share = 1 + validation.size() / (double) train.size();
        // the documented reserve: 1.5 × the best trial's seconds per epoch × its best epoch × the data's growth
        Tuner.Trial best = null;
        double reserve = 0;
        for (int j = 0; j < trials.size(); j++) {
            assertThat(start[j]).as("trial %d starts before the deadline less the reserve", j + 1)
                    .isLessThan(end - reserve);
            Tuner.Trial t = trials.get(j);
            if (Double.isFinite(t.validationRmse()) && (best == null || t.validationRmse() < best.validationRmse())) {
                best = t;
                reserve = 1.5 * t.seconds() / Math.max(1, t.epochsRun()) * t.bestEpoch() * share;
            }
        }
        Tuner.Trial last = trials.get(trials.size() - 1);
        double searchEnd = start[trials.size()];
        assertThat(last.cutByBudget() || searchEnd >= end - reserve).as("stops only when the next trial may not start")
                .isTrue();
        assertThat(r.bestTrial()).isSameAs(best);
        // the retrain: best epoch count, on training + validation, two simulated seconds an epoch
        assertThat(r.best().epochs).isEqualTo(Math.max(1, best.bestEpoch()));
        assertThat(r.seconds()).isEqualTo(searchEnd + 2 * r.best().epochs);
        assertThat(r.seconds()).as("the whole call fits the budget").isLessThanOrEqualTo(budget);
        try (Backend b = new CpuBackend(1)) {
            Ratings all = Tuner.concat(train, validation);
            TrainingResult again = new Trainer(r.best(), null).train(b, all, null, null);
            assertThat(again.model().p).isEqualTo(r.model().p);
            assertThat(again.epochsRun()).isEqualTo(r.best().epochs);
            assertThat(again.updates()).isEqualTo((long) r.best().epochs * all.size());
        }
    }

    @Test
    void aBudgetThatNoTrialFitsIsAnErrorThatSaysSo() {
        SimulatedClock clock = new SimulatedClock();
        // the first trial (the defaults: 2 × 3 rank-probe epochs, then its own) is cut after its first epoch, 7 s in
        assertThatThrownBy(() -> tune(halving(1, 9), clock, new ArrayList<>())).isInstanceOf(LfmException.class)
                .hasMessage("tuning: no trial finished with a finite validation RMSE within 1.0 s (raise --budget)");
        assertThat(clock.seconds()).isEqualTo(7.0);
    }

    @Test
    void tuningNeedsTrainingAndValidationRatings() {
        Ratings empty = DATA.train.select(new int[0], 0);
        Tuner tuner = new Tuner(halving(10, 9), null, new SimulatedClock());
        try (Backend b = new CpuBackend(1)) {
            for (Ratings t : new Ratings[] {null, empty}) {
                assertThatThrownBy(() -> tuner.tune(b, t, DATA.validation)).isInstanceOf(LfmException.class)
                        .hasMessage("tuning needs a non-empty training set");
            }
            for (Ratings v : new Ratings[] {null, empty}) {
                assertThatThrownBy(() -> tuner.tune(b, DATA.train, v)).isInstanceOf(LfmException.class)
                        .hasMessage("tuning needs a validation split: set --validation-fraction (or use --folds)");
            }
        }
    }

    @Test
    void optionsAreValidatedAtTheirBoundaries() {
        String search = "tuner: configsPerBracket >= 1, eta >= 2, patience >= 1, min epochs >= 1";
        for (double bad : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThatThrownBy(() -> new Tuner(new Tuner.Options().budget(bad), null)).isInstanceOf(LfmException.class)
                    .hasMessage("--budget must be a positive number of seconds (got " + bad + ")");
        }
        new Tuner(new Tuner.Options().budget(Double.MIN_VALUE), null);
        String[] fields = {"configsPerBracket", "eta", "patience", "sgdMinEpochs", "alsMinEpochs"};
        int[] lowest = {1, 2, 1, 1, 1};
        for (int f = 0; f < fields.length; f++) {
            Tuner.Options ok = new Tuner.Options();
            set(ok, fields[f], lowest[f]);
            new Tuner(ok, null);
            Tuner.Options bad = new Tuner.Options();
            set(bad, fields[f], lowest[f] - 1);
            assertThatThrownBy(() -> new Tuner(bad, null)).as(fields[f]).isInstanceOf(LfmException.class)
                    .hasMessage(search);
        }
    }

    private static void set(Tuner.Options o, String field, int value) {
        switch (field) {
            case "configsPerBracket" -> o.configsPerBracket = value;
            case "eta" -> o.eta = value;
            case "patience" -> o.patience = value;
            case "sgdMinEpochs" -> o.sgdMinEpochs = value;
            default -> o.alsMinEpochs = value;
        }
    }

    @Test
    void fluentSettersSetTheirField() {
        TrainingConfig base = TrainingConfig.defaults(Algorithm.ALS);
        Tuner.Options o = new Tuner.Options().budget(7).algorithms(Tuner.Algorithms.BOTH)
                .finalTraining(Tuner.FinalTraining.KEEP_BEST_TRIAL).seed(9).base(base);
        assertThat(o.budgetSeconds).isEqualTo(7);
        assertThat(o.algorithms).isEqualTo(Tuner.Algorithms.BOTH);
        assertThat(o.finalTraining).isEqualTo(Tuner.FinalTraining.KEEP_BEST_TRIAL);
        assertThat(o.seed).isEqualTo(9);
        assertThat(o.base).isNotSameAs(base);
        assertThat(o.base.algorithm).isEqualTo(Algorithm.ALS);
    }

    @Test
    void algorithmsParseCaseAndSpaceInsensitively() {
        assertThat(Tuner.Algorithms.parse(" Both ")).isEqualTo(Tuner.Algorithms.BOTH);
        assertThat(Tuner.Algorithms.parse("als")).isEqualTo(Tuner.Algorithms.ALS);
        assertThat(Tuner.Algorithms.parse("SGD")).isEqualTo(Tuner.Algorithms.SGD);
        assertThatThrownBy(() -> Tuner.Algorithms.parse("gd")).isInstanceOf(LfmException.class)
                .hasMessage("algorithm must be sgd, als or both (got 'gd')");
    }

    @Test
    void aTrialDescribesItsSearchedParameters() {
        TrainingConfig c = TrainingConfig.defaults();
        c.rank = 32;
        c.lambda = 0.08123;
        c.lambdaBias = 0.01344;
        c.lr = 0.009123;
        Tuner.Trial t = new Tuner.Trial(1, 1, 0, c, 10, 10, 10, 0.9, 1, false, false);
        assertThat(t.describe()).isEqualTo("sgd-adagrad k=32 λ=0.08123 λ_b=0.01344 lr=0.009123");
        TrainingConfig a = TrainingConfig.defaults(Algorithm.ALS);
        a.lambda = 0.5;
        assertThat(new Tuner.Trial(2, 1, 0, a, 3, 3, 3, 0.9, 1, false, false).describe())
                .isEqualTo("als k=32 λ=0.5000 λ_b=0.1000");
    }

    /** Fraction of {@code xs} below the geometric middle of [lo, hi]: about ½ for a log-uniform draw. */
    private static void checkLogUniform(double[] xs, double lo, double hi, String what) {
        double mid = Math.sqrt(lo * hi);
        int below = 0;
        double q1 = Math.pow(lo, 0.75) * Math.pow(hi, 0.25);
        int belowQ1 = 0;
        for (double x : xs) {
            assertThat(x).as(what).isBetween(lo, hi);
            below += x < mid ? 1 : 0;
            belowQ1 += x < q1 ? 1 : 0;
        }
        assertThat(below / (double) xs.length).as(what + " below the geometric middle").isBetween(0.45, 0.55);
        assertThat(belowQ1 / (double) xs.length).as(what + " in the lowest quarter (log scale)").isBetween(0.2, 0.3);
    }

    @Test
    void samplesAreLogUniformInTheDocumentedRangesAndBothAlternates() {
        int n = 2000;
        for (Optimizer opt : new Optimizer[] {Optimizer.ADAGRAD, Optimizer.SGD}) {
            TrainingConfig base = TrainingConfig.defaults();
            base.optimizer = opt;
            base.batchSize = 1;
            Tuner sgd = new Tuner(new Tuner.Options().base(base), null);
            double[] rank = new double[n];
            double[] lambda = new double[n];
            double[] lambdaBias = new double[n];
            double[] lr = new double[n];
            SplittableRandom rnd = new SplittableRandom(1);
            for (int j = 0; j < n; j++) {
                TrainingConfig c = sgd.sample(rnd, j, DATA.train);
                assertThat(c.algorithm).isEqualTo(Algorithm.GD);
                assertThat(c.optimizer).isEqualTo(opt);
                assertThat(c.rank).isEqualTo((int) Math.round(c.rank)).isBetween(4, 256);
                rank[j] = c.rank;
                lambda[j] = c.lambda;
                lambdaBias[j] = c.lambdaBias;
                lr[j] = c.lr;
            }
            checkLogUniform(lambda, 0.003, 0.3, "sgd λ");
            checkLogUniform(lambdaBias, 0.001, 0.3, "sgd λ_b");
            if (opt == Optimizer.ADAGRAD) {
                checkLogUniform(lr, 0.01, 0.3, "adagrad lr");
            } else {
                checkLogUniform(lr, 0.002, 0.05, "plain sgd lr");
            }
            assertThat(java.util.Arrays.stream(rank).filter(k -> k < 32).count() / (double) n).isBetween(0.45, 0.55);
        }
        Tuner als = new Tuner(new Tuner.Options().algorithms(Tuner.Algorithms.ALS), null);
        double[] lambda = new double[n];
        double[] lambdaBias = new double[n];
        SplittableRandom rnd = new SplittableRandom(2);
        for (int j = 0; j < n; j++) {
            TrainingConfig c = als.sample(rnd, j, DATA.train);
            assertThat(c.algorithm).isEqualTo(Algorithm.ALS);
            assertThat(c.lr).isEqualTo(TrainingConfig.defaults().lr); // not searched
            lambda[j] = c.lambda;
            lambdaBias[j] = c.lambdaBias;
        }
        checkLogUniform(lambda, 0.01, 1, "als λ");
        checkLogUniform(lambdaBias, 0.001, 1, "als λ_b");
        Tuner both = new Tuner(new Tuner.Options().algorithms(Tuner.Algorithms.BOTH), null);
        for (int j = 0; j < 6; j++) {
            assertThat(both.sample(rnd, j, DATA.train).algorithm).isEqualTo(j % 2 == 0 ? Algorithm.GD : Algorithm.ALS);
        }
    }

    @Test
    void bothSearchesSgdAndAlsWithEachAlgorithmsEpochBudget() {
        SimulatedClock clock = new SimulatedClock();
        // 120 s: the defaults trial (its rank race included) wins rung 0 and reserves its retrain's time
        Tuner.Options o = new Tuner.Options().budget(120).algorithms(Tuner.Algorithms.BOTH);
        o.configsPerBracket = 6;
        Tuner.Result r = new Tuner(o, null, clock).tune(clock, DATA.train, DATA.validation);
        List<Tuner.Trial> rung0 = r.trials().stream().filter(t -> t.bracket() == 1 && t.rung() == 0).toList();
        assertThat(rung0).hasSize(6);
        for (int j = 0; j < rung0.size(); j++) {
            Tuner.Trial t = rung0.get(j);
            assertThat(t.config().algorithm).isEqualTo(j % 2 == 0 ? Algorithm.GD : Algorithm.ALS);
            assertThat(t.epochBudget()).isEqualTo(j % 2 == 0 ? o.sgdMinEpochs : o.alsMinEpochs);
        }
        // rung 1 (6 / 3 = 2 promoted) gives each its own algorithm's next budget
        r.trials().stream().filter(t -> t.bracket() == 1 && t.rung() == 1).forEach(t -> assertThat(t.epochBudget())
                .isEqualTo(t.config().algorithm == Algorithm.ALS ? 3 * o.alsMinEpochs : 3 * o.sgdMinEpochs));
    }

    @Test
    void concatKeepsTheFirstSetsIdsAndTheUnionOfShapeAndScale() {
        IdMap users = IdMap.identity(4);
        IdMap items = IdMap.identity(5);
        Ratings a = new Ratings(3, 5, new int[] {0, 2}, new int[] {1, 4}, new float[] {2, 3}, 2, users, items, 1, 4);
        Ratings b = new Ratings(4, 2, new int[] {3, 1, 0}, new int[] {0, 1, 0}, new float[] {5, 0.5f, 1}, 3, users,
                items, 0.5f, 5);
        Ratings c = Tuner.concat(a, b);
        assertThat(c.size()).isEqualTo(5);
        assertThat(c.numUsers()).isEqualTo(4);
        assertThat(c.numItems()).isEqualTo(5);
        assertThat(java.util.Arrays.copyOf(c.users(), 5)).containsExactly(0, 2, 3, 1, 0);
        assertThat(java.util.Arrays.copyOf(c.items(), 5)).containsExactly(1, 4, 0, 1, 0);
        assertThat(java.util.Arrays.copyOf(c.values(), 5)).containsExactly(2, 3, 5, 0.5f, 1);
        assertThat(c.minRating()).isEqualTo(0.5f);
        assertThat(c.maxRating()).isEqualTo(5);
        assertThat(c.userIds()).isSameAs(users);
        assertThat(c.itemIds()).isSameAs(items);
        Ratings d = Tuner.concat(b, a);
        assertThat(d.numUsers()).isEqualTo(4);
        assertThat(d.numItems()).isEqualTo(5);
        assertThat(d.minRating()).isEqualTo(0.5f);
        assertThat(d.maxRating()).isEqualTo(5);
    }
}
