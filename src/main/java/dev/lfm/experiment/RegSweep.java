package dev.lfm.experiment;

import dev.lfm.report.Charts;
import dev.lfm.report.Table;
import dev.lfm.train.TrainingConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * Regularization sweep: one model per λ (everything else from the base configuration), each one
 * {@link ExperimentContext#trial trial} (the tuner's trial runner), scored by the RMSEs of the model it
 * keeps (its best validation epoch under early stopping, else its last). The best λ is the argmin
 * of validation RMSE; test RMSE is only reported (computed on the kept model after the trial).
 */
public final class RegSweep {
    public static final String NAME = "reg-sweep";

    private RegSweep() {
    }

    /** One trained model of the sweep (scores of the kept model; NaN where the trial diverged). */
    public record Point(double lambda, double trainRmse, double validationRmse, double testRmse, double objective,
                        int epochs, double seconds) {
    }

    /** The sweep, with {@code best} the index of the λ chosen on validation. */
    public record Result(TrainingConfig base, List<Point> points, int best) implements ExperimentResult {
        public Point bestPoint() {
            return points.get(best);
        }

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public Table data() {
            Table t = new Table("lambda", "train_rmse", "validation_rmse", "test_rmse", "objective", "epochs",
                    "seconds", "best");
            for (int j = 0; j < points.size(); j++) {
                Point p = points.get(j);
                t.add(p.lambda, p.trainRmse, p.validationRmse, p.testRmse, p.objective, p.epochs, p.seconds,
                        j == best ? 1 : 0);
            }
            return t;
        }

        @Override
        public Table summary() {
            Table t = new Table("lambda", "train RMSE", "val RMSE", "test RMSE", "seconds", "");
            for (int j = 0; j < points.size(); j++) {
                Point p = points.get(j);
                t.add(p.lambda, p.trainRmse, p.validationRmse, p.testRmse, p.seconds, j == best ? "<- best (val)" : "");
            }
            return t;
        }

        @Override
        public Map<String, Object> json() {
            Map<String, Object> m = jsonHeader(base);
            m.put("chosen_on", "validation_rmse");
            m.put("best_lambda", bestPoint().lambda);
            m.put("best_validation_rmse", bestPoint().validationRmse);
            m.put("best_test_rmse", bestPoint().testRmse);
            m.put("points", points);
            return m;
        }

        @Override
        public List<Chart<?, ?>> charts() {
            double[] x = points.stream().mapToDouble(Point::lambda).toArray();
            double[] tr = points.stream().mapToDouble(Point::trainRmse).toArray();
            double[] va = points.stream().mapToDouble(Point::validationRmse).toArray();
            double[] te = points.stream().mapToDouble(Point::testRmse).toArray();
            XYChart c = Charts.xy(String.format(Locale.ROOT, "RMSE vs regularization (%s, k = %d, %d epochs)",
                    base.describeAlgorithm(), base.rank, base.epochs), "λ (log scale)", "RMSE");
            c.getStyler().setXAxisLogarithmic(true);
            c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNW);
            Charts.lineWithMarkers(c, "train", x, tr, Charts.PALETTE[2]);
            Charts.lineWithMarkers(c, "validation", x, va, Charts.PALETTE[0]);
            Charts.lineWithMarkers(c, "test", x, te, Charts.PALETTE[1]);
            double[] yr = Charts.range(tr, va, te);
            Point b = bestPoint();
            Charts.vertical(c, "best λ (validation)", b.lambda, yr[0], yr[1], Charts.PALETTE[6]);
            Charts.point(c, String.format(Locale.ROOT, "λ = %.3g: val %.4f, test %.4f", b.lambda, b.validationRmse,
                    b.testRmse), b.lambda, b.validationRmse, Charts.PALETTE[6]);
            return List.of(c);
        }
    }

    /** Trains one model per λ of {@code lambdas}. */
    public static Result run(ExperimentContext ctx, double[] lambdas) {
        ctx.requireValidation(NAME);
        if (lambdas.length == 0) {
            throw new IllegalArgumentException("no λ values");
        }
        double[] grid = Grids.sortedDistinct(lambdas);
        TrainingConfig base = ctx.base();
        ctx.progress().start(String.format(Locale.ROOT, "%s: %d values of λ, %s, k = %d, %d epochs each", NAME,
                grid.length, base.describeAlgorithm(), base.rank, base.epochs), grid.length);
        List<Point> points = new ArrayList<>();
        for (double lambda : grid) {
            TrainingConfig c = base.copy();
            c.lambda = lambda;
            ExperimentContext.Trial t = ctx.trial(c);
            points.add(new Point(lambda, t.trainRmse(), t.validationRmse(), t.testRmse(), t.objective(),
                    t.epochsRun(), t.trainSeconds()));
            ctx.progress().step(String.format(Locale.ROOT, "λ = %.4g: RMSE train %.4f / val %.4f / test %.4f",
                    lambda, t.trainRmse(), t.validationRmse(), t.testRmse()));
        }
        int best = Grids.argmin(points.stream().mapToDouble(Point::validationRmse).toArray());
        if (best < 0) {
            throw new dev.lfm.LfmException(NAME + ": no λ gave a finite validation RMSE");
        }
        return new Result(base, List.copyOf(points), best);
    }
}
