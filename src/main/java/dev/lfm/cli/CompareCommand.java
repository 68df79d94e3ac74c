package dev.lfm.cli;

import dev.lfm.train.Algorithm;

import dev.lfm.compute.Optimizer;

import dev.lfm.LfmException;
import dev.lfm.compare.Comparison;
import dev.lfm.compute.Backend;
import dev.lfm.compute.BackendProvider;
import dev.lfm.compute.BackendUnavailableException;
import dev.lfm.compute.Backends;
import dev.lfm.io.OutputFiles;
import dev.lfm.train.Trainer;
import dev.lfm.train.TrainingConfig;
import dev.lfm.train.TrainingResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code lfm compare}: the same training (data, seed, hyper-parameters, epochs) on each
 * available backend, then one table: seconds per epoch, updates/s, effective GB/s (traffic model
 * in {@link Comparison}), speedup against the CPU backend of the same run, final test RMSE and its
 * difference from the CPU's. The first {@code --warmup} epochs are trained but not timed (default
 * auto: per backend, until its epoch times settle, {@link Comparison#settledWarmup}). With
 * {@code --factor-storage half} each GPU backend is trained twice, with float and with fp16 P and Q,
 * so the RMSE cost of half storage sits beside its speed.
 */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train the same problem on each backend and compare speed and accuracy.",
            "The first --warmup epochs are trained but excluded from the timing (auto: per backend, until its epoch "
                    + "times settle; the table says how many). Effective GB/s uses "
                    + "bytes/update = 4*k*b + 12 (p_u and q_i read and written, b = 4 bytes as float32 or 2 as fp16, "
                    + "one 12-byte rating record)."})
public final class CompareCommand implements Callable<Integer> {
    @Mixin
    DataOptions data;

    @Option(names = "--backends", split = ",", paramLabel = "NAME",
            description = "Backends to compare, comma-separated (default: all known: cuda,opencl,cpu).")
    List<String> backends;

    @Mixin
    DeviceOptions device;

    @Mixin
    TrainingOptions training;

    @Option(names = "--warmup", defaultValue = "auto", paramLabel = "N|auto",
            description = "Leading epochs excluded from the timing; auto = per backend, until every later epoch takes "
                    + "at most 1.5x the median of the second half (default: ${DEFAULT-VALUE}).")
    String warmupFlag;

    /** --warmup as a number, or {@link Comparison#WARMUP_AUTO}. */
    int warmup;

    @Mixin
    OutputOptions output;

    @Option(names = "--chart", paramLabel = "FILE", converter = OutputPath.class, description = "Write a bar chart of updates/s (PNG).")
    Path chart;

    picocli.CommandLine.Model.CommandSpec spec;

    @Spec
    void spec(picocli.CommandLine.Model.CommandSpec spec) {
        this.spec = spec;
        TrainingHelp.show(spec, defaults(), false);
    }

    /** Compare's own starting point: a larger rank and fewer epochs than training's defaults (a timing run). */
    static TrainingConfig defaults() {
        TrainingConfig c = TrainingConfig.defaults(Algorithm.GD, Optimizer.SGD); // the plain kernel every backend has
        c.rank = 64;
        c.epochs = 10;
        c.lr = 0.005;
        c.lambda = 0.05;
        return c;
    }

    @Override
    public Integer call() {
        if (System.getProperty("lfm.cpu.warmup") == null) {
            System.setProperty("lfm.cpu.warmup", "true"); // steady-state CPU kernels before anything is timed
        }
        TrainingConfig config = config();
        PrintWriter out = spec.commandLine().getOut();
        if (backends != null) {
            backends.forEach(Backends::provider); // unknown names fail before the data is loaded
        }
        output.checkWritable();
        if (chart != null) {
            OutputFiles.checkWritable(chart);
        }
        Dataset ds = data.load(out);
        compare(ds, config, out);
        return 0;
    }

