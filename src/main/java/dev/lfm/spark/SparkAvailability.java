package dev.lfm.spark;

import dev.lfm.LfmException;

/**
 * Whether Apache Spark is on the class path. This class links no Spark type, so it loads (and
 * answers) without Spark; every other class of this package needs Spark.
 */
public final class SparkAvailability {
    /** The one line a user sees when Spark is asked for and missing. */
    public static final String MISSING = "--engine spark needs Apache Spark on the class path: build its jars with "
            + "'mvn -B -Pspark-libs -DskipTests package' (target/spark-jars, about 320 MB) or run lfm with spark-submit "
            + "(spark-submit --class dev.lfm.spark.SparkMain target/lfm.jar train ...)";

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
