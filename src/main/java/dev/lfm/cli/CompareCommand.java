package dev.lfm.cli;

import dev.lfm.OrderedMap;
import dev.lfm.train.Algorithm;

import dev.lfm.compute.Optimizer;

import dev.lfm.LfmException;
import dev.lfm.compare.Comparison;
import dev.lfm.compute.Backend;
import dev.lfm.compute.BackendProvider;
import dev.lfm.compute.BackendUnavailableException;
import dev.lfm.compute.Backends;
import dev.lfm.io.OutputFiles;
import dev.lfm.train.DivergenceException;
import dev.lfm.train.EpochRecord;
import dev.lfm.train.Trainer;
import dev.lfm.train.TrainingListener;
import dev.lfm.train.TrainingConfig;
import dev.lfm.train.TrainingResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * {@code lfm compare}: the same training (data, seed, hyper-parameters, epochs) on each
 * available backend, then one table: seconds per epoch, updates/s, effective GB/s (traffic model
 * in {@link Comparison}), speedup against the CPU backend of the same run, final test RMSE and its
 * difference from the CPU's. The first {@code --warmup} epochs are trained but not timed (default
 * auto: each backend first repeats the training untimed until its epoch times settle,
 * {@link Comparison.Warmup}, then the timed run, whose own first epochs are excluded until they settle,
 * {@link Comparison#settledWarmup}). With
 * {@code --factor-storage half} each GPU backend is trained twice, with float and with fp16 P and Q,
 * so the RMSE cost of half storage sits beside its speed.
 */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train the same problem on each backend and compare speed and accuracy.",
            "The first --warmup epochs are trained but excluded from the timing (auto: each backend first repeats the "
                    + "training untimed until its epoch times settle, then the timed run; the table says how many "
                    + "epochs each took). Effective GB/s uses "
                    + "bytes/update = 4*k*b + 12 (p_u and q_i read and written, b = 4 bytes as float32 or 2 as fp16, "
                    + "one 12-byte rating record)."})
public final class CompareCommand extends LfmCommand {
    @Mixin
    DataOptions data;

    @Option(names = "--backends", split = ",", paramLabel = "NAME",
            description = "Backends to compare, comma-separated (default: all known: cuda,opencl,cpu).")
    List<String> backends;

    @Option(names = "--engines", split = ",", paramLabel = "NAME", description = "Engines to compare on the same "
            + "split and settings, comma-separated: local (this machine, on each of --backends), spark (DSGD on Apache "
            + "Spark), spark-als (Spark MLlib's ALS, --epochs iterations, no biases) (default: local). With a Spark "
            + "engine a second table gives seconds, test RMSE and objective per engine.")
    List<String> engines;

    @Mixin
    SparkOptions spark;

    @Mixin
    DeviceOptions device;

    @Mixin
    TrainingOptions training;

    @Option(names = "--warmup", defaultValue = "auto", paramLabel = "N|auto",
            description = "Leading epochs excluded from the timing; auto = per backend, the training repeated untimed "
                    + "first (until its last 5 epochs are no faster than 0.8x the 5 before, at least 2 s, at most 30 s), then "
                    + "the timed run's epochs from the first one after which every epoch takes at most 1.5x the median "
                    + "of its second half (default: ${DEFAULT-VALUE}).")
    String warmupFlag;

    /** --warmup as a number, or {@link Comparison#WARMUP_AUTO}. */
    int warmup;

    @Mixin
    OutputOptions output;

    @Option(names = "--chart", paramLabel = "FILE", converter = OutputPath.class, description = "Write a bar chart of "
            + "updates/s (PNG); with a Spark engine, test RMSE against training seconds per engine.")
    Path chart;

