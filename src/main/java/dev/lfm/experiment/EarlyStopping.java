package dev.lfm.experiment;

import dev.lfm.LfmException;
import dev.lfm.OrderedMap;
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
import org.knowm.xchart.style.Styler;

/**
 * A fixed-epoch run against an early-stopped run (same seed and settings, patience on validation
 * RMSE): where the early run stops, which epoch it keeps, and what each ends with on test.
 */
public final class EarlyStopping {
    public static final String NAME = "early-stopping";

    private EarlyStopping() {
    }

    /**
     * @param fixed the run over all epochs
     * @param early the run with patience; {@code early.bestEpoch()} is the epoch whose model it keeps
     */
    public record Result(TrainingConfig config, int patience, TrainingResult fixed, TrainingResult early)
            implements ExperimentResult {
        @Override
        public String name() {
            return NAME;
        }

        @Override
        public Table data() {
            Table t = Histories.table("run");
            Histories.addRows(t, fixed.history(), "fixed");
            Histories.addRows(t, early.history(), "early");
            return t;
        }

        @Override
        public Table summary() {
            Table t = new Table("run", "epochs run", "model of epoch", "val RMSE", "test RMSE", "seconds");
            t.add("fixed " + fixed.epochsRun() + " epochs", fixed.epochsRun(), fixed.bestEpoch(),
                    fixed.best().validationRmse(), fixed.best().testRmse(), fixed.trainSeconds());
            t.add("early stopping, patience " + patience, early.epochsRun(), early.bestEpoch(),
                    early.best().validationRmse(), early.best().testRmse(), early.trainSeconds());
            return t;
        }

        @Override
        public Map<String, Object> json() {
            Map<String, Object> m = jsonHeader(config);
            m.put("patience", patience);
            m.put("watched", "validation_rmse");
            m.put("fixed", runJson(fixed));
            m.put("early", runJson(early));
            return m;
        }

        private static Map<String, Object> runJson(TrainingResult r) {
            return OrderedMap.of("epochs_run", r.epochsRun(), "stopped_early", r.stoppedEarly(),
                    "model_epoch", r.bestEpoch(), "validation_rmse", r.best().validationRmse(),
                    "test_rmse", r.best().testRmse(), "train_seconds", r.trainSeconds());
        }

        @Override
        public List<Chart<?, ?>> charts() {
            XYChart c = Charts.xy(String.format(Locale.ROOT, "Early stopping (patience %d) vs %d fixed epochs (%s, k = %d, λ = %.3g)",
                    patience, config.epochs, config.describeAlgorithm(), config.rank, config.lambda), "epoch", "RMSE");
            c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
            List<EpochRecord> h = fixed.history();
            double[] e = Histories.epochs(h);
            double[] tr = Histories.of(h, EpochRecord::trainRmse);
            double[] va = Histories.of(h, EpochRecord::validationRmse);
            double[] te = Histories.of(h, EpochRecord::testRmse);
            Charts.line(c, "train (fixed run)", e, tr, Charts.PALETTE[2]);
            Charts.line(c, "validation (fixed run)", e, va, Charts.PALETTE[0]);
            Charts.line(c, "test (fixed run)", e, te, Charts.PALETTE[1]);
            List<EpochRecord> eh = early.history();
            Charts.lineWithMarkers(c, "validation (early-stopped run)", Histories.epochs(eh),
                    Histories.of(eh, EpochRecord::validationRmse), Charts.PALETTE[5]);
            double[] yr = Charts.range(tr, va, te);
            Charts.vertical(c, "stopped at epoch " + early.epochsRun(), early.epochsRun(), yr[0], yr[1],
                    Charts.PALETTE[4]);
            EpochRecord b = early.best();
            Charts.point(c, String.format(Locale.ROOT, "best epoch %d: val %.4f, test %.4f", b.epoch(),
                    b.validationRmse(), b.testRmse()), b.epoch(), b.validationRmse(), Charts.PALETTE[6]);
            return List.of(c);
        }

        @Override
        public int chartColumns() {
            return 1;
        }
    }

    public static Result run(ExperimentContext ctx, int patience) {
        ctx.requireValidation(NAME);
        if (patience < 1) {
            throw new LfmException("--patience must be >= 1 for " + NAME);
        }
        TrainingConfig fixedCfg = ctx.base();
        fixedCfg.patience = 0;
        TrainingConfig earlyCfg = fixedCfg.copy();
        earlyCfg.patience = patience;
        ctx.progress().start(String.format(Locale.ROOT, "%s: %s, k = %d, λ = %.3g, %d epochs vs patience %d", NAME,
                fixedCfg.describeAlgorithm(), fixedCfg.rank, fixedCfg.lambda, fixedCfg.epochs, patience), 2);
        TrainingResult fixed = ctx.train(fixedCfg, ctx.epochNotes("fixed", fixedCfg.epochs));
        ctx.progress().step(String.format(Locale.ROOT, "fixed: %d epochs, test RMSE %.4f", fixed.epochsRun(),
                fixed.last().testRmse()));
        TrainingResult early = ctx.train(earlyCfg, ctx.epochNotes("early", earlyCfg.epochs));
        ctx.progress().step(String.format(Locale.ROOT, "early: %s at epoch %d, keeps epoch %d, test RMSE %.4f",
                early.stoppedEarly() ? "stopped" : "ran to the end", early.epochsRun(), early.bestEpoch(),
                early.best().testRmse()));
        return new Result(fixedCfg, patience, fixed, early);
    }
}
