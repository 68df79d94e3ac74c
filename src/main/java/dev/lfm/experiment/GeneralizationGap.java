package dev.lfm.experiment;

import dev.lfm.report.Charts;
import dev.lfm.report.Table;
import dev.lfm.train.EpochRecord;
import dev.lfm.train.TrainingConfig;
import dev.lfm.train.TrainingResult;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * Generalization gap: train and test RMSE per epoch of one run, the gap (test − train) shaded
 * between them and plotted on its own in a second panel.
 */
public final class GeneralizationGap {
    public static final String NAME = "gap";

    private GeneralizationGap() {
    }

    public record Result(TrainingConfig config, List<EpochRecord> history) implements ExperimentResult {
        /** test − train RMSE per epoch. */
        public double[] gap() {
            return history.stream().mapToDouble(r -> r.testRmse() - r.trainRmse()).toArray();
        }

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public Table data() {
            Table t = new Table("epoch", "train_rmse", "test_rmse", "gap", "validation_rmse", "objective");
            double[] g = gap();
            for (int j = 0; j < history.size(); j++) {
                EpochRecord r = history.get(j);
                t.add(r.epoch(), r.trainRmse(), r.testRmse(), g[j], r.validationRmse(), r.objective());
            }
            return t;
        }

        @Override
        public Table summary() {
            Table t = new Table("epoch", "train RMSE", "test RMSE", "gap (test − train)");
            double[] g = gap();
            int every = Math.max(1, history.size() / 10);
            for (int j = 0; j < history.size(); j++) {
                if ((j + 1) % every == 0 || j == 0 || j == history.size() - 1) {
                    EpochRecord r = history.get(j);
                    t.add(r.epoch(), r.trainRmse(), r.testRmse(), g[j]);
                }
            }
            return t;
        }

        @Override
        public Map<String, Object> json() {
            double[] g = gap();
            Map<String, Object> m = jsonHeader(config);
            EpochRecord last = history.get(history.size() - 1);
            m.put("final_train_rmse", last.trainRmse());
            m.put("final_test_rmse", last.testRmse());
            m.put("final_gap", g[g.length - 1]);
            int minTest = Grids.argmin(history.stream().mapToDouble(EpochRecord::testRmse).toArray());
            m.put("max_gap", java.util.Arrays.stream(g).max().orElse(Double.NaN));
            m.put("epoch_of_lowest_test_rmse_for_reference_only", minTest + 1);
            return m;
        }

        @Override
        public List<Chart<?, ?>> charts() {
            double[] e = Histories.epochs(history);
            double[] tr = Histories.of(history, EpochRecord::trainRmse);
            double[] te = Histories.of(history, EpochRecord::testRmse);
            double[] g = gap();
            XYChart c = Charts.xy(String.format(Locale.ROOT, "Train vs test RMSE (%s, k = %d, λ = %.3g)",
                    config.describeAlgorithm(), config.rank, config.lambda), "epoch", "RMSE");
            Charts.band(c, "generalization gap (test − train)", e, tr, te, Charts.alpha(Charts.PALETTE[1], 60));
            Charts.line(c, "train", e, tr, Charts.PALETTE[2]);
            Charts.line(c, "test", e, te, Charts.PALETTE[1]);
            XYChart d = Charts.xy("Generalization gap per epoch", "epoch", "test RMSE − train RMSE");
            double[] zero = new double[e.length];
            Charts.band(d, "gap", e, zero, g, Charts.alpha(Charts.PALETTE[1], 60));
            Charts.line(d, "test − train", e, g, Charts.PALETTE[1]);
            return List.of(c, d);
        }
    }

    public static Result run(ExperimentContext ctx) {
        TrainingConfig c = ctx.base();
        c.patience = 0;
        c.evaluateTrain = true;
        c.evalEvery = 1; // the gap needs the exact train RMSE every epoch
        ctx.progress().start(String.format(Locale.ROOT, "%s: %s, k = %d, λ = %.3g, %d epochs", NAME,
                c.describeAlgorithm(), c.rank, c.lambda, c.epochs), 1);
        TrainingResult r = ctx.train(c, ctx.epochNotes("", c.epochs));
        ctx.progress().step(String.format(Locale.ROOT, "final gap %.4f (train %.4f, test %.4f)",
                r.last().testRmse() - r.last().trainRmse(), r.last().trainRmse(), r.last().testRmse()));
        return new Result(c, r.history());
    }
}