    @Override
    void showHelpDefaults(CommandSpec spec) {
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

    /**
     * One engine's outcome in the engine table.
     *
     * @param where backend and device, or Spark master and p
     * @param epochs epochs run (ALS: iterations)
     * @param trainSeconds the engine's own training time (evaluation excluded)
     * @param wallSeconds wall time of the whole training call (evaluation included, data preparation not)
     * @param testRmse test RMSE at the best epoch (early stopping) or the last
     * @param objective L at that epoch
     * @param history per-epoch records (empty for MLlib ALS, which reports only its end)
     */
    record EngineRow(String engine, String where, int epochs, double trainSeconds, double wallSeconds, double testRmse,
                     double objective, List<dev.lfm.train.EpochRecord> history) {
    }

    /** The engines asked for (default local), each known; the Spark ones in {@code sparkEngines()}. */
    List<String> engineNames() {
        List<String> e = new ArrayList<>();
        for (String raw : engines == null || engines.isEmpty() ? List.of("local") : engines) {
            String n = EngineOptions.parse(raw);
            if (!e.contains(n)) {
                e.add(n);
            }
        }
        return e;
    }

    @Override
    public Integer call() {
        TrainingConfig config = config();
        PrintWriter out = out();
        if (backends != null) {
            backends.forEach(Backends::provider); // unknown names fail before the data is loaded
        }
        List<String> names = engineNames();
        List<String> onSpark = names.stream().filter(n -> !n.equals("local")).toList();
        if (onSpark.isEmpty()) {
            if (spark.anyGiven()) {
                throw new LfmException(spark.firstGiven() + " applies to --engines with spark or spark-als");
            }
            output.checkWritable();
            if (chart != null) {
                OutputFiles.checkWritable(chart);
            }
            Dataset ds = data.load(out);
            compare(ds, config, out);
            return 0;
        }
        if (backends != null && !names.contains("local")) {
            throw new LfmException("--backends applies to the local engine: add local to --engines");
        }
        if (onSpark.contains("spark") && !config.isPlainSgd()) {
            throw new LfmException("--engines spark trains by plain per-rating SGD (DSGD): use --optimizer sgd "
                    + "--batch-size 1 (got " + config.describeAlgorithm() + ")");
        }
        if (device.half()) {
            throw new LfmException("--factor-storage half does not combine with --engines (the engine table compares "
                    + "float runs)");
        }
        dev.lfm.spark.SparkAvailability.require();
        output.checkWritable();
        if (chart != null) {
            OutputFiles.checkWritable(chart);
        }
        Dataset ds = data.load(out);
        compareEngines(ds, config, names, onSpark, out);
        return 0;
    }

    /** Local rows (one per backend), then the Spark engines on the very same split; both tables. */
    List<EngineRow> compareEngines(Dataset ds, TrainingConfig config, List<String> names, List<String> onSpark,
                                   PrintWriter out) {
        List<EngineRow> rows = new ArrayList<>();
        List<Comparison.Row> throughput = List.of();
        List<String> skipped = new ArrayList<>();
        header(ds, config, out);
        if (names.contains("local")) {
            List<Comparison.Measured> measured = measure(ds, config, backendNames(), skipped, out, rows);
            throughput = Comparison.rows(measured, config.rank, warmup);
            out.print(table(throughput, warmup));
        }
        rows.addAll(SparkCompare.run(ds, config, onSpark, spark, out, err()));
        out.print(engineTable(rows, config));
        out.flush();
        Map<String, Object> root = report(ds, config, throughput, skipped);
        root.put("engines", engineReport(rows));
        if (output.write(root)) {
            out.printf("report: %s%n", output.report);
        }
        if (chart != null) {
            writeEngineChart(chart, rows, config);
            out.printf("chart: %s%n", chart);
        }
        return rows;
    }

    /** The engine table: seconds, test RMSE, objective and RMSE against the first local row; notes under it. */
    static String engineTable(List<EngineRow> rows, TrainingConfig config) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-10s %-44s %6s %9s %9s %10s %12s %11s%n", "engine", "runs on", "epochs",
                "train s", "wall s", "test RMSE", "objective", "RMSE-local"));
        double ref = rows.stream().filter(r -> r.engine().equals("local")).mapToDouble(EngineRow::testRmse).findFirst()
                .orElse(Double.NaN);
        for (EngineRow r : rows) {
            sb.append(String.format(Locale.ROOT, "%-10s %-44s %6d %9s %9s %10s %12s %11s%n", r.engine(),
                    clip(r.where(), 44), r.epochs(), num("%.2f", r.trainSeconds()), num("%.2f", r.wallSeconds()),
                    num("%.5f", r.testRmse()), num("%.6g", r.objective()), num("%+.5f", r.testRmse() - ref)));
        }
        sb.append(String.format(Locale.ROOT, "same split and settings (k=%d, reg=%s, %s); test RMSE and objective at the "
                + "best validation epoch (early stopping) or the last; train s: the engine's training time without "
                + "evaluation, wall s: the whole training call, data preparation and Spark's start excluded%n",
                config.rank, config.lambda, config.describeAlgorithm()));
        if (rows.stream().anyMatch(r -> r.engine().equals("spark-als"))) {
            sb.append(String.format(Locale.ROOT, "spark-als: MLlib's ALS fits p_u·q_i only: no μ and no biases can be "
                    + "had there, which costs it accuracy on explicit ratings; --epochs %d are its iterations, --reg its "
                    + "regParam (ALS-WR, lfm's weighted λ); its objective is lfm's L for that model (μ = 0)%n",
                    config.epochs));
        }
        return sb.toString();
    }

    private static List<Map<String, Object>> engineReport(List<EngineRow> rows) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (EngineRow r : rows) {
            Map<String, Object> m = OrderedMap.of("engine", r.engine(), "runs_on", r.where(), "epochs", r.epochs(),
                    "train_seconds", r.trainSeconds(), "wall_seconds", r.wallSeconds(), "test_rmse", r.testRmse(),
                    "objective", r.objective(), "biases", !r.engine().equals("spark-als"));
            list.add(m);
        }
        return list;
    }

    /** Test RMSE against training seconds: a line per engine with epochs, one point for MLlib ALS. */
    private static void writeEngineChart(Path file, List<EngineRow> rows, TrainingConfig config) {
        org.knowm.xchart.XYChart c = new org.knowm.xchart.XYChartBuilder().width(800).height(500)
                .title("Test RMSE vs training seconds, k = " + config.rank)
                .xAxisTitle("training seconds").yAxisTitle("test RMSE").build();
        for (EngineRow r : rows) {
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (dev.lfm.train.EpochRecord e : r.history()) {
                if (Double.isFinite(e.testRmse())) {
                    x.add(e.elapsed());
                    y.add(e.testRmse());
                }
            }
            if (x.isEmpty() && Double.isFinite(r.testRmse())) {
                x.add(r.trainSeconds());
                y.add(r.testRmse());
            }
            if (!x.isEmpty()) {
                String name = r.engine() + " (" + clip(r.where(), 30) + ")";
                c.addSeries(name, x, y);
            }
        }
        OutputFiles.write(file, os -> BitmapEncoder.saveBitmap(c, os, BitmapEncoder.BitmapFormat.PNG));
    }

    private List<String> backendNames() {
        return backends == null || backends.isEmpty() ? Backends.names() : backends;
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

    /** The data and training lines both comparisons start with (the warm-up as --warmup says: auto or a count). */
    private void header(Dataset ds, TrainingConfig config, PrintWriter out) {
        out.printf("data: %s%n", ds.description());
        out.printf("training: %s, k=%d, %d epochs (%s), lr=%s, seed=%d%n",
                config.describeAlgorithm(), config.rank, config.epochs, warmup == Comparison.WARMUP_AUTO
                        ? "after untimed warm-up runs per backend until epoch times settle" : "first " + warmup
                        + " untimed warm-up",
                config.lr, config.seed);
    }

    /** Trains on every requested backend that is available and prints (and writes) the comparison. */
    List<Comparison.Row> compare(Dataset ds, TrainingConfig config, PrintWriter out) {
        List<String> names = backendNames();
        header(ds, config, out);
        List<String> skipped = new ArrayList<>();
        List<Comparison.Measured> measured = measure(ds, config, names, skipped, out, null);
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

    /**
     * Trains on every named backend that is available (skips noted on {@code out} and in
     * {@code skipped}); with {@code engineRows}, each float run is added there as a local engine row.
     */
    private List<Comparison.Measured> measure(Dataset ds, TrainingConfig config, List<String> names,
                                              List<String> skipped, PrintWriter out, List<EngineRow> engineRows) {
        List<Comparison.Measured> measured = new ArrayList<>();
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
                    String label = name + (half ? " (fp16 factors)" : "");
                    int warmed = 0;
                    if (warmup == Comparison.WARMUP_AUTO) {
                        out.printf("%s: warming up on %s (untimed, until epoch times settle) ...%n", label,
                                backend.device());
                        out.flush();
                        warmed = warmUp(backend, ds, config, out, label);
                    }
                    out.printf("%s: training on %s ...%n", label, backend.device());
                    out.flush();
                    long t0 = System.nanoTime();
                    TrainingResult r = new Trainer(config, null).train(backend, ds.train(), ds.validation(), ds.test());
                    measured.add(new Comparison.Measured(backend.name(), backend.device(), backend.threads(), r, half,
                            warmed));
                    if (engineRows != null && !half) {
                        engineRows.add(new EngineRow("local", backend.name() + ", " + backend.device(), r.epochsRun(),
                                r.trainSeconds(), (System.nanoTime() - t0) / 1e9, r.best().testRmse(),
                                r.best().objective(), r.history()));
                    }
                }
            }
        }
        if (measured.isEmpty()) {
            throw new LfmException("none of the backends " + String.join(",", names) + " is available");
        }
        return measured;
    }

    /**
     * The untimed warm-up: the same training (upload, block plan, epochs, evaluation passes: code the
     * timed run would otherwise have C2 compile, or recompile after a deoptimization, while it runs,
     * and on 2 cores a compiler thread takes one from the training), repeated, without early
     * stopping, the models discarded, until {@link Comparison.Warmup#settled} over all its epochs;
     * returns them. A divergence ends it (the timed run reports its own).
     */
    static int warmUp(Backend backend, Dataset ds, TrainingConfig config, PrintWriter out, String label) {
        TrainingConfig w = config.copy();
        w.patience = 0;
        List<Double> seconds = new ArrayList<>();
        boolean[] settled = {false};
        long t0 = System.nanoTime();
        TrainingListener settle = new TrainingListener() {
            @Override
            public void onEpoch(EpochRecord record) {
                seconds.add(record.seconds());
            }

            @Override
            public boolean stopAfter(EpochRecord record) {
                settled[0] = Comparison.Warmup.settled(seconds, (System.nanoTime() - t0) / 1e9);
                return settled[0];
            }
        };
        int runs = 0;
        while (!settled[0]) {
            runs++;
            try {
                new Trainer(w, settle).train(backend, ds.train(), ds.validation(), ds.test());
            } catch (DivergenceException e) {
                break;
            }
        }
        out.printf(Locale.ROOT, "%s: warm-up %d epoch%s (%d run%s) in %.1f s (last %s s an epoch)%n", label,
                seconds.size(), seconds.size() == 1 ? "" : "s", runs, runs == 1 ? "" : "s",
                (System.nanoTime() - t0) / 1e9,
                seconds.isEmpty() ? "-" : String.format(Locale.ROOT, "%.4g", seconds.get(seconds.size() - 1)));
        return seconds.size();
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
                    clip(r.device(), 44), r.threads(), r.factors(), num("%.4g", r.secondsPerEpoch()),
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
                        .append(' ').append(r.warmupRunEpochs()).append(" warm-up + ").append(r.timedEpochs())
                        .append(" timed");
            }
            sb.append(String.format(Locale.ROOT, "timing: each backend first repeats the training untimed until its "
                    + "epoch times settle, then the run above, timed as the median of its epochs after its own settling (epochs: "
                    + "%s); GB/s = updates/s x (4*k*b + 12) bytes / 1e9, b = 4 (fp32) or 2 (fp16 factors)%n", ex));
        } else {
            sb.append(String.format(Locale.ROOT, "timing: median of epochs %d.. (the first %d excluded as warm-up); "
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
        Map<String, Object> settings = config.toMap();
        settings.put("warmup_epochs", warmup == Comparison.WARMUP_AUTO ? "auto" : warmup);
        Map<String, Object> root = OrderedMap.of("created", Instant.now().toString(), "data", ds.description(),
                "training", settings,
                "bytes_per_update", Comparison.bytesPerUpdate(config.rank, Comparison.BYTES_PER_ELEMENT),
                "bytes_per_update_formula", "4*k*4 + 12",
                "bytes_per_update_half", Comparison.bytesPerUpdate(config.rank, Comparison.HALF_BYTES_PER_ELEMENT),
                "bytes_per_update_half_formula", "4*k*2 + 12");
        List<Map<String, Object>> list = new ArrayList<>();
        for (Comparison.Row r : rows) {
            Map<String, Object> m = OrderedMap.of("backend", r.backend(), "device", r.device(),
                    "threads", r.threads(), "factor_storage", r.halfFactors() ? "half" : "float",
                    "warmup_run_epochs", r.warmupRunEpochs(), "timed_epochs", r.timedEpochs(), "seconds_per_epoch", r.secondsPerEpoch(),
                    "updates_per_second", r.updatesPerSecond(), "effective_gb_per_second", r.gbPerSecond(),
                    "speedup_vs_cpu", r.speedup(), "test_rmse", r.testRmse(), "test_rmse_minus_cpu", r.rmseDiff());
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
