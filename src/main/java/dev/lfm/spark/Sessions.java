package dev.lfm.spark;

import org.apache.spark.sql.SparkSession;

/** Embedded Spark sessions for one machine ({@code local[N]}): tests and {@code --master local[N]}. */
public final class Sessions {
    private Sessions() {
    }

    /**
     * A session on {@code master} (e.g. {@code local[2]}) with the UI off, {@code shufflePartitions}
     * SQL shuffle partitions and quiet logging; an existing session of this JVM is reused
     * (Spark allows one context per JVM).
     */
    public static SparkSession local(String master, int shufflePartitions) {
        SparkAvailability.require();
        SparkSession spark = SparkSession.builder()
                .appName("lfm")
                .master(master)
                .config("spark.ui.enabled", "false")
                .config("spark.ui.showConsoleProgress", "false")
                .config("spark.sql.shuffle.partitions", Integer.toString(Math.max(1, shufflePartitions)))
                .config("spark.default.parallelism", Integer.toString(Math.max(1, shufflePartitions)))
                .config("spark.sql.adaptive.enabled", "false")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                .getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        return spark;
    }
}
