package dev.lfm.experiment;

import dev.lfm.OrderedMap;
import dev.lfm.data.Gaussian;

import dev.lfm.LfmException;
import dev.lfm.compute.Backend;
import dev.lfm.compute.RatingSet;
import dev.lfm.model.FactorModel;
import dev.lfm.objective.Objective;
import dev.lfm.report.Table;
import dev.lfm.train.TrainingConfig;
import dev.lfm.train.TrainingResult;
import java.awt.Color;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The objective on a 2-D slice θ* + a·d1 + b·d2 through a trained solution θ*. The directions
 * are seeded Gaussian vectors in the chosen parameter block (P, Q or both concatenated),
 * orthonormalized by Gram–Schmidt (‖d1‖ = ‖d2‖ = 1, d1·d2 = 0); biases are not moved.
 * Coordinates run over [−R, R] with R = radius·‖θ*‖ (the norm of the chosen block), so
 * {@code radius} is relative and means the same on any problem size.
 *
 * <p>L is evaluated on the chosen backend ({@code setModel} then {@code loss} on the training
 * ratings): the same float kernels that training reports, one full pass per grid point. The
 * grid is odd-sized so that (0, 0) = θ* is a grid point.
 */
public final class Landscape {
    public static final String NAME = "landscape";

    /** Which parameter block the slice moves. */
    public enum Block {
        P, Q, BOTH;

        public static Block parse(String s) {
            switch (s.toLowerCase(Locale.ROOT)) {
                case "p": return P;
                case "q": return Q;
                case "both": case "pq": return BOTH;
                default: throw new LfmException("--matrix must be p, q or both (got '" + s + "')");
            }
        }
    }

    private Landscape() {
    }

