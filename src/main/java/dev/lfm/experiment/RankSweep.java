package dev.lfm.experiment;

import dev.lfm.LfmException;
import dev.lfm.report.Charts;
import dev.lfm.report.Table;
import dev.lfm.train.TrainingConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;

/**
 * Rank sweep: for every k, one model at the fixed λ of the base configuration and one per λ of a
 * small grid, of which the best on validation is the "re-tuned" model. The fixed-λ curve shows
 * where over-fitting starts (validation RMSE rising with k); the re-tuned curve shows how much a
 * larger λ compensates. The fixed λ is always part of the grid, so re-tuning never loses on
 * validation.
 */
public final class RankSweep {
    public static final String NAME = "rank-sweep";

    /** The default ranks. */
    public static final int[] DEFAULT_RANKS = {1, 2, 4, 8, 16, 32};

    private RankSweep() {
    }

    /** One trained model: one {@link ExperimentContext#trial trial}, scores of the model it keeps (NaN if diverged). */
    public record Point(int rank, double lambda, double trainRmse, double validationRmse, double testRmse,
                        double seconds) {
    }

    /** Per rank: the fixed-λ model and the validation-best model of the grid. */
    public record RankRow(int rank, Point fixed, Point tuned) {
    }

    /**
     * @param fixedLambda the λ of the fixed curve
     * @param all every model trained, rank-major
     * @param overfitRank the rank with the lowest validation RMSE at the fixed λ (larger ranks over-fit)
     */
    public record Result(TrainingConfig base, double fixedLambda, double[] lambdaGrid, List<Point> all,
                         List<RankRow> rows, int overfitRank) implements ExperimentResult {
        @Override
        public String name() {
            return NAME;
        }

        @Override
        public Table data() {
            Table t = new Table("rank", "lambda", "train_rmse", "validation_rmse", "test_rmse", "seconds", "fixed",
                    "tuned");
            for (Point p : all) {
                RankRow row = row(p.rank);
                t.add(p.rank, p.lambda, p.trainRmse, p.validationRmse, p.testRmse, p.seconds,
                        p == row.fixed ? 1 : 0, p == row.tuned ? 1 : 0);
            }
            return t;
        }

        RankRow row(int rank) {
            return rows.stream().filter(r -> r.rank == rank).findFirst().orElseThrow();
        }

        @Override
        public Table summary() {
            Table t = new Table("k", "val (fixed λ)", "test (fixed λ)", "tuned λ", "val (tuned)", "test (tuned)", "");
            for (RankRow r : rows) {
                t.add(r.rank, r.fixed.validationRmse, r.fixed.testRmse, r.tuned.lambda, r.tuned.validationRmse,
                        r.tuned.testRmse, r.rank == overfitRank ? "<- best k at fixed λ" : "");
            }
            return t;
        }

        @Override
        public Map<String, Object> json() {
            Map<String, Object> m = jsonHeader(base);
            m.put("fixed_lambda", fixedLambda);
            m.put("lambda_grid", lambdaGrid);
            m.put("chosen_on", "validation_rmse");
            m.put("best_rank_fixed_lambda", overfitRank);
            RankRow bestTuned = rows.stream().min((a, b) -> Double.compare(a.tuned.validationRmse,
                    b.tuned.validationRmse)).orElseThrow();
            m.put("best_rank_tuned", bestTuned.rank);
            m.put("best_tuned_lambda", bestTuned.tuned.lambda);
            m.put("best_tuned_test_rmse", bestTuned.tuned.testRmse);
            m.put("ranks", rows);
            return m;
        }

        @Override
        public List<Chart<?, ?>> charts() {
            double[] k = rows.stream().mapToDouble(RankRow::rank).toArray();
            double[] fv = rows.stream().mapToDouble(r -> r.fixed.validationRmse).toArray();
            double[] ft = rows.stream().mapToDouble(r -> r.fixed.testRmse).toArray();
            double[] fr = rows.stream().mapToDouble(r -> r.fixed.trainRmse).toArray();
            double[] tv = rows.stream().mapToDouble(r -> r.tuned.validationRmse).toArray();
            double[] tt = rows.stream().mapToDouble(r -> r.tuned.testRmse).toArray();
            XYChart c = Charts.xy(String.format(Locale.ROOT, "RMSE vs rank k (%s, %d epochs)",
                    base.describeAlgorithm(), base.epochs), "rank k (log scale)", "RMSE");
            c.getStyler().setXAxisLogarithmic(true);
            c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
            String fl = String.format(Locale.ROOT, "λ = %.3g", fixedLambda);
            Charts.line(c, "train, " + fl, k, fr, Charts.PALETTE[2]).setLineStyle(Charts.DASHED);
            Charts.lineWithMarkers(c, "validation, " + fl, k, fv, Charts.PALETTE[0]);
            Charts.lineWithMarkers(c, "test, " + fl, k, ft, Charts.PALETTE[1]);
            Charts.lineWithMarkers(c, "validation, λ re-tuned", k, tv, Charts.PALETTE[5]);
            Charts.lineWithMarkers(c, "test, λ re-tuned", k, tt, Charts.PALETTE[4]);
            double[] yr = Charts.range(fr, fv, ft, tv, tt);
            Charts.vertical(c, "best k at fixed λ (over-fitting beyond)", overfitRank, yr[0], yr[1],
                    Charts.PALETTE[6]);

            XYChart l = Charts.xy("λ chosen on validation per rank", "rank k (log scale)", "λ (log scale)");
            l.getStyler().setXAxisLogarithmic(true);
            l.getStyler().setYAxisLogarithmic(true);
            l.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
            Charts.lineWithMarkers(l, "re-tuned λ", k, rows.stream().mapToDouble(r -> r.tuned.lambda).toArray(),
                    Charts.PALETTE[5]);
            double[] fixedLine = new double[k.length];
            Arrays.fill(fixedLine, fixedLambda);
            Charts.line(l, "fixed " + fl, k, fixedLine, Charts.PALETTE[0]).setLineStyle(Charts.DASHED);
            double lo = Arrays.stream(lambdaGrid).min().orElse(fixedLambda);
            double hi = Arrays.stream(lambdaGrid).max().orElse(fixedLambda);
            l.getStyler().setYAxisMin(lo / 1.5);
            l.getStyler().setYAxisMax(hi * 1.5);
            return List.of(c, l);
        }
    }

