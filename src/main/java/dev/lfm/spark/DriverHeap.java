package dev.lfm.spark;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import org.apache.spark.SparkEnv;

/**
 * The driver's heap, as DSGD samples it at each epoch's end: the live heap after the most recent
 * collection (a forced one when {@link Sessions#GC_EACH_EPOCH} is set) and, of it, what Spark's
 * block manager in this JVM holds as on-heap storage memory (cached RDD blocks and broadcasts).
 * In local mode the executors share the driver's JVM, so their cache is in the first number; the
 * difference is what the driver itself (and Spark's idle machinery) keeps.
 */
final class DriverHeap {
    private DriverHeap() {
    }

    /** Live heap after the most recent collection (summed over heap pools), without forcing one. */
    static long afterGc() {
        long used = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            MemoryUsage u = pool.getType() == MemoryType.HEAP ? pool.getCollectionUsage() : null;
            if (u != null) {
                used += u.getUsed();
            }
        }
        return used;
    }

    /** On-heap storage memory of this JVM's block manager (0 without a Spark environment). */
    static long storage() {
        SparkEnv env = SparkEnv.get();
        return env == null ? 0 : env.memoryManager().onHeapStorageMemoryUsed();
    }
}