    /** {@link #defaults()} with every training flag given, validated. */
    TrainingConfig config() {
        TrainingConfig c = training.applyTo(defaults());
        c.seed = data.seed;
        c.validate();
        device.checkApplies(c);
        training.checkApplies(c);
        if ("auto".equalsIgnoreCase(warmupFlag == null ? "auto" : warmupFlag.trim())) {
            warmup = Comparison.WARMUP_AUTO;
            return c;
        }
        try {
            warmup = Integer.parseInt(warmupFlag.trim());
        } catch (NumberFormatException e) {
            throw new LfmException("--warmup must be a number of epochs or auto (got " + warmupFlag + ")");
        }
        if (warmup < 0 || warmup >= c.epochs) {
            throw new LfmException("--warmup must be >= 0 and below --epochs (got " + warmup + " of " + c.epochs + ")");
        }
        return c;
    }

    /** Trains on every requested backend that is available and prints (and writes) the comparison. */
    List<Comparison.Row> compare(Dataset ds, TrainingConfig config, PrintWriter out) {
        List<String> names = backends == null || backends.isEmpty() ? Backends.names() : backends;
        out.printf("data: %s%n", ds.description());
        out.printf("training: %s, k=%d, %d epochs (%s), lr=%s, seed=%d%n",
                config.describeAlgorithm(), config.rank, config.epochs, warmup == Comparison.WARMUP_AUTO
                        ? "untimed warm-up per backend until epoch times settle" : "first " + warmup + " untimed warm-up",
                config.lr, config.seed);
        List<Comparison.Measured> measured = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (String raw : names) {
            String name = raw.trim().toLowerCase(Locale.ROOT);
            BackendProvider provider = Backends.provider(name);
            String why = provider.unavailableReason();
            if (why != null) {
                skip(out, skipped, name, why);
                continue;
            }
            boolean both = device.half() && !"cpu".equals(name);
            for (boolean half : both ? new boolean[] {false, true} : new boolean[] {false}) {
                Backend backend;
                try {
                    backend = provider.open(device.options(name, half));
                } catch (BackendUnavailableException e) {
                    skip(out, skipped, name, e.getMessage());
                    break;
                }
                try (backend) {
                    out.printf("%s%s: training on %s ...%n", name, half ? " (fp16 factors)" : "", backend.device());
                    out.flush();
                    TrainingResult r = new Trainer(config, null).train(backend, ds.train(), ds.validation(), ds.test());
                    measured.add(new Comparison.Measured(backend.name(), backend.device(), backend.threads(), r, half));
                }
            }
        }
        if (measured.isEmpty()) {
            throw new LfmException("none of the backends " + String.join(",", names) + " is available");
        }
        List<Comparison.Row> rows = Comparison.rows(measured, config.rank, warmup);
        out.print(table(rows, warmup));
        out.flush();
        if (output.write(report(ds, config, rows, skipped))) {
            out.printf("report: %s%n", output.report);
        }
        if (chart != null) {
            writeChart(chart, rows, config);
            out.printf("chart: %s%n", chart);
        }
        return rows;
    }

    private static void skip(PrintWriter out, List<String> skipped, String name, String why) {
        String line = name + ": skipped (" + why + ")";
        out.println(line);
        skipped.add(line);
    }

