package dev.lfm.experiment;

import dev.lfm.OrderedMap;
import dev.lfm.report.Charts;
import dev.lfm.report.Table;
import dev.lfm.train.Algorithm;
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
 * SGD against ALS on the same objective L (same λ, regularization form, rank, seed and initial
 * model): L and test RMSE against training seconds and against epochs (an ALS epoch is one
 * sweep, users then items). A backend without ALS (it throws
 * {@link UnsupportedOperationException}) gets a note and an SGD-only chart.
 */
public final class SgdVsAls {
    public static final String NAME = "sgd-vs-als";

    private SgdVsAls() {
    }

    /** One algorithm's run. */
    public record Run(String algorithm, TrainingConfig config, List<EpochRecord> history) {
        EpochRecord last() {
            return history.get(history.size() - 1);
        }
    }

    public record Result(List<Run> runs, List<String> notes) implements ExperimentResult {
        @Override
        public String name() {
            return NAME;
        }

        @Override
        public Table data() {
            Table t = Histories.table("algorithm");
            for (Run r : runs) {
                Histories.addRows(t, r.history, r.algorithm);
            }
            return t;
        }

        @Override
        public Table summary() {
            Table t = new Table("algorithm", "epochs", "objective L", "train RMSE", "val RMSE", "test RMSE", "seconds");
            for (Run r : runs) {
                EpochRecord l = r.last();
                t.add(r.algorithm, l.epoch(), l.objective(), l.trainRmse(), l.validationRmse(), l.testRmse(),
                        l.elapsed());
            }
            return t;
        }

        @Override
        public Map<String, Object> json() {
            return OrderedMap.of("experiment", NAME, "runs", runs.stream().map(r -> OrderedMap.of("algorithm",
                    r.algorithm, "settings", r.config.toMap(), "final_objective", r.last().objective(),
                    "final_test_rmse", r.last().testRmse(), "train_seconds", r.last().elapsed())).toList(),
                    "notes", notes);
        }

        @Override
        public List<Chart<?, ?>> charts() {
            TrainingConfig c0 = runs.get(0).config;
            String sub = String.format(Locale.ROOT, "k = %d, λ = %.3g, %s", c0.rank, c0.lambda,
                    c0.regularization.name().toLowerCase(Locale.ROOT));
            XYChart lTime = Charts.xy("Objective L vs training time (" + sub + ")", "training seconds", "L (log scale)");
            XYChart lEpoch = Charts.xy("Objective L vs epoch / ALS sweep", "epoch (ALS: sweep)", "L (log scale)");
            XYChart rTime = Charts.xy("Test RMSE vs training time", "training seconds", "test RMSE");
            XYChart rEpoch = Charts.xy("Test RMSE vs epoch / ALS sweep", "epoch (ALS: sweep)", "test RMSE");
            lTime.getStyler().setYAxisLogarithmic(true);
            lEpoch.getStyler().setYAxisLogarithmic(true);
            for (int j = 0; j < runs.size(); j++) {
                Run r = runs.get(j);
                double[] t = Histories.of(r.history, EpochRecord::elapsed);
                double[] e = Histories.epochs(r.history);
                double[] l = Histories.of(r.history, EpochRecord::objective);
                double[] te = Histories.of(r.history, EpochRecord::testRmse);
                Charts.lineWithMarkers(lTime, r.algorithm, t, l, Charts.PALETTE[j]);
                Charts.lineWithMarkers(lEpoch, r.algorithm, e, l, Charts.PALETTE[j]);
                Charts.lineWithMarkers(rTime, r.algorithm, t, te, Charts.PALETTE[j]);
                Charts.lineWithMarkers(rEpoch, r.algorithm, e, te, Charts.PALETTE[j]);
            }
            return List.of(lTime, lEpoch, rTime, rEpoch);
        }

        @Override
        public List<String> notes() {
            return notes;
        }
    }

    /**
     * Runs per-rating SGD (the base configuration's lr, batch 1, plain rule) and ALS, both for the
     * base configuration's epochs.
     */
    public static Result run(ExperimentContext ctx) {
        TrainingConfig base = ctx.base();
        base.patience = 0;
        base.evalEvery = 1; // both curves exact every epoch, so they share one chart honestly
        TrainingConfig sgd = base.copy();
        sgd.algorithm = Algorithm.GD;
        sgd.batchSize = 1;
        sgd.optimizer = Optimizer.SGD;
        TrainingConfig als = base.copy();
        als.algorithm = Algorithm.ALS;
        ctx.progress().start(String.format(Locale.ROOT, "%s: k = %d, λ = %.3g, %d epochs each", NAME, base.rank,
                base.lambda, base.epochs), 2);
        List<Run> runs = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        TrainingResult s = ctx.train(sgd, ctx.epochNotes("sgd", sgd.epochs));
        runs.add(new Run("sgd", sgd, s.history()));
        ctx.progress().step(String.format(Locale.ROOT, "sgd (lr %.3g): L %.5g, test RMSE %.4f", sgd.lr,
                s.last().objective(), s.last().testRmse()));
        try {
            TrainingResult a = ctx.train(als, ctx.epochNotes("als", als.epochs));
            runs.add(new Run("als", als, a.history()));
            ctx.progress().step(String.format(Locale.ROOT, "als: L %.5g, test RMSE %.4f", a.last().objective(),
                    a.last().testRmse()));
        } catch (UnsupportedOperationException e) {
            String note = "ALS is not available on this backend (" + (e.getMessage() == null ? "unsupported"
                    : e.getMessage()) + "): skipped; use --backend cpu to compare";
            notes.add(note);
            ctx.progress().step(note);
        }
        return new Result(List.copyOf(runs), List.copyOf(notes));
    }
}