    /**
     * @param coords the grid coordinates (the same for a and b), coords[(grid−1)/2] = 0
     * @param objective objective[i][j] = L(θ* + coords[i]·d1 + coords[j]·d2)
     * @param scale R / radius = ‖θ*‖ of the block
     * @param trained the training run that produced θ*
     */
    public record Result(TrainingConfig config, Block block, double radius, double scale, double[] coords,
                         double[][] objective, TrainingResult trained) implements ExperimentResult {
        public int center() {
            return (coords.length - 1) / 2;
        }

        public double centerObjective() {
            return objective[center()][center()];
        }

        /** {i, j} of the smallest objective on the grid. */
        public int[] argmin() {
            int[] best = {0, 0};
            for (int i = 0; i < coords.length; i++) {
                for (int j = 0; j < coords.length; j++) {
                    if (objective[i][j] < objective[best[0]][best[1]]) {
                        best = new int[] {i, j};
                    }
                }
            }
            return best;
        }

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public Table data() {
            Table t = new Table("i", "j", "a", "b", "objective");
            for (int i = 0; i < coords.length; i++) {
                for (int j = 0; j < coords.length; j++) {
                    t.add(i, j, coords[i], coords[j], objective[i][j]);
                }
            }
            return t;
        }

        @Override
        public Table summary() {
            int[] m = argmin();
            Table t = new Table("point", "a", "b", "objective L");
            t.add("trained solution θ*", 0.0, 0.0, centerObjective());
            t.add("grid minimum", coords[m[0]], coords[m[1]], objective[m[0]][m[1]]);
            double max = Arrays.stream(objective).flatMapToDouble(Arrays::stream).max().orElse(Double.NaN);
            t.add("grid maximum", null, null, max);
            return t;
        }

        @Override
        public Map<String, Object> json() {
            int[] m = argmin();
            return OrderedMap.of("experiment", NAME, "settings", config.toMap(),
                    "matrix", block.name().toLowerCase(Locale.ROOT), "grid", coords.length, "radius_relative", radius,
                    "block_norm", scale, "radius_absolute", radius * scale,
                    "evaluated_with", "backend loss (float kernels) on the training ratings",
                    "trained_final_objective", trained.last().objective(), "center_objective", centerObjective(),
                    "min_objective", objective[m[0]][m[1]], "min_a", coords[m[0]], "min_b", coords[m[1]],
                    "min_at_center", m[0] == center() && m[1] == center());
        }

        @Override
        public List<Chart<?, ?>> charts() {
            int g = coords.length;
            double h = g > 1 ? coords[1] - coords[0] : 1;
            XYChart c = new XYChartBuilder().width(900).height(680)
                    .title(String.format(Locale.ROOT, "L on the slice θ* + a·d1 + b·d2 (moving %s; %s, k = %d)",
                            block == Block.BOTH ? "P and Q" : block.name(),
                            config.describeAlgorithm(), config.rank))
                    .xAxisTitle("a (direction d1)").yAxisTitle("b (direction d2)").build();
            var st = c.getStyler();
            st.setChartBackgroundColor(Color.WHITE);
            st.setPlotBackgroundColor(Color.WHITE);
            st.setChartTitleBoxVisible(false);
            st.setLegendPosition(Styler.LegendPosition.OutsideE);
            st.setPlotGridLinesVisible(false);
            st.setXAxisMin(coords[0] - h / 2);
            st.setXAxisMax(coords[g - 1] + h / 2);
            st.setYAxisMin(coords[0] - h / 2);
            st.setYAxisMax(coords[g - 1] + h / 2);
            String pattern = radius * scale >= 0.01 && radius * scale < 1000 ? "0.###" : "0.##E0";
            st.setXAxisDecimalPattern(pattern);
            st.setYAxisDecimalPattern(pattern);
            st.setMarkerSize(14);
            double[] all = Arrays.stream(objective).flatMapToDouble(Arrays::stream).sorted().toArray();
            int levels = Math.min(10, all.length);
            double[] edges = new double[levels + 1];
            for (int l = 0; l <= levels; l++) {
                edges[l] = all[Math.min(all.length - 1, (int) Math.round((all.length - 1) * (double) l / levels))];
            }
            // each cell is a filled square (an XChart polygon series); the first cell of a level
            // carries the level's legend entry
            for (int l = 0; l < levels; l++) {
                boolean labelled = false;
                Color col = viridis(levels == 1 ? 0 : l / (double) (levels - 1));
                for (int i = 0; i < g; i++) {
                    for (int j = 0; j < g; j++) {
                        if (band(objective[i][j], edges) != l) {
                            continue;
                        }
                        String label = labelled ? "cell " + i + "," + j
                                : String.format(Locale.ROOT, "L %.6g – %.6g", edges[l], edges[l + 1]);
                        double x0 = coords[i] - h / 2;
                        double x1 = coords[i] + h / 2;
                        double y0 = coords[j] - h / 2;
                        double y1 = coords[j] + h / 2;
                        XYSeries s = c.addSeries(label, new double[] {x0, x1, x1, x0}, new double[] {y0, y0, y1, y1});
                        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
                        s.setMarker(SeriesMarkers.NONE);
                        s.setFillColor(col);
                        s.setLineColor(col);
                        s.setShowInLegend(!labelled);
                        labelled = true;
                    }
                }
            }
            XYSeries sol = c.addSeries(String.format(Locale.ROOT, "trained θ* (L %.6g)", centerObjective()),
                    new double[] {0}, new double[] {0});
            sol.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            sol.setMarker(SeriesMarkers.DIAMOND);
            sol.setMarkerColor(Color.BLACK);
            int[] m = argmin();
            XYSeries min = c.addSeries(String.format(Locale.ROOT, "grid minimum (L %.6g)", objective[m[0]][m[1]]),
                    new double[] {coords[m[0]]}, new double[] {coords[m[1]]});
            min.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            min.setMarker(SeriesMarkers.CROSS);
            min.setMarkerColor(Color.RED);
            return List.of(c);
        }

        private static int band(double v, double[] edges) {
            int levels = edges.length - 1;
            for (int l = 0; l < levels - 1; l++) {
                if (v < edges[l + 1]) {
                    return l;
                }
            }
            return levels - 1;
        }

        @Override
        public int chartColumns() {
            return 1;
        }
    }

    /** A perceptual colour ramp (viridis anchors, linearly interpolated), t in [0, 1]. */
    static Color viridis(double t) {
        int[][] anchors = {{0x44, 0x01, 0x54}, {0x3B, 0x52, 0x8B}, {0x21, 0x91, 0x8C}, {0x5E, 0xC9, 0x62},
            {0xFD, 0xE7, 0x25}};
        double x = Math.max(0, Math.min(1, t)) * (anchors.length - 1);
        int a = Math.min(anchors.length - 2, (int) x);
        double f = x - a;
        int[] rgb = new int[3];
        for (int c = 0; c < 3; c++) {
            rgb[c] = (int) Math.round(anchors[a][c] + f * (anchors[a + 1][c] - anchors[a][c]));
        }
        return new Color(rgb[0], rgb[1], rgb[2]);
    }

