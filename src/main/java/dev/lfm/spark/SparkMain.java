package dev.lfm.spark;

import dev.lfm.train.Algorithm;

import dev.lfm.compute.Optimizer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.lfm.LfmException;
import dev.lfm.model.ModelIO;
import dev.lfm.train.EpochRecord;
import dev.lfm.train.TrainingConfig;
import dev.lfm.train.TrainingResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The entry point for {@code spark-submit --class dev.lfm.spark.SparkMain target/lfm.jar train ...}
 * until the CLI's {@code --engine spark} is wired: DSGD (or {@code --engine spark-als}: MLlib ALS)
 * on the session spark-submit configured ({@code --master} given here is used only when no
 * master is configured, e.g. run with plain {@code java}). Flags follow {@code lfm train}'s names.
 */
public final class SparkMain {
    private SparkMain() {
    }

    static final String USAGE = "usage: train --data PATH [--test PATH] [--format auto|parquet|libmf|movielens-csv|...] "
            + "[--delimiter D] [--engine spark|spark-als] [--master URL] [--partitions P] [--checkpoint-every N] "
            + "[--checkpoint-dir DIR] [--rank K] [--epochs N] [--lr X] [--lr-bias X] [--reg X] [--reg-bias X] "
            + "[--lr-decay X] [--patience N] [--seed S] [--test-fraction F] [--validation-fraction F] "
            + "[--save MODEL] [--report FILE.json]";

    public static void main(String[] args) {
        try {
            run(args);
        } catch (LfmException e) {
            System.err.println("lfm: " + e.getMessage());
            System.exit(1);
        }
    }

    static void run(String[] args) {
        SparkAvailability.require();
        if (args.length == 0 || !args[0].equals("train")) {
            throw new LfmException(USAGE);
        }
        Map<String, String> o = new LinkedHashMap<>();
        for (int a = 1; a < args.length; a++) {
            if (!args[a].startsWith("--") || a + 1 >= args.length) {
                throw new LfmException("unexpected '" + args[a] + "'; " + USAGE);
            }
            o.put(args[a].substring(2), args[++a]);
        }
        String data = required(o, "data");
        TrainingConfig c = TrainingConfig.defaults(Algorithm.GD, Optimizer.SGD); // DSGD runs plain per-rating SGD
        // the automatic rank and λ are single-machine features: DSGD's own defaults are the measured
        // ml-latest-small setting (README, "Running on a Spark cluster")
        c.rank = integer(o, "rank", 32);
        c.epochs = integer(o, "epochs", c.epochs);
        c.lr = number(o, "lr", c.lr);
        c.lrBias = number(o, "lr-bias", c.lrBias);
        c.lambda = number(o, "reg", 0.05);
        c.lambdaBias = number(o, "reg-bias", c.lambdaBias);
        c.lrDecay = number(o, "lr-decay", c.lrDecay);
        c.patience = integer(o, "patience", c.patience);
        c.seed = (long) number(o, "seed", c.seed);
        c.validate();
        double testFraction = number(o, "test-fraction", 0.2);
        double validationFraction = number(o, "validation-fraction", c.patience != 0 ? 0.1 : 0);
        String engine = o.getOrDefault("engine", "spark");

        SparkSession.Builder b = SparkSession.builder().appName("lfm");
        if (!new org.apache.spark.SparkConf().contains("spark.master")) {
            b.master(o.getOrDefault("master", "local[*]")).config("spark.ui.enabled", "false");
        }
        SparkSession spark = b.getOrCreate();
        try {
            if (o.containsKey("checkpoint-dir")) {
                spark.sparkContext().setCheckpointDir(o.get("checkpoint-dir"));
            }
            int p = integer(o, "partitions", spark.sparkContext().defaultParallelism());
            String format = o.getOrDefault("format", "auto");
            Dataset<Row> ratings = SparkRatings.read(spark, data, format, o.get("delimiter"));
            Dataset<Row> withParts = o.containsKey("test")
                    ? SparkRatings.trainTest(ratings, SparkRatings.read(spark, o.get("test"), format, o.get("delimiter")),
                            validationFraction, c.seed)
                    : SparkRatings.split(ratings, testFraction, validationFraction, c.seed);
            SparkData prepared = SparkData.prepare(spark, withParts, p, data);
            System.out.printf(Locale.ROOT, "%s: %d train, %d validation, %d test ratings; %d users x %d items; "
                            + "%d x %d blocks; prepared in %.1f s%n", data, prepared.numTrain(), prepared.numValidation(),
                    prepared.numTest(), prepared.numUsers(), prepared.numItems(), p, p, prepared.seconds());
            Map<String, Object> report = new LinkedHashMap<>();
            if (engine.equals("spark-als")) {
                MllibAls.Result r = MllibAls.train(prepared, c);
                System.out.printf(Locale.ROOT, "MLlib ALS k=%d, %d iterations, regParam %s: %.1f s, objective %.6g, "
                                + "test RMSE %.4f (no biases)%n", r.rank(), r.iterations(), r.regParam(), r.seconds(),
                        r.objective(), r.testRmse());
                report.put("engine", "spark-als");
                report.put("master", spark.sparkContext().master());
                report.put("partitions", p);
                report.put("result", r);
            } else if (engine.equals("spark")) {
                SparkTrainingResult r = new DsgdTrainer(c, new DsgdOptions(p, integer(o, "checkpoint-every",
                        DsgdOptions.DEFAULT_CHECKPOINT_EVERY)), rec -> System.out.printf(Locale.ROOT,
                        "epoch %3d  objective %.6g  train %.4f  validation %.4f  test %.4f  %.2f s%n", rec.epoch(),
                        rec.objective(), rec.trainRmse(), rec.validationRmse(), rec.testRmse(), rec.seconds()))
                        .train(prepared);
                TrainingResult t = r.result();
                System.out.printf(Locale.ROOT, "best epoch %d: test RMSE %.4f, %.1f s training, driver heap %d MB%n",
                        t.bestEpoch(), t.best().testRmse(), t.trainSeconds(), r.driverHeapBytes() >> 20);
                report.putAll(r.reportFields());
                report.put("best_epoch", t.bestEpoch());
                report.put("train_seconds", t.trainSeconds());
                List<EpochRecord> h = new ArrayList<>(t.history());
                report.put("history", h);
                if (o.containsKey("save")) {
                    ModelIO.save(t.model(), Path.of(o.get("save")));
                }
            } else {
                throw new LfmException("--engine must be spark or spark-als (got '" + engine + "')");
            }
            if (o.containsKey("report")) {
                write(report, Path.of(o.get("report")));
            }
            prepared.release();
        } finally {
            spark.stop();
        }
    }

    private static void write(Map<String, Object> report, Path file) {
        try {
            Path tmp = file.toAbsolutePath().resolveSibling("." + file.getFileName() + ".tmp");
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(tmp.toFile(), report);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new LfmException(file + ": cannot write the report (" + e.getMessage() + ")");
        }
    }

    private static String required(Map<String, String> o, String key) {
        String v = o.get(key);
        if (v == null) {
            throw new LfmException("--" + key + " is required; " + USAGE);
        }
        return v;
    }

    private static int integer(Map<String, String> o, String key, int dflt) {
        return (int) number(o, key, dflt);
    }

    private static double number(Map<String, String> o, String key, double dflt) {
        String v = o.get(key);
        if (v == null) {
            return dflt;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new LfmException("--" + key + " must be a number (got '" + v + "')");
        }
    }
}
