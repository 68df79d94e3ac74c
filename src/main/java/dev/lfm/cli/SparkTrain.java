package dev.lfm.cli;

import dev.lfm.LfmException;
import dev.lfm.OrderedMap;
import dev.lfm.compute.Optimizer;
import dev.lfm.data.DuplicatePolicy;
import dev.lfm.data.Split;
import dev.lfm.model.FactorModel;
import dev.lfm.model.ModelIO;
import dev.lfm.spark.DsgdOptions;
import dev.lfm.spark.DsgdTrainer;
import dev.lfm.spark.MllibAls;
import dev.lfm.spark.Sessions;
import dev.lfm.spark.SparkData;
import dev.lfm.spark.SparkRatings;
import dev.lfm.spark.SparkTrainingResult;
import dev.lfm.train.Algorithm;
import dev.lfm.train.EpochRecord;
import dev.lfm.train.TrainingConfig;
import dev.lfm.train.TrainingResult;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code lfm train --engine spark|spark-als}: the same flags as the local engine (data, training,
 * {@code --save}, {@code --report}), run by {@link DsgdTrainer} or {@link MllibAls} on the session
 * {@link Sessions#open} gives (spark-submit's, else an embedded one on {@code --master}). Loaded only
 * after {@code SparkAvailability.require()} (see {@link EngineOptions}).
 */
final class SparkTrain {
    private final TrainCommand cmd;
    private final String engine;
    private final PrintWriter out;
    private final PrintWriter err;

    SparkTrain(TrainCommand cmd, String engine) {
        this.cmd = cmd;
        this.engine = engine;
        this.out = cmd.spec.commandLine().getOut();
        this.err = cmd.spec.commandLine().getErr();
    }

    Integer call() {
        boolean als = engine.equals("spark-als");
        refuseWhatDoesNotApply(als);
        TrainingConfig c = config(als);
        cmd.output.checkWritable();
        SparkOptions so = cmd.engine.spark;
        DsgdOptions dsgd = als ? null : new DsgdOptions(so.partitions == null ? 1 : so.partitions,
                so.checkpointEvery == null ? DsgdOptions.DEFAULT_CHECKPOINT_EVERY : so.checkpointEvery, taskBackend());
        if (!als) {
            new DsgdTrainer(c, dsgd, null); // refuses what DSGD cannot train, in one line, before Spark starts
            String local = so.master == null ? "local[*]" : so.master;
            if (!dsgd.backend().equals("cpu") && Sessions.localCores(local) > 0 && System.getProperty("spark.master") == null) {
                // an embedded session: the executors are this JVM, so an unavailable backend is known now
                String why = dev.lfm.compute.Backends.provider(dsgd.backend()).unavailableReason();
                if (why != null) {
                    throw new LfmException(dsgd.backend() + " backend not available: " + why);
                }
            }
        } else if (c.regularization != dev.lfm.objective.Regularization.WEIGHTED) {
            throw new LfmException("--engine spark-als: MLlib's ALS regularizes by ALS-WR, lfm's --regularization weighted; "
                    + "use --engine local for --regularization uniform");
        }
        requireVectorApi();
        try (Sessions.Handle h = Sessions.open(so.master, so.partitions == null ? 0 : so.partitions,
                note -> err.println("note: " + note))) {
            return run(h, c, als, dsgd);
        } catch (Exception e) {
            throw vectorApiMissing(e);
        }
    }

    /** The Vector API line, for a driver or executor JVM started without it. */
    static final String NO_VECTOR_API = "lfm's CPU kernel (each Spark task runs it) needs the Vector API in every JVM: "
            + "--add-modules jdk.incubator.vector (spark-submit --driver-java-options '--add-modules jdk.incubator.vector' "
            + "--conf spark.executor.extraJavaOptions=--add-modules=jdk.incubator.vector)";

    /** One line when this (driver) JVM lacks jdk.incubator.vector. */
    static void requireVectorApi() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            throw new LfmException(NO_VECTOR_API);
        }
    }

    /**
     * {@code e} as one line when an executor failed for want of the Vector API ({@link #NO_VECTOR_API})
     * or of the task backend asked for (its reason); else {@code e}.
     */
    static RuntimeException vectorApiMissing(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String m = t.getMessage();
            if (t instanceof dev.lfm.compute.BackendUnavailableException) {
                return new LfmException(m); // a task's backend could not open on its executor
            }
            String unavailable = "BackendUnavailableException: ";
            if (m != null && m.contains(unavailable)) {
                String rest = m.substring(m.indexOf(unavailable) + unavailable.length());
                return new LfmException(rest.lines().findFirst().orElse(rest));
            }
            if ((t instanceof NoClassDefFoundError || t instanceof ClassNotFoundException
                    || (m != null && m.contains("NoClassDefFoundError"))) && m != null && m.contains("jdk/incubator/vector")) {
                return new LfmException(NO_VECTOR_API);
            }
        }
        return e instanceof RuntimeException r ? r : new RuntimeException(e);
    }

    private Integer run(Sessions.Handle h, TrainingConfig c, boolean als, DsgdOptions dsgd) {
        SparkOptions so = cmd.engine.spark;
        SparkSession spark = h.spark();
        if (so.checkpointDir != null) {
            spark.sparkContext().setCheckpointDir(so.checkpointDir);
        }
        int p = so.partitions != null ? so.partitions : spark.sparkContext().defaultParallelism();
        String[] description = new String[1];
        SparkData.Locator[] locator = new SparkData.Locator[1];
        Dataset<Row> rows = ratings(spark, c, p, description, locator);
        SparkData data = SparkData.prepare(spark, rows, p, description[0], locator[0]);
        try {
            String summary = String.format(Locale.ROOT, "%s: %d users x %d items; %d train / %d validation / %d test "
                            + "ratings", description[0], data.summary().users(), data.summary().items(), data.summary().train(),
                    data.summary().validation(), data.summary().test());
            out.println("data: " + summary);
            out.printf(Locale.ROOT, "engine: %s on %s (Spark %s), %d x %d blocks, prepared in %.1f s%n",
                    als ? "MLlib ALS" : "DSGD", h.master(), spark.version(), p, p, data.summary().seconds());
            if (als) {
                return als(data, c, h.master(), p, summary);
            }
            return dsgd(data, c, new DsgdOptions(p, dsgd.checkpointEvery(), dsgd.backend()), summary);
        } finally {
            data.release();
        }
    }

    /** One line for every flag of the local engine that has no meaning here. */
    private void refuseWhatDoesNotApply(boolean als) {
        String name = "--engine " + engine;
        if (cmd.folds.folds != null) {
            throw new LfmException("--folds runs on --engine local only (" + name + " trains once)");
        }
        if (cmd.initModel != null) {
            throw new LfmException("--init-model runs on --engine local only");
        }
        String b = taskBackend();
        if (als && !b.equals("cpu")) {
            throw new LfmException(name + ": MLlib trains on its own; --backend " + cmd.backend.name()
                    + " applies to --engine spark (DSGD) and --engine local");
        }
        if (!List.of("cpu", "opencl", "cuda").contains(b)) {
            throw new LfmException(name + ": each task runs --backend cpu (one thread, the default), opencl or cuda "
                    + "(got '" + cmd.backend.name() + "')");
        }
        if (cmd.device.device != -1) {
            throw new LfmException("--device applies to --engine local (a Spark task takes its executor's first GPU)");
        }
        if (cmd.device.half()) {
            throw new LfmException("--factor-storage half applies to --engine local");
        }
        if (als && cmd.save != null) {
            throw new LfmException("--save: MLlib ALS has no μ and no biases, so its factors are no lfm model; "
                    + "use --engine spark (DSGD) to get a model file");
        }
        if (cmd.data.file.duplicates != DuplicatePolicy.ERROR && !driverReads()) {
            throw new LfmException("--duplicates applies to lfm's reader: add --exact-split to read on the driver, "
                    + "or remove the duplicate pairs first (Spark's reader refuses them, as --duplicates error)");
        }
        if (cmd.data.file.data != null && cmd.data.file.data.toString().equals("-") && !driverReads()) {
            throw new LfmException(name + " reads files, not standard input (or add --exact-split)");
        }
    }

    /** The backend DSGD's tasks run: --backend as given, cpu for auto (the executors' hardware is not the driver's). */
    private String taskBackend() {
        String b = cmd.backend.name().toLowerCase(Locale.ROOT);
        return b.equals("auto") ? "cpu" : b;
    }

    /** Whether the ratings are read (or generated) on the driver: the synthetic problem, or --exact-split. */
    private boolean driverReads() {
        return cmd.data.isSynthetic() || cmd.engine.exactSplit;
    }

    /**
     * The configuration: DSGD starts from plain SGD ({@code --optimizer} given is kept, and refused by
     * DSGD unless sgd); rank and λ not given take {@link EngineOptions#SPARK_RANK} and
     * {@link EngineOptions#SPARK_LAMBDA}, and a note says so. MLlib ALS starts from lfm's ALS defaults.
     */
    private TrainingConfig config(boolean als) {
        TrainingConfig c = als ? TrainingConfig.defaults(Algorithm.ALS) : TrainingConfig.defaults(Algorithm.GD, Optimizer.SGD);
        List<String> taken = new ArrayList<>();
        if (!als && cmd.training.optimizer == null && cmd.training.algorithm == null) {
            taken.add("plain per-rating SGD");
        }
        if (cmd.training.model.rank == null) {
            c.rank = EngineOptions.SPARK_RANK;
            taken.add("k=" + c.rank);
        }
        if (cmd.training.model.reg == null) {
            c.lambda = EngineOptions.SPARK_LAMBDA;
            taken.add("reg=" + c.lambda);
        }
        cmd.tuning.applyTo(cmd.training.applyTo(c));
        c.seed = cmd.data.seed;
        c.validate();
        if (!taken.isEmpty()) {
            out.println("note: --engine " + engine + " uses " + String.join(", ", taken) + (als ? " (MLlib ALS's "
                    + "settings here; " : " (DSGD's defaults; ") + "lfm's automatic rank and λ are chosen on one machine)");
        }
        return c;
    }

    /** The ratings with their part column: read and split by Spark, or the driver's split handed to it. */
    private Dataset<Row> ratings(SparkSession spark, TrainingConfig c, int p, String[] description,
                                 SparkData.Locator[] locator) {
        DataOptions d = cmd.data;
        if (driverReads()) {
            dev.lfm.cli.Dataset ds = d.load(err);
            description[0] = ds.description().replaceFirst(":.*", "") + " (split on the driver, as --engine local)";
            return SparkRatings.of(spark, new Split(ds.train(), ds.validation(), ds.test()), p);
        }
        if (d.file.data != null && (d.trainFile != null || d.testFile != null)) {
            throw new LfmException("give either --data or --train with --test, not both");
        }
        if ((d.trainFile == null) != (d.testFile == null)) {
            throw new LfmException("--train and --test go together");
        }
        String format = sparkFormat(d.file.format);
        String delimiter = d.file.delimiter == null ? null : unescape(d.file.delimiter);
        if (delimiter != null && format.equals("auto")) {
            format = "delimited";
        }
        if (d.trainFile != null) {
            description[0] = d.trainFile + " + " + d.testFile + " (read by Spark)";
            locator[0] = SparkRatings.locator(SparkRatings.locator(spark, d.trainFile.toString(), format, delimiter),
                    SparkRatings.locator(spark, d.testFile.toString(), format, delimiter));
            return SparkRatings.trainTest(SparkRatings.read(spark, d.trainFile.toString(), format, delimiter),
                    SparkRatings.read(spark, d.testFile.toString(), format, delimiter), d.validationFraction, c.seed);
        }
        description[0] = d.file.data + " (read and hash-split by Spark)";
        locator[0] = SparkRatings.locator(spark, d.file.data.toString(), format, delimiter);
        return SparkRatings.split(SparkRatings.read(spark, d.file.data.toString(), format, delimiter), d.testFraction,
                d.validationFraction, c.seed);
    }

    /** lfm's --format names as {@link SparkRatings#read} takes them (it also reads parquet). */
    private static String sparkFormat(String f) {
        String s = f.trim().toLowerCase(Locale.ROOT);
        return switch (s) {
            case "movielens", "u.data" -> "movielens-100k";
            default -> s;
        };
    }

    private static String unescape(String d) {
        return switch (d) {
            case "\\t", "tab", "TAB" -> "\t";
            case "space", "whitespace" -> " ";
            default -> d;
        };
    }

    private Integer dsgd(SparkData data, TrainingConfig c, DsgdOptions options, String summary) {
        out.printf("model: %s, k=%d, lr=%s, reg=%s (%s), reg-bias=%s, epochs=%d%n", c.describeAlgorithm(), c.rank,
                fmt(c.lr), fmt(c.lambda), c.regularization.name().toLowerCase(Locale.ROOT), fmt(c.lambdaBias), c.epochs);
        if (!cmd.quiet) {
            out.println("epoch   objective     train_rmse  valid_rmse  test_rmse   seconds");
        }
        SparkTrainingResult sr = new DsgdTrainer(c, options, rec -> {
            if (!cmd.quiet) {
                out.printf("%5d  %12.6g  %10.5f  %10.5f  %10.5f  %7.2f%n", rec.epoch(), rec.objective(),
                        rec.trainRmse(), rec.validationRmse(), rec.testRmse(), rec.seconds());
                out.flush();
            }
        }).train(data);
        TrainingResult r = sr.result();
        EpochRecord best = r.best();
        TrainingConfig used = r.config();
        out.printf("%s after %d epochs%s: test RMSE %.5f, MAE %.5f (validation %.5f, train %.5f); "
                        + "%.2f s training, %.3g updates/s; driver heap peak %d MB%n",
                r.stoppedEarly() ? "stopped early" : "done", r.epochsRun(),
                used.patience > 0 ? " (best epoch " + r.bestEpoch() + ")" : "",
                best.testRmse(), best.testMae(), best.validationRmse(), best.trainRmse(), r.trainSeconds(),
                r.updatesPerSecond(), sr.driverHeapBytes() >> 20);
        StringBuilder heap = new StringBuilder("driver heap at each epoch's end, MB live after GC / of it Spark's on-heap "
                + "storage:");
        for (long[] h : sr.heapPerEpoch()) {
            heap.append(' ').append(h[0] >> 20).append('/').append(h[1] >> 20);
        }
        out.println(heap);
        FactorModel model = r.model();
        model.provenance.put("data", summary);
        if (cmd.save != null) {
            ModelIO.save(model, cmd.save);
            out.println("saved model to " + cmd.save);
        }
        Map<String, Object> m = new LinkedHashMap<>(sr.reportFields());
        m.putAll(report(used, summary, data.summary(), r));
        if (cmd.output.write(m)) {
            out.println("wrote report to " + cmd.output.report);
        }
        return 0;
    }

    private Integer als(SparkData data, TrainingConfig c, String master, int p, String summary) {
        out.printf("model: MLlib ALS (r̂ = p_u·q_i, no μ and no biases), k=%d, regParam=%s, %d iterations%n", c.rank,
                fmt(c.lambda), c.epochs);
        MllibAls.Result r = MllibAls.train(data, c);
        out.printf(Locale.ROOT, "done after %d iterations: test RMSE %.5f, MAE %.5f (validation %.5f, train %.5f); "
                        + "objective %.6g; %.2f s training%n", r.iterations(), r.testRmse(), r.testMae(),
                r.validationRmse(), r.trainRmse(), r.objective(), r.seconds());
        SparkData.Summary d = data.summary();
        Map<String, Object> m = OrderedMap.of("engine", "spark-als", "master", master, "partitions", p,
                "prepare_seconds", d.seconds(), "algorithm", "mllib-als", "biases", false, "rank", r.rank(),
                "epochs", r.iterations(), "data", summary, "num_users", d.users(), "num_items", d.items(),
                "num_train", d.train(), "num_validation", d.validation(), "num_test", d.test(),
                "reg", r.regParam(), "seed", c.seed, "objective", r.objective(), "train_rmse", r.trainRmse(),
                "validation_rmse", r.validationRmse(), "test_rmse", r.testRmse(), "test_mae", r.testMae(),
                "seconds", r.seconds());
        if (cmd.output.write(m)) {
            out.println("wrote report to " + cmd.output.report);
        }
        return 0;
    }

    /** The keys of {@code lfm train}'s report ({@link TrainCommand#report}) for a run whose ratings Spark holds. */
    static Map<String, Object> report(TrainingConfig c, String data, SparkData.Summary d, TrainingResult r) {
        return TrainCommand.report(c, data, d.users(), d.items(), d.train(), d.validation(), d.test(), r);
    }

    private static String fmt(double x) {
        return String.format("%.4g", x);
    }
}
