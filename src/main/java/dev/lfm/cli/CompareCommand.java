package dev.lfm.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.lfm.LfmException;
import dev.lfm.compare.Comparison;
import dev.lfm.compute.Backend;
import dev.lfm.compute.BackendOptions;
import dev.lfm.compute.BackendProvider;
import dev.lfm.compute.BackendUnavailableException;
import dev.lfm.compute.Backends;
import dev.lfm.objective.Regularization;
import dev.lfm.train.Algorithm;
import dev.lfm.compute.Optimizer;
import dev.lfm.train.Trainer;
import dev.lfm.train.TrainingConfig;
import dev.lfm.train.TrainingResult;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
 * difference from the CPU's. The first {@code --warmup} epochs are trained but not timed. With
 * {@code --factor-storage half} each GPU backend is trained twice, with float and with fp16 P and Q,
 * so the RMSE cost of half storage sits beside its speed.
 */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train the same problem on each backend and compare speed and accuracy.",
            "The first --warmup epochs are trained but excluded from the timing. Effective GB/s uses "
                    + "bytes/update = 4*k*b + 12 (p_u and q_i read and written, b = 4 bytes as float32 or 2 as fp16, "
                    + "one 12-byte rating record)."})
public final class CompareCommand implements Callable<Integer> {
    @Mixin
    DataOptions data = new DataOptions();

    @Option(names = "--backends", split = ",", paramLabel = "NAME",
            description = "Backends to compare, comma-separated (default: all known: cuda,opencl,cpu).")
    List<String> backends;

    @Option(names = "--threads", defaultValue = "0", description = "CPU threads (0 = all; default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--device", defaultValue = "-1", description = "GPU device index (-1 = first GPU).")
    int device;

    @Option(names = "--factor-storage", defaultValue = "float", paramLabel = "float|half",
            description = "half: also train each GPU backend with P and Q stored as fp16 during SGD epochs (a second row; "
                    + "plain SGD only) (default: ${DEFAULT-VALUE}).")
    String factorStorage;

    @Option(names = "--seed", defaultValue = "42", description = "Seed for data, initialization and order (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = {"-k", "--rank"}, defaultValue = "64", description = "Rank k (default: ${DEFAULT-VALUE}).")
    int rank;

    @Option(names = "--epochs", defaultValue = "10", description = "Epochs in all, warm-up included (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--warmup", defaultValue = "1", description = "Leading epochs excluded from the timing (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--algorithm", defaultValue = "sgd", description = "sgd|als (default: ${DEFAULT-VALUE}).")
    String algorithm;

    @Option(names = "--batch-size", defaultValue = "1", description = "1 = SGD, b = mini-batch, all = full batch (default: ${DEFAULT-VALUE}).")
    String batchSize;

    @Option(names = "--optimizer", defaultValue = "sgd", description = "sgd|momentum|nesterov|adam (default: ${DEFAULT-VALUE}).")
    String optimizer;

    @Option(names = "--lr", defaultValue = "0.005", description = "Learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--reg", defaultValue = "0.05", description = "λ, factor regularization (default: ${DEFAULT-VALUE}).")
    double reg;

    @Option(names = "--reg-bias", defaultValue = "0.01", description = "λ_b, bias regularization (default: ${DEFAULT-VALUE}).")
    double regBias;

    @Option(names = "--regularization", defaultValue = "weighted", description = "weighted|uniform (default: ${DEFAULT-VALUE}).")
    String regularization;

    @Option(names = "--report", paramLabel = "FILE", description = "Write the comparison as JSON.")
    Path report;

    @Option(names = "--chart", paramLabel = "FILE", description = "Write a bar chart of updates/s (PNG).")
    Path chart;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        TrainingConfig config = config();
        PrintWriter out = spec.commandLine().getOut();
        if (backends != null) {
            backends.forEach(Backends::provider); // unknown names fail before the data is loaded
        }
        Dataset ds = data.load(seed, out);
        compare(ds, config, out);
        return 0;
    }

    TrainingConfig config() {
        TrainingConfig c = TrainingConfig.defaults();
        try {
            c.algorithm = Algorithm.parse(algorithm);
            c.optimizer = Optimizer.parse(optimizer);
            c.regularization = Regularization.parse(regularization);
        } catch (IllegalArgumentException e) {
            throw new LfmException(e.getMessage());
        }
        c.rank = rank;
        c.epochs = epochs;
        c.lr = lr;
        c.lambda = reg;
        c.lambdaBias = regBias;
        c.seed = seed;
        c.batchSize = parseBatch(batchSize);
        c.validate();
        if (BackendFlags.halfFactors(factorStorage) && !c.isPlainSgd()) {
            throw new LfmException("--factor-storage half applies to SGD epochs (--algorithm sgd --batch-size 1 "
                    + "--optimizer sgd)");
        }
        if (warmup < 0 || warmup >= epochs) {
            throw new LfmException("--warmup must be >= 0 and below --epochs (got " + warmup + " of " + epochs + ")");
        }
        return c;
    }