    /** The console table; NaN cells print as "-". */
    static String table(List<Comparison.Row> rows, int warmup) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-8s %-44s %7s %7s %10s %12s %8s %8s %10s %11s%n", "backend", "device",
                "threads", "factors", "s/epoch", "updates/s", "GB/s", "speedup", "test RMSE", "RMSE-cpu"));
        for (Comparison.Row r : rows) {
            sb.append(String.format(Locale.ROOT, "%-8s %-44s %7d %7s %10s %12s %8s %8s %10s %11s%n", r.backend(),
                    clip(r.device(), 44), r.threads(), r.factors(), num("%.4f", r.secondsPerEpoch()),
                    num("%.4g", r.updatesPerSecond()), num("%.2f", r.gbPerSecond()), num("%.2fx", r.speedup()),
                    num("%.5f", r.testRmse()), num("%+.5f", r.rmseDiff())));
        }
        for (Comparison.Row h : rows) {
            if (!h.halfFactors()) {
                continue;
            }
            for (Comparison.Row f : rows) {
                if (!f.halfFactors() && f.backend().equals(h.backend()) && f.device().equals(h.device())) {
                    sb.append(String.format(Locale.ROOT, "%s fp16 vs fp32: test RMSE %s (%s), %s the updates/s%n",
                            h.backend(), num("%+.5f", h.testRmse() - f.testRmse()),
                            num("%+.3f%%", 100 * (h.testRmse() / f.testRmse() - 1)),
                            num("%.2fx", h.updatesPerSecond() / f.updatesPerSecond())));
                    break;
                }
            }
        }
        if (warmup == Comparison.WARMUP_AUTO) {
            StringBuilder ex = new StringBuilder();
            for (Comparison.Row r : rows) {
                ex.append(ex.length() == 0 ? "" : ", ").append(r.backend()).append(r.halfFactors() ? " fp16" : "")
                        .append(' ').append(r.timedEpochs()).append(" timed");
            }
            sb.append(String.format(Locale.ROOT, "timing: mean of the epochs after each backend's warm-up (excluded "
                    + "until epoch times settle: %s); GB/s = updates/s x (4*k*b + 12) bytes / 1e9, b = 4 (fp32) or 2 "
                    + "(fp16 factors)%n", ex));
        } else {
            sb.append(String.format(Locale.ROOT, "timing: mean of epochs %d.. (the first %d excluded as warm-up); "
                    + "GB/s = updates/s x (4*k*b + 12) bytes / 1e9, b = 4 (fp32) or 2 (fp16 factors)%n", warmup + 1, warmup));
        }
        return sb.toString();
    }

    private static String clip(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "~";
    }

    private static String num(String fmt, double x) {
        return Double.isFinite(x) ? String.format(Locale.ROOT, fmt, x) : "-";
    }

    /** The JSON report: data, {@link TrainingConfig#toMap() training} (with the warm-up), traffic model, one row per run. */
    private Map<String, Object> report(Dataset ds, TrainingConfig config, List<Comparison.Row> rows,
                                       List<String> skipped) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("created", Instant.now().toString());
        root.put("data", ds.description());
        Map<String, Object> settings = config.toMap();
        settings.put("warmup_epochs", warmup == Comparison.WARMUP_AUTO ? "auto" : warmup);
        root.put("training", settings);
        root.put("bytes_per_update", Comparison.bytesPerUpdate(config.rank, Comparison.BYTES_PER_ELEMENT));
        root.put("bytes_per_update_formula", "4*k*4 + 12");
        root.put("bytes_per_update_half", Comparison.bytesPerUpdate(config.rank, Comparison.HALF_BYTES_PER_ELEMENT));
        root.put("bytes_per_update_half_formula", "4*k*2 + 12");
        List<Map<String, Object>> list = new ArrayList<>();
        for (Comparison.Row r : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("backend", r.backend());
            m.put("device", r.device());
            m.put("threads", r.threads());
            m.put("factor_storage", r.halfFactors() ? "half" : "float");
            m.put("timed_epochs", r.timedEpochs());
            m.put("seconds_per_epoch", r.secondsPerEpoch());
            m.put("updates_per_second", r.updatesPerSecond());
            m.put("effective_gb_per_second", r.gbPerSecond());
            m.put("speedup_vs_cpu", r.speedup());
            m.put("test_rmse", r.testRmse());
            m.put("test_rmse_minus_cpu", r.rmseDiff());
            list.add(m);
        }
        root.put("backends", list);
        root.put("skipped", skipped);
        return root;
    }

    private static void writeChart(Path file, List<Comparison.Row> rows, TrainingConfig config) {
        CategoryChart c = new CategoryChartBuilder().width(800).height(500)
                .title("Training throughput, " + config.describeAlgorithm() + ", k = " + config.rank)
                .xAxisTitle("backend").yAxisTitle("million updates / s").build();
        c.getStyler().setLegendVisible(false);
        List<String> names = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (Comparison.Row r : rows) {
            names.add(r.backend() + " (" + r.threads() + ")" + (r.halfFactors() ? " fp16" : ""));
            values.add(r.updatesPerSecond() / 1e6);
        }
        c.addSeries("updates/s", names, values);
        OutputFiles.write(file, os -> BitmapEncoder.saveBitmap(c, os, BitmapEncoder.BitmapFormat.PNG));
    }
}