    /**
     * Trains θ* with the base configuration, then evaluates L on a {@code grid}×{@code grid} slice.
     *
     * @param radius half-width of the slice relative to ‖θ*‖ of the block
     */
    public static Result run(ExperimentContext ctx, Block block, int grid, double radius) {
        if (grid < 3 || grid % 2 == 0) {
            throw new LfmException("--grid must be odd and >= 3 so that the solution is a grid point (got " + grid + ")");
        }
        if (!(radius > 0) || Double.isInfinite(radius)) {
            throw new LfmException("--radius must be > 0 (got " + radius + ")");
        }
        TrainingConfig config = ctx.base();
        config.patience = 0;
        ctx.progress().start(String.format(Locale.ROOT, "%s: train θ* (%s, k = %d, %d epochs), then %d×%d points",
                NAME, config.describeAlgorithm(), config.rank, config.epochs, grid, grid), 1 + grid);
        TrainingResult trained = ctx.train(config, ctx.epochNotes("θ*", config.epochs));
        ctx.progress().step(String.format(Locale.ROOT, "trained: L %.6g, test RMSE %.4f", trained.last().objective(),
                trained.last().testRmse()));
        FactorModel star = trained.model();
        int np = block == Block.Q ? 0 : star.p.length;
        int nq = block == Block.P ? 0 : star.q.length;
        int dim = np + nq;
        double[] theta = new double[dim];
        for (int n = 0; n < np; n++) {
            theta[n] = star.p[n];
        }
        for (int n = 0; n < nq; n++) {
            theta[np + n] = star.q[n];
        }
        double scale = Math.sqrt(dot(theta, theta));
        if (!(scale > 0)) {
            throw new LfmException(NAME + ": the trained factors are all zero; lower --reg");
        }
        double[][] d = directions(dim, config.seed);
        double r = radius * scale;
        double[] coords = new double[grid];
        for (int i = 0; i < grid; i++) {
            coords[i] = i == (grid - 1) / 2 ? 0.0 : r * (-1 + 2.0 * i / (grid - 1));
        }
        Objective obj = config.objective();
        double[][] values = new double[grid][grid];
        FactorModel work = star.copy();
        try (Backend b = ctx.openBackend()) {
            RatingSet train = b.upload(ctx.train());
            for (int i = 0; i < grid; i++) {
                for (int j = 0; j < grid; j++) {
                    for (int n = 0; n < np; n++) {
                        work.p[n] = (float) (theta[n] + coords[i] * d[0][n] + coords[j] * d[1][n]);
                    }
                    for (int n = 0; n < nq; n++) {
                        int x = np + n;
                        work.q[n] = (float) (theta[x] + coords[i] * d[0][x] + coords[j] * d[1][x]);
                    }
                    b.setModel(work);
                    values[i][j] = b.loss(train, obj).value();
                }
                ctx.progress().step(String.format(Locale.ROOT, "row a = %.4g: L from %.6g to %.6g", coords[i],
                        Arrays.stream(values[i]).min().orElse(Double.NaN),
                        Arrays.stream(values[i]).max().orElse(Double.NaN)));
            }
        }
        return new Result(config, block, radius, scale, coords, values, trained);
    }

    /** Two seeded orthonormal directions in R^dim (Gaussian, then Gram–Schmidt). */
    static double[][] directions(int dim, long seed) {
        if (dim < 2) {
            throw new LfmException(NAME + ": the parameter block has fewer than 2 entries");
        }
        SplittableRandom rnd = new SplittableRandom(seed ^ 0x5DEECE66DL);
        double[] d1 = new double[dim];
        double[] d2 = new double[dim];
        for (int n = 0; n < dim; n++) {
            d1[n] = Gaussian.next(rnd);
            d2[n] = Gaussian.next(rnd);
        }
        scale(d1, 1 / Math.sqrt(dot(d1, d1)));
        double proj = dot(d2, d1);
        for (int n = 0; n < dim; n++) {
            d2[n] -= proj * d1[n];
        }
        scale(d2, 1 / Math.sqrt(dot(d2, d2)));
        return new double[][] {d1, d2};
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int n = 0; n < a.length; n++) {
            s += a[n] * b[n];
        }
        return s;
    }

    private static void scale(double[] a, double f) {
        for (int n = 0; n < a.length; n++) {
            a[n] *= f;
        }
    }
}
