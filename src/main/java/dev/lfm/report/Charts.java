package dev.lfm.report;

import dev.lfm.io.OutputFiles;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Chart construction and PNG output through XChart. Rendering is headless
 * ({@code java.awt.headless=true} is set before the first chart). Several charts are saved as
 * panels of one PNG with XChart's own grid layout.
 */
public final class Charts {
    /** Panel size in pixels. */
    public static final int WIDTH = 800;
    public static final int HEIGHT = 520;

    /** A qualitative palette (Okabe–Ito, colour-blind safe). */
    public static final Color[] PALETTE = {
        new Color(0x0072B2), new Color(0xD55E00), new Color(0x009E73), new Color(0xCC79A7),
        new Color(0xE69F00), new Color(0x56B4E9), new Color(0x000000), new Color(0xF0E442),
    };

    public static final BasicStroke DASHED = new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER,
            10f, new float[] {6f, 4f}, 0f);

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Charts() {
    }

    /** An XY chart with title, axis titles, legend inside the plot and a white background. */
    public static XYChart xy(String title, String xTitle, String yTitle) {
        XYChart c = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).theme(Styler.ChartTheme.XChart).build();
        var st = c.getStyler();
        st.setLegendVisible(true);
        st.setLegendPosition(Styler.LegendPosition.InsideNE);
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotBackgroundColor(Color.WHITE);
        st.setPlotGridLinesColor(new Color(0xE0E0E0));
        st.setSeriesColors(PALETTE);
        st.setMarkerSize(7);
        st.setAntiAlias(true);
        st.setChartTitleBoxVisible(false);
        return c;
    }

    /** Adds a plain line (no markers). */
    public static XYSeries line(XYChart c, String name, double[] x, double[] y, Color color) {
        return lineSeries(c, name, x, y, color, SeriesMarkers.NONE);
    }

    /** Adds a line with circle markers. */
    public static XYSeries lineWithMarkers(XYChart c, String name, double[] x, double[] y, Color color) {
        XYSeries s = lineSeries(c, name, x, y, color, SeriesMarkers.CIRCLE);
        if (color != null) {
            s.setMarkerColor(color);
        }
        return s;
    }

    private static XYSeries lineSeries(XYChart c, String name, double[] x, double[] y, Color color, Marker marker) {
        XYSeries s = c.addSeries(name, x, y);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        s.setMarker(marker);
        if (color != null) {
            s.setLineColor(color);
        }
        return s;
    }

    /** Adds a single highlighted point (a marker in the legend). */
    public static XYSeries point(XYChart c, String name, double x, double y, Color color) {
        XYSeries s = c.addSeries(name, new double[] {x}, new double[] {y});
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        s.setMarker(SeriesMarkers.DIAMOND);
        s.setMarkerColor(color);
        return s;
    }

    /** Adds a dashed vertical line at {@code x} from {@code y0} to {@code y1}. */
    public static XYSeries vertical(XYChart c, String name, double x, double y0, double y1, Color color) {
        XYSeries s = line(c, name, new double[] {x, x}, new double[] {y0, y1}, color);
        s.setLineStyle(DASHED);
        return s;
    }

    /**
     * Adds a filled band between {@code lower} and {@code upper} over {@code x} (a closed polygon:
     * x forward along lower, backward along upper).
     */
    public static XYSeries band(XYChart c, String name, double[] x, double[] lower, double[] upper, Color fill) {
        int n = x.length;
        double[] px = new double[2 * n];
        double[] py = new double[2 * n];
        for (int j = 0; j < n; j++) {
            px[j] = x[j];
            py[j] = lower[j];
            px[2 * n - 1 - j] = x[j];
            py[2 * n - 1 - j] = upper[j];
        }
        XYSeries s = c.addSeries(name, px, py);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
        s.setMarker(SeriesMarkers.NONE);
        s.setFillColor(fill);
        s.setLineColor(fill);
        return s;
    }

    /** Finite minimum and maximum of arrays (for axis ranges and marker lines); {NaN, NaN} when none. */
    public static double[] range(double[]... arrays) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double[] a : arrays) {
            for (double v : a) {
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        return lo > hi ? new double[] {Double.NaN, Double.NaN} : new double[] {lo, hi};
    }

    /** Colour with alpha (0–255). */
    public static Color alpha(Color c, int alpha) {
        return new Color(c.getRed(), c.getGreen(), c.getBlue(), alpha);
    }

    /** Renders the charts as a grid of panels ({@code columns} wide) into one image. */
    public static BufferedImage render(List<? extends Chart<?, ?>> panels, int columns) {
        if (panels.size() == 1) {
            return BitmapEncoder.getBufferedImage(panels.get(0));
        }
        int cols = Math.min(columns, panels.size());
        int rows = (panels.size() + cols - 1) / cols;
        int w = panels.get(0).getWidth();
        int h = panels.get(0).getHeight();
        BufferedImage img = new BufferedImage(cols * w, rows * h, BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        for (int j = 0; j < panels.size(); j++) {
            g.drawImage(BitmapEncoder.getBufferedImage(panels.get(j)), (j % cols) * w, (j / cols) * h, null);
        }
        g.dispose();
        return img;
    }

    /** Saves the panels as one PNG at {@code target}, atomically. */
    public static Path savePng(Path target, List<? extends Chart<?, ?>> panels, int columns) {
        BufferedImage img = render(panels, columns);
        return OutputFiles.write(target, out -> {
            if (!javax.imageio.ImageIO.write(img, "png", out)) {
                throw new java.io.IOException("no PNG writer");
            }
        });
    }
}
