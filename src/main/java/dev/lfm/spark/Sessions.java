package dev.lfm.spark;

import java.util.Locale;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * Spark sessions: embedded ones for one machine ({@code local[N]}: tests and {@code --master
 * local[N]}), and the one a command line run uses ({@link #open}: the session spark-submit
 * configured, else an embedded one).
 */
public final class Sessions {
    private static final Pattern LOCAL = Pattern.compile("local(?:\\[(\\*|\\d+)(?:,\\s*\\d+)?])?");

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

    /** The Spark conf key of the storage level DSGD caches its ratings and factor blocks at. */
    public static final String STORAGE_LEVEL = "spark.lfm.storageLevel";
    /** The Spark conf key that makes DSGD force a GC at each epoch's end, for a clean heap sample. */
    public static final String GC_EACH_EPOCH = "spark.lfm.gcEachEpoch";

    /**
     * The storage level of {@link #STORAGE_LEVEL} ({@code MEMORY_AND_DISK} by default; e.g.
     * {@code DISK_ONLY} keeps the cached ratings off the heap, {@code OFF_HEAP} with
     * {@code spark.memory.offHeap.enabled}), given as {@code --conf} to spark-submit or as a
     * {@code -D} system property to an embedded session.
     */
    public static StorageLevel storageLevel(SparkSession spark) {
        String name = spark.sparkContext().getConf().get(STORAGE_LEVEL, "MEMORY_AND_DISK").trim().toUpperCase(Locale.ROOT);
        try {
            return StorageLevel.fromString(name);
        } catch (IllegalArgumentException e) {
            throw new dev.lfm.LfmException(STORAGE_LEVEL + "=" + name + " is not a Spark storage level (e.g. MEMORY_AND_DISK, "
                    + "MEMORY_AND_DISK_SER, DISK_ONLY, OFF_HEAP)");
        }
    }

    /** The cores of a local master URL ({@code local} 1, {@code local[N]} N, {@code local[*]} this machine's); 0 otherwise. */
    public static int localCores(String master) {
        Matcher m = LOCAL.matcher(master == null ? "" : master.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            return 0;
        }
        String n = m.group(1);
        return n == null ? 1 : n.equals("*") ? Runtime.getRuntime().availableProcessors() : Math.max(1, Integer.parseInt(n));
    }

    /**
     * A session for one run, closed (stopped) by {@link #close()} only if this run started it.
     *
     * @param owned whether {@link #open} created the session (else it belongs to the caller, e.g. a test)
     */
    public record Handle(SparkSession spark, boolean owned) implements AutoCloseable {
        public String master() {
            return spark.sparkContext().master();
        }

        @Override
        public void close() {
            if (owned) {
                spark.stop();
            }
        }
    }

    /**
     * The session a command runs on: this JVM's existing session if there is one; else the one
     * spark-submit configured ({@code spark.master} set by its launcher: {@code master} is then
     * ignored, with a note); else an embedded session on {@code master} (default {@code local[*]}).
     * {@code shufflePartitions} (0: the master's cores) applies to sessions created here on a local
     * master. Notes (a flag that does not apply) go to {@code note}.
     */
    public static Handle open(String master, int shufflePartitions, Consumer<String> note) {
        SparkAvailability.require();
        scala.Option<SparkSession> existing = SparkSession.getDefaultSession();
        if (existing.isDefined()) {
            SparkSession s = existing.get();
            if (master != null && !master.equals(s.sparkContext().master())) {
                note.accept("--master " + master + " ignored: this JVM's Spark session runs on " + s.sparkContext().master());
            }
            return new Handle(s, false);
        }
        SparkConf conf = new SparkConf(); // spark.* system properties: what spark-submit configured
        if (conf.contains("spark.master")) {
            String configured = conf.get("spark.master");
            if (master != null && !master.equals(configured)) {
                note.accept("--master " + master + " ignored: spark-submit configured " + configured
                        + " (use spark-submit's --master)");
            }
            return new Handle(SparkSession.builder().appName("lfm").getOrCreate(), true);
        }
        String m = master == null ? "local[*]" : master;
        int cores = localCores(m);
        if (cores > 0) {
            return new Handle(local(m, shufflePartitions > 0 ? shufflePartitions : cores), true);
        }
        // a cluster master given to a driver started without spark-submit (e.g. spark://host:7077)
        SparkSession s = SparkSession.builder().appName("lfm").master(m).config("spark.ui.showConsoleProgress", "false")
                .getOrCreate();
        s.sparkContext().setLogLevel("WARN");
        return new Handle(s, true);
    }
}
