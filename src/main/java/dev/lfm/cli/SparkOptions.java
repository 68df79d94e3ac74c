package dev.lfm.cli;

import picocli.CommandLine.Option;

/**
 * Where and how the Spark engines run (a picocli mixin of {@code train} and {@code compare}):
 * master, partitions, checkpoints. Links no Spark type, so it loads without Spark.
 */
public final class SparkOptions {
    @Option(names = "--master", paramLabel = "URL", description = "Spark master for an embedded session, e.g. local[2] "
            + "(default: local[*]); under spark-submit the master is spark-submit's --master and this flag is ignored.")
    public String master;

    @Option(names = "--partitions", paramLabel = "P", converter = FlagValues.Positive.class, description = "DSGD: p, the grid is p x p blocks and each "
            + "sub-epoch runs p tasks; MLlib ALS: p user and p item blocks (default: Spark's default parallelism, "
            + "the cores of local[N]).")
    public Integer partitions;

    @Option(names = "--checkpoint-every", paramLabel = "N", converter = FlagValues.Positive.class, description = "DSGD: cut the lineage every N epochs "
            + "(default: 5).")
    public Integer checkpointEvery;

    @Option(names = "--checkpoint-dir", paramLabel = "DIR", description = "DSGD: reliable checkpoints in this "
            + "directory (HDFS on a cluster); without it, local checkpoints (faster, lost with an executor).")
    public String checkpointDir;

    /** True when any of these flags was given. */
    boolean anyGiven() {
        return master != null || partitions != null || checkpointEvery != null || checkpointDir != null;
    }

    /** The first flag given, for "applies to --engine spark only" messages. */
    String firstGiven() {
        return master != null ? "--master" : partitions != null ? "--partitions"
                : checkpointEvery != null ? "--checkpoint-every" : "--checkpoint-dir";
    }
}
