package dev.lfm.experiment;

import dev.lfm.LfmException;
import dev.lfm.OrderedMap;
import dev.lfm.data.Ratings;
import dev.lfm.report.Charts;
import dev.lfm.report.Table;
import dev.lfm.train.Algorithm;
import dev.lfm.train.DivergenceException;
import dev.lfm.train.EpochRecord;
import dev.lfm.compute.Optimizer;
import dev.lfm.train.TrainingConfig;
import dev.lfm.train.TrainingResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * Optimizer comparison: SGD (batch 1), plain mini-batch, full batch, and momentum, Nesterov and
 * Adam on mini-batches, each at its own learning rate chosen on validation RMSE (final epoch)
 * from a log grid around a per-variant centre. The chosen run's history is the curve plotted
 * against epoch and against training seconds (evaluation excluded).
 *
 * <p>Learning-rate semantics ({@link dev.lfm.compute.OptimizerStep}): lr multiplies half the
 * summed batch gradient, so a full-batch step moves an item row by about lr·n_i times a
 * per-rating step; its grid is centred at 0.15 / (mean ratings per row) instead of SGD's 0.01.
 * Momentum and Nesterov amplify steps by about 1/(1−β), so their centre is SGD's /10; Adam's
 * step is about lr per coordinate. A run that diverges scores +∞ and is never chosen.
 */
public final class OptimizerComparison {
    public static final String NAME = "optimizers";

    private OptimizerComparison() {
    }

    /** One optimizer setting and the centre of its learning-rate grid. */
    public record Variant(String name, int batchSize, Optimizer optimizer, double lrCenter) {
    }

    /** One run of the learning-rate search; {@code validationRmse} is +∞ for a diverged run. */
    public record Trial(String variant, double lr, double validationRmse, double testRmse, boolean diverged) {
    }

    /** The chosen run of a variant. */
    public record Outcome(Variant variant, double lr, List<EpochRecord> history, List<Trial> trials) {
        public EpochRecord last() {
            return history.get(history.size() - 1);
        }
    }

    /** Everything, with notes for variants where every learning rate diverged. */
    public record Result(TrainingConfig base, List<Outcome> outcomes, List<Trial> trials, List<String> notes)
            implements ExperimentResult {
        @Override
        public String name() {
            return NAME;
        }

        @Override
        public Table data() {
            Table t = Histories.table("variant", "lr");
            for (Outcome o : outcomes) {
                Histories.addRows(t, o.history, o.variant.name, o.lr);
            }
            return t;
        }

        @Override
        public Table summary() {
            Table t = new Table("variant", "batch", "lr (chosen)", "lrs tried", "val RMSE", "test RMSE", "seconds");
            for (Outcome o : outcomes) {
                EpochRecord l = o.last();
                t.add(o.variant.name, o.variant.batchSize == 0 ? "all" : Integer.toString(o.variant.batchSize), o.lr,
                        o.trials.size(), l.validationRmse(), l.testRmse(), l.elapsed());
            }
            return t;
        }

        @Override
        public Map<String, Object> json() {
            Map<String, Object> m = jsonHeader(base);
            m.put("chosen_on", "validation_rmse (final epoch)");
            m.put("variants", outcomes.stream().map(o -> OrderedMap.of("variant", o.variant.name,
                    "batch_size", o.variant.batchSize, "optimizer", o.variant.optimizer.label(), "lr", o.lr,
                    "final_validation_rmse", o.last().validationRmse(), "final_test_rmse", o.last().testRmse(),
                    "train_seconds", o.last().elapsed(), "trials", o.trials)).toList());
            m.put("notes", notes);
            return m;
        }

        @Override
        public List<Chart<?, ?>> charts() {
            String sub = String.format(Locale.ROOT, "k = %d, λ = %.3g", base.rank, base.lambda);
            XYChart byEpoch = Charts.xy("Test RMSE vs epoch (" + sub + ")", "epoch", "test RMSE");
            XYChart byTime = Charts.xy("Test RMSE vs training time (" + sub + ")", "training seconds (wall clock)",
                    "test RMSE");
            for (int j = 0; j < outcomes.size(); j++) {
                Outcome o = outcomes.get(j);
                String label = String.format(Locale.ROOT, "%s (lr %.2g)", o.variant.name, o.lr);
                double[] te = Histories.of(o.history, EpochRecord::testRmse);
                Charts.lineWithMarkers(byEpoch, label, Histories.epochs(o.history), te, Charts.PALETTE[j % 8]);
                Charts.lineWithMarkers(byTime, label, Histories.of(o.history, EpochRecord::elapsed), te,
                        Charts.PALETTE[j % 8]);
            }
            return List.of(byEpoch, byTime);
        }

        @Override
        public List<String> notes() {
            return notes;
        }
    }

