package dev.lfm.spark;

import dev.lfm.OrderedMap;
import dev.lfm.train.TrainingResult;
import java.util.List;
import java.util.Map;

/**
 * A DSGD run on Spark: the ordinary {@link TrainingResult} (model, epoch history, best epoch;
 * backend "cpu" as each task runs lfm's CPU SGD), where it ran, and the schedule it followed.
 *
 * @param master the Spark master URL
 * @param partitions p (p × p blocks)
 * @param prepareSeconds reading, checking, indexing and blocking the ratings
 * @param schedules for each epoch run, schedule[d][b] = item block of user block b in sub-epoch d
 * @param driverHeapBytes the largest driver heap in use seen at the end of an epoch (after GC is
 *        not forced: an upper bound of what the driver holds)
 * @param heapPerEpoch for each epoch run, {live heap after the last GC, of it Spark's on-heap
 *        storage memory} in bytes at the epoch's end (see {@link DriverHeap})
 */
public record SparkTrainingResult(TrainingResult result, String master, int partitions, double prepareSeconds,
                                  List<int[][]> schedules, long driverHeapBytes, List<long[]> heapPerEpoch) {
    public static final String ENGINE = "spark";

    /** The keys the JSON report adds for this engine: engine, master, partitions (and timing). */
    public Map<String, Object> reportFields() {
        return OrderedMap.of("engine", ENGINE, "master", master, "partitions", partitions,
                "prepare_seconds", prepareSeconds, "driver_heap_peak_bytes", driverHeapBytes,
                "heap_after_gc_bytes_per_epoch", heapPerEpoch.stream().map(h -> h[0]).toList(),
                "spark_storage_heap_bytes_per_epoch", heapPerEpoch.stream().map(h -> h[1]).toList());
    }
}