    private static int parseBatch(String s) {
        if ("all".equalsIgnoreCase(s) || "full".equalsIgnoreCase(s)) {
            return 0;
        }
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new LfmException("--batch-size must be a number or 'all' (got '" + s + "')");
        }
    }

    /** Trains on every requested backend that is available and prints (and writes) the comparison. */
    List<Comparison.Row> compare(Dataset ds, TrainingConfig config, PrintWriter out) {
        List<String> names = backends == null || backends.isEmpty() ? Backends.names() : backends;
        out.printf("data: %s%n", ds.description());
        out.printf("training: %s, k=%d, %d epochs (first %d untimed warm-up), lr=%s, seed=%d%n",
                config.describeAlgorithm(), config.rank, config.epochs, warmup, config.lr, config.seed);
        List<Comparison.Measured> measured = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (String raw : names) {
            String name = raw.trim().toLowerCase(Locale.ROOT);
            BackendProvider provider;
            try {
                provider = Backends.provider(name);
            } catch (IllegalArgumentException e) {
                throw new LfmException(e.getMessage());
            }
            String why = provider.unavailableReason();
            if (why != null) {
                skip(out, skipped, name, why);
                continue;
            }
            boolean both = BackendFlags.halfFactors(factorStorage) && !"cpu".equals(name);
            for (boolean half : both ? new boolean[] {false, true} : new boolean[] {false}) {
                Backend backend;
                try {
                    backend = provider.open(new BackendOptions(threads, device, half));
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
        if (report != null) {
            writeReport(report, ds, config, rows, skipped);
            out.printf("report: %s%n", report);
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
        sb.append(String.format(Locale.ROOT, "timing: mean of epochs %d.. (the first %d excluded as warm-up); "
                + "GB/s = updates/s x (4*k*b + 12) bytes / 1e9, b = 4 (fp32) or 2 (fp16 factors)%n", warmup + 1, warmup));
        return sb.toString();
    }

    private static String clip(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "~";
    }

    private static String num(String fmt, double x) {
        return Double.isFinite(x) ? String.format(Locale.ROOT, fmt, x) : "-";
    }

    private static Double json(double x) {
        return Double.isFinite(x) ? x : null;
    }

    private void writeReport(Path file, Dataset ds, TrainingConfig config, List<Comparison.Row> rows,
                             List<String> skipped) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("created", Instant.now().toString());
        root.put("data", ds.description());
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("algorithm", config.describeAlgorithm());
        training.put("rank", config.rank);
        training.put("epochs", config.epochs);
        training.put("warmup_epochs", warmup);
        training.put("lr", config.lr);
        training.put("reg", config.lambda);
        training.put("reg_bias", config.lambdaBias);
        training.put("regularization", config.regularization.name().toLowerCase(Locale.ROOT));
        training.put("seed", config.seed);
        root.put("training", training);
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
            m.put("seconds_per_epoch", json(r.secondsPerEpoch()));
            m.put("updates_per_second", json(r.updatesPerSecond()));
            m.put("effective_gb_per_second", json(r.gbPerSecond()));
            m.put("speedup_vs_cpu", json(r.speedup()));
            m.put("test_rmse", json(r.testRmse()));
            m.put("test_rmse_minus_cpu", json(r.rmseDiff()));
            list.add(m);
        }
        root.put("backends", list);
        root.put("skipped", skipped);
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        writeAtomically(file, os -> mapper.writeValue(os, root));
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
        writeAtomically(file, os -> BitmapEncoder.saveBitmap(c, os, BitmapEncoder.BitmapFormat.PNG));
    }

    private interface Writer {
        void write(OutputStream os) throws IOException;
    }

    /** Writes to a temporary sibling and renames it, so a failure never leaves a half-written file. */
    private static void writeAtomically(Path file, Writer w) {
        Path abs = file.toAbsolutePath();
        Path tmp = null;
        try {
            Files.createDirectories(abs.getParent());
            tmp = Files.createTempFile(abs.getParent(), abs.getFileName().toString(), ".tmp");
            try (OutputStream os = Files.newOutputStream(tmp)) {
                w.write(os);
            }
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new LfmException("cannot write " + file + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort
                }
            }
        }
    }
}