    /** The six default variants; {@code miniBatch} is the mini-batch size. */
    public static List<Variant> defaultVariants(Ratings train, int miniBatch) {
        double meanRow = Math.max(train.size() / (double) Math.max(1, active(train.userCounts())),
                train.size() / (double) Math.max(1, active(train.itemCounts())));
        return List.of(
                new Variant("sgd", 1, Optimizer.SGD, 0.01),
                new Variant("minibatch", miniBatch, Optimizer.SGD, 0.01),
                new Variant("fullbatch", 0, Optimizer.SGD, 0.15 / meanRow),
                new Variant("momentum", miniBatch, Optimizer.MOMENTUM, 0.001),
                new Variant("nesterov", miniBatch, Optimizer.NESTEROV, 0.001),
                new Variant("adam", miniBatch, Optimizer.ADAM, 0.003));
    }

    private static int active(int[] counts) {
        int n = 0;
        for (int c : counts) {
            n += c > 0 ? 1 : 0;
        }
        return n;
    }

    /**
     * Runs the learning-rate search of every variant: {@code lrSteps} learning rates a factor
     * {@code lrFactor} apart around its centre, each a full run of the base configuration's epochs;
     * while the best sits on an edge of what was tried, one more rate a factor beyond that edge
     * (at most {@link #MAX_EXTENSIONS} times).
     */
    /** How many learning rates past the grid's edge the search may add when its best is on the edge. */
    static final int MAX_EXTENSIONS = 3;

    public static Result run(ExperimentContext ctx, List<Variant> variants, int lrSteps, double lrFactor) {
        ctx.requireValidation(NAME);
        TrainingConfig base = ctx.base();
        base.algorithm = Algorithm.GD;
        base.patience = 0;
        ctx.progress().start(String.format(Locale.ROOT, "%s: %d variants × %d learning rates, k = %d, %d epochs each",
                NAME, variants.size(), lrSteps, base.rank, base.epochs), variants.size() * lrSteps);
        List<Outcome> outcomes = new ArrayList<>();
        List<Trial> allTrials = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (Variant v : variants) {
            List<Trial> trials = new ArrayList<>();
            TrainingResult best = null;
            double bestLr = Double.NaN;
            java.util.ArrayDeque<Double> pending = new java.util.ArrayDeque<>();
            for (double lr : Grids.around(v.lrCenter, lrFactor, lrSteps)) {
                pending.add(lr);
            }
            double lowest = Double.POSITIVE_INFINITY;
            double highest = 0;
            int extensions = 0;
            while (!pending.isEmpty()) {
                double lr = pending.poll();
                lowest = Math.min(lowest, lr);
                highest = Math.max(highest, lr);
                TrainingConfig c = base.copy();
                c.batchSize = v.batchSize;
                c.optimizer = v.optimizer;
                c.lr = lr;
                c.lrBias = Double.NaN;
                Trial trial;
                TrainingResult r = null;
                try {
                    r = ctx.train(c);
                    var l = r.last();
                    boolean bad = !Double.isFinite(l.validationRmse());
                    trial = new Trial(v.name, lr, bad ? Double.POSITIVE_INFINITY : l.validationRmse(), l.testRmse(), bad);
                } catch (DivergenceException e) {
                    trial = new Trial(v.name, lr, Double.POSITIVE_INFINITY, Double.NaN, true);
                }
                trials.add(trial);
                ctx.progress().step(String.format(Locale.ROOT, "%s lr = %.3g: %s", v.name, lr, trial.diverged
                        ? "diverged" : String.format(Locale.ROOT, "val RMSE %.4f, test RMSE %.4f, %.1f s",
                        trial.validationRmse, trial.testRmse, r.trainSeconds())));
                if (!trial.diverged && (best == null || trial.validationRmse < best.last().validationRmse())) {
                    best = r;
                    bestLr = lr;
                }
                // the grid is exhausted and its best sits on an edge: step one factor beyond it
                if (pending.isEmpty() && best != null && lrSteps > 1 && extensions < MAX_EXTENSIONS) {
                    if (bestLr == lowest || bestLr == highest) {
                        pending.add(bestLr == lowest ? lowest / lrFactor : highest * lrFactor);
                        extensions++;
                        ctx.progress().extend(1);
                    }
                }
            }
            allTrials.addAll(trials);
            if (best == null) {
                notes.add(v.name + ": every learning rate diverged (" + trials.size()
                        + " tried): left out; lower its grid centre");
                continue;
            }
            outcomes.add(new Outcome(v, bestLr, best.history(), List.copyOf(trials)));
            double[] tried = trials.stream().mapToDouble(Trial::lr).sorted().toArray();
            if (tried.length > 1 && (bestLr == tried[0] || bestLr == tried[tried.length - 1])) {
                notes.add(String.format(Locale.ROOT, "%s: the chosen lr %.3g is at the edge of its grid "
                        + "(widen it with --lr-steps)", v.name, bestLr));
            }
        }
        if (outcomes.isEmpty()) {
            throw new LfmException(NAME + ": every optimizer diverged at every learning rate");
        }
        return new Result(base, List.copyOf(outcomes), List.copyOf(allTrials), List.copyOf(notes));
    }
}
