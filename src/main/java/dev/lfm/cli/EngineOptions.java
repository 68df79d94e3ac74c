package dev.lfm.cli;

import dev.lfm.LfmException;
import dev.lfm.spark.SparkAvailability;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code lfm train --engine local|spark|spark-als} (a picocli mixin). Links no Spark type: the
 * classes that do ({@link SparkTrain}, {@link SparkCompare}) are reached only after
 * {@link SparkAvailability#require()} has passed, so a run without Spark on the class path never
 * meets a {@code NoClassDefFoundError}.
 */
public final class EngineOptions {
    /** The engine names, in the order help lists them. */
    static final List<String> NAMES = List.of("local", "spark", "spark-als");

    /** DSGD's defaults for what lfm otherwise chooses on one machine (rank and λ); the ml-latest-small setting of the README. */
    static final int SPARK_RANK = 32;
    static final double SPARK_LAMBDA = 0.05;

    @Option(names = "--engine", paramLabel = "NAME", description = {
        "local (the default: this machine, on --backend) | spark (DSGD on Apache Spark, --master, --partitions; "
                + "each task runs lfm's CPU SGD on its block: plain per-rating SGD (--optimizer sgd), and without "
                + "-k / --reg k=" + SPARK_RANK + ", reg=" + SPARK_LAMBDA + " (the automatic rank and λ are chosen on "
                + "one machine); the note line says which defaults were taken) | spark-als (Spark MLlib's ALS: -k, "
                + "--reg as regParam, --epochs as iterations; no μ, no biases, no --save). With --data, Spark reads "
                + "and splits the file itself (a seeded hash split, never collected to the driver); --exact-split "
                + "gives it --engine local's split instead."})
    public String engine;

    @Option(names = "--exact-split", description = "--engine spark|spark-als: read --data with lfm's reader on the "
            + "driver and train on exactly the split --engine local uses (for comparing engines; the ratings pass "
            + "through the driver's memory). The synthetic problem always works this way.")
    public boolean exactSplit;

    @Mixin
    public SparkOptions spark;

    /** The engine named (default local); an unknown name is one line. */
    public String name() {
        return parse(engine == null ? "local" : engine);
    }

    static String parse(String raw) {
        String e = raw.trim().toLowerCase(Locale.ROOT);
        if (!NAMES.contains(e)) {
            throw new LfmException("--engine must be local, spark or spark-als (got '" + raw + "')");
        }
        return e;
    }

    /**
     * True for a Spark engine; for {@code local}, a Spark-only flag given is one line (the flags' values
     * are checked as they are parsed, {@link FlagValues}).
     */
    public boolean onSpark() {
        String e = name();
        if (e.equals("local")) {
            if (spark.anyGiven() || exactSplit) {
                throw new LfmException((exactSplit ? "--exact-split" : spark.firstGiven())
                        + " applies to --engine spark or spark-als");
            }
            return false;
        }
        return true;
    }

    /** Runs {@code lfm train} on the Spark engine: Spark's presence is checked first, in one line. */
    Integer train(TrainCommand command) {
        SparkAvailability.require();
        return new SparkTrain(command, name()).call();
    }
}