    /**
     * Trains ranks × (grid ∪ {fixed λ}) models.
     *
     * @param lambdaGrid the re-tuning grid (the base λ is added to it)
     */
    public static Result run(ExperimentContext ctx, int[] ranks, double[] lambdaGrid) {
        ctx.requireValidation(NAME);
        if (ranks.length == 0) {
            throw new LfmException(NAME + ": no ranks given");
        }
        TrainingConfig base = ctx.base();
        double fixed = base.lambda;
        double[] grid = Arrays.copyOf(lambdaGrid, lambdaGrid.length + 1);
        grid[lambdaGrid.length] = fixed;
        grid = Grids.sortedDistinct(grid);
        int[] ks = Arrays.stream(ranks).sorted().distinct().toArray();
        ctx.progress().start(String.format(Locale.ROOT, "%s: ranks %s × %d values of λ (fixed λ = %.3g), %s, "
                        + "%d epochs each", NAME, Arrays.toString(ks), grid.length, fixed, base.describeAlgorithm(),
                base.epochs), ks.length * grid.length);
        List<Point> all = new ArrayList<>();
        List<RankRow> rows = new ArrayList<>();
        for (int k : ks) {
            Point fixedPoint = null;
            Point tuned = null;
            for (double lambda : grid) {
                TrainingConfig c = base.copy();
                c.rank = k;
                c.lambda = lambda;
                ExperimentContext.Trial t = ctx.trial(c);
                Point p = new Point(k, lambda, t.trainRmse(), t.validationRmse(), t.testRmse(), t.trainSeconds());
                all.add(p);
                if (lambda == fixed) {
                    fixedPoint = p;
                }
                if (Double.isFinite(p.validationRmse) && (tuned == null || p.validationRmse < tuned.validationRmse)) {
                    tuned = p;
                }
                ctx.progress().step(String.format(Locale.ROOT, "k = %d, λ = %.3g: RMSE train %.4f / val %.4f / "
                        + "test %.4f", k, lambda, p.trainRmse, p.validationRmse, p.testRmse));
            }
            rows.add(new RankRow(k, fixedPoint, tuned == null ? fixedPoint : tuned));
        }
        RankRow bestFixed = rows.stream().filter(r -> Double.isFinite(r.fixed.validationRmse))
                .min((a, b) -> Double.compare(a.fixed.validationRmse, b.fixed.validationRmse))
                .orElseThrow(() -> new LfmException(NAME + ": no finite validation RMSE"));
        return new Result(base, fixed, grid, List.copyOf(all), List.copyOf(rows), bestFixed.rank);
    }
}
