package dev.lfm.spark;

import dev.lfm.LfmException;

/**
 * Whether Apache Spark is on the class path. This class links no Spark type, so it loads (and
 * answers) without Spark; every other class of this package needs Spark.
 */
public final class SparkAvailability {
    /** The one line a user sees when Spark is asked for and missing. */
    public static final String MISSING = "--engine spark needs Apache Spark on the class path: build its jars with "
            + "'mvn -B -Pspark-libs -DskipTests package' (190 jars, 306 MB in target/spark-jars) or run lfm with spark-submit "
            + "(spark-submit --class dev.lfm.cli.Main target/lfm.jar train --engine spark ...)";

    private static volatile Boolean available;

    private SparkAvailability() {
    }

    /** True when Spark SQL and MLlib classes can be loaded (probed once, nothing initialized). */
    public static boolean isAvailable() {
        Boolean a = available;
        if (a == null) {
            a = probe();
            available = a;
        }
        return a;
    }

    /** Throws the one-line {@link LfmException} {@link #MISSING} when Spark is not on the class path. */
    public static void require() {
        if (!isAvailable()) {
            throw new LfmException(MISSING);
        }
    }

    private static boolean probe() {
        ClassLoader cl = SparkAvailability.class.getClassLoader();
        try {
            Class.forName("org.apache.spark.sql.SparkSession", false, cl);
            Class.forName("org.apache.spark.ml.recommendation.ALS", false, cl);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
