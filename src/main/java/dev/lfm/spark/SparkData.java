package dev.lfm.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.lfm.LfmException;
import dev.lfm.data.IdMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * Ratings prepared for DSGD, all distributed: ids mapped to dense indices (distinct ids sorted,
 * {@code zipWithIndex}, joined back), ratings grouped into p user-block partitions, each holding
 * its cells by part and item block ({@link Blocks.RatingBlock}). The driver receives only
 * O(users + items) numbers: the sorted id lists (for the model file's id maps) and the training
 * counts per row (for initialization), plus a few scalars.
 */
public final class SparkData {
    final SparkSession spark;
    final int p;
    /** p partitions, partition b = user block b; persisted. */
    final JavaRDD<Blocks.RatingBlock> blocks;
    /** (u int, i int, rating float, part int) with dense indices (not persisted: recomputed from the source). */
    final Dataset<Row> indexed;
    final int numUsers;
    final int numItems;
    final IdMap userIds;
    final IdMap itemIds;
    final int[] userCounts;
    final int[] itemCounts;
    final float mu;
    final float minRating;
    final float maxRating;
    final long numTrain;
    final long numValidation;
    final long numTest;
    final double seconds;

    private SparkData(SparkSession spark, int p, JavaRDD<Blocks.RatingBlock> blocks, Dataset<Row> indexed,
                      IdMap userIds, IdMap itemIds, int[] userCounts, int[] itemCounts, float mu, float minRating,
                      float maxRating, long[] parts, double seconds) {
        this.spark = spark;
        this.p = p;
        this.blocks = blocks;
        this.indexed = indexed;
        this.numUsers = userIds.size();
        this.numItems = itemIds.size();
        this.userIds = userIds;
        this.itemIds = itemIds;
        this.userCounts = userCounts;
        this.itemCounts = itemCounts;
        this.mu = mu;
        this.minRating = minRating;
        this.maxRating = maxRating;
        this.numTrain = parts[0];
        this.numValidation = parts[1];
        this.numTest = parts[2];
        this.seconds = seconds;
    }

    /**
     * What was prepared.
     *
     * @param partitions p (p × p blocks)
     * @param users users with a dense index (every user of any part)
     * @param items items likewise
     * @param train training ratings (part 0)
     * @param validation validation ratings (part 1)
     * @param test test ratings (part 2)
     * @param seconds spent preparing (reading, checking, indexing, blocking)
     */
    public record Summary(int partitions, int users, int items, long train, long validation, long test, double seconds) {
    }

    public Summary summary() {
        return new Summary(p, numUsers, numItems, numTrain, numValidation, numTest, seconds);
    }

    /** Releases the cached blocks. */
    public void release() {
        blocks.unpersist(false);
    }

    /**
     * Prepares {@code ratings} (columns user, item, rating, part; optionally line, the source
     * text, for messages) into {@code p} × {@code p} blocks. {@code source} names the input in
     * error messages. A row that did not parse, has a negative id or a NaN rating stops with one
     * line naming the first such input.
     */
    public static SparkData prepare(SparkSession spark, Dataset<Row> ratings, int p, String source) {
        return prepare(spark, ratings, p, source, null);
    }

    /**
     * Where a repeated (user, item) pair of {@code part} was given in the source, for its error
     * line: e.g. {@code ratings.csv:40} and {@code first given on line 12}; null when it cannot tell.
     */
    @FunctionalInterface
    public interface Locator {
        Location locate(long user, long item, int part);
    }

    /** {@code at} leads the error line (FILE:LINE or FILE: rows ...), {@code first} (may be null) goes in its parentheses. */
    public record Location(String at, String first) {
    }

    /**
     * The same, failing on a (user, item) pair given twice in one part (as lfm's reader does by
     * default), with the line {@code locator} (may be null) finds. Repeats are found where the
     * blocks are built (each cell is sorted by user and item), so nothing extra is read or shuffled.
     */
    public static SparkData prepare(SparkSession spark, Dataset<Row> ratings, int p, String source, Locator locator) {
        if (p < 1) {
            throw new LfmException("--partitions must be >= 1 (got " + p + ")");
        }
        long t0 = System.nanoTime();
        StorageLevel level = Sessions.storageLevel(spark);
        Column bad = col("user").isNull().or(col("item").isNull()).or(col("rating").isNull())
                .or(isnan(col("rating"))).or(col("user").lt(0)).or(col("item").lt(0));
        Dataset<Row> parsed = ratings.withColumn("bad", bad).persist(level);
        try {
            Row agg = parsed.agg(count(lit(1)), sum(when(col("bad"), 1).otherwise(0)),
                    min(when(functions.not(col("bad")), col("rating"))), max(when(functions.not(col("bad")), col("rating"))),
                    sum(when(functions.not(col("bad")).and(col("part").equalTo(0)), 1).otherwise(0)),
                    sum(when(functions.not(col("bad")).and(col("part").equalTo(1)), 1).otherwise(0)),
                    sum(when(functions.not(col("bad")).and(col("part").equalTo(2)), 1).otherwise(0)),
                    sum(when(functions.not(col("bad")).and(col("part").equalTo(0)), col("rating").cast(DataTypes.DoubleType))
                            .otherwise(0.0))).first();
            long numBad = agg.getLong(1);
            if (numBad > 0) {
                String first = Arrays.asList(parsed.columns()).contains("line")
                        ? " (first: '" + parsed.where(col("bad")).select("line").first().getString(0) + "')"
                        : "";
                throw new LfmException(source + ": " + numBad + " rating(s) are not 'user item rating' with ids >= 0 and a "
                        + "number" + first);
            }
            long[] parts = {agg.getLong(4), agg.getLong(5), agg.getLong(6)};
            if (parts[0] == 0) {
                throw new LfmException(source + ": the training set is empty");
            }
            float lo = agg.getFloat(2);
            float hi = agg.getFloat(3);
            float mu = (float) (agg.getDouble(7) / parts[0]);

            JavaPairRDD<Long, Long> users = sortedIndex(parsed, "user", p, level);
            JavaPairRDD<Long, Long> items = sortedIndex(parsed, "item", p, level);
            IdMap userIds = IdMap.of(toArray(users.keys().collect()));
            IdMap itemIds = IdMap.of(toArray(items.keys().collect()));
            int numUsers = userIds.size();
            int numItems = itemIds.size();
            Dataset<Row> indexed = parsed.select("user", "item", "rating", "part")
                    .join(indexFrame(spark, users, "user", "u"), "user")
                    .join(indexFrame(spark, items, "item", "i"), "item")
                    .select("u", "i", "rating", "part");

            JavaRDD<Blocks.RatingBlock> blocks = indexed.javaRDD()
                    .mapPartitionsToPair(rows -> chunks(rows, p))
                    .partitionBy(new Blocks.Identity(p))
                    .mapPartitionsWithIndex((b, it) -> {
                        Blocks.Chunk all = new Blocks.Chunk();
                        while (it.hasNext()) {
                            all.addAll(it.next()._2);
                        }
                        return List.of(Blocks.build(b, all, p, Blocks.rows(numUsers, p, b), numItems)).iterator();
                    }, true)
                    .persist(level);

            // training counts per row: user blocks under keys [0, p), item blocks under p + j; a block's
            // repeated pairs under -1 - b
            List<Tuple2<Integer, int[]>> counts = blocks.flatMapToPair(rb -> trainCounts(rb, p, numUsers, numItems))
                    .reduceByKey(SparkData::addInto).collect();
            int[] userCounts = new int[numUsers];
            int[] itemCounts = new int[numItems];
            int[] repeated = null;
            long repeats = 0;
            for (Tuple2<Integer, int[]> c : counts) {
                int key = c._1;
                if (key < 0) {
                    repeats += c._2[0];
                    repeated = repeated == null || key > repeated[4] ? new int[] {c._2[0], c._2[1], c._2[2], c._2[3], key}
                            : repeated;
                    continue;
                }
                int[] target = key < p ? userCounts : itemCounts;
                int b = key < p ? key : key - p;
                int[] local = c._2;
                for (int r = 0; r < local.length; r++) {
                    target[b + r * p] = local[r];
                }
            }
            users.unpersist(false);
            items.unpersist(false);
            if (repeated != null) {
                blocks.unpersist(false);
                throw repeatedPair(source, locator, repeats, userIds.externalId(repeated[1]),
                        itemIds.externalId(repeated[2]), repeated[3]);
            }
            return new SparkData(spark, p, blocks, indexed, userIds, itemIds, userCounts, itemCounts, mu, lo, hi, parts,
                    (System.nanoTime() - t0) / 1e9);
        } finally {
            parsed.unpersist(false);
        }
    }

    /** (id, dense index) with indices in ascending id order, persisted. */
    private static JavaPairRDD<Long, Long> sortedIndex(Dataset<Row> parsed, String column, int p, StorageLevel level) {
        return parsed.where(functions.not(col("bad"))).select(column).distinct().javaRDD()
                .map(r -> r.getLong(0))
                .sortBy(x -> x, true, p)
                .zipWithIndex()
                .persist(level);
    }

    private static Dataset<Row> indexFrame(SparkSession spark, JavaPairRDD<Long, Long> index, String id, String dense) {
        StructType schema = new StructType().add(id, DataTypes.LongType, false).add(dense, DataTypes.IntegerType, false);
        return spark.createDataFrame(index.map(t -> RowFactory.create(t._1, (int) (long) t._2)), schema);
    }

    private static long[] toArray(List<Long> ids) {
        long[] a = new long[ids.size()];
        for (int j = 0; j < a.length; j++) {
            a[j] = ids.get(j);
        }
        return a;
    }

    private static Iterator<Tuple2<Integer, Blocks.Chunk>> chunks(Iterator<Row> rows, int p) {
        Blocks.Chunk[] c = new Blocks.Chunk[p];
        while (rows.hasNext()) {
            Row r = rows.next();
            int u = r.getInt(0);
            int b = u % p;
            if (c[b] == null) {
                c[b] = new Blocks.Chunk();
            }
            c[b].add(u, r.getInt(1), r.getFloat(2), r.getInt(3));
        }
        List<Tuple2<Integer, Blocks.Chunk>> out = new ArrayList<>();
        for (int b = 0; b < p; b++) {
            if (c[b] != null) {
                out.add(new Tuple2<>(b, c[b]));
            }
        }
        return out.iterator();
    }

    private static LfmException repeatedPair(String source, Locator locator, long repeats, long user, long item, int part) {
        Location at = locator == null ? null : locator.locate(user, item, part);
        return new LfmException((at == null ? source : at.at()) + ": duplicate rating for user " + user + ", item " + item
                + " (" + (at == null || at.first() == null ? "" : at.first() + "; ") + repeats + " repeated (user, item) "
                + "rating(s) in all; remove them, or read on the driver with --exact-split and --duplicates last|mean)");
    }

    private static Iterator<Tuple2<Integer, int[]>> trainCounts(Blocks.RatingBlock rb, int p, int numUsers, int numItems) {
        int[] uc = new int[Blocks.rows(numUsers, p, rb.block)];
        List<Tuple2<Integer, int[]>> out = new ArrayList<>(p + 1);
        for (int j = 0; j < p; j++) {
            Blocks.Cell cell = rb.cells[HashSplit.TRAIN][j];
            int[] ic = new int[Blocks.rows(numItems, p, j)];
            for (int x = 0; x < cell.size(); x++) {
                uc[cell.u[x]]++;
                ic[cell.i[x]]++;
            }
            out.add(new Tuple2<>(p + j, ic));
        }
        out.add(new Tuple2<>(rb.block, uc));
        if (rb.repeat != null) {
            long[] r = rb.repeat;
            out.add(new Tuple2<>(-1 - rb.block, new int[] {(int) Math.min(Integer.MAX_VALUE, r[0]), (int) r[1], (int) r[2],
                    (int) r[3]}));
        }
        return out.iterator();
    }

    private static int[] addInto(int[] a, int[] b) {
        int[] s = a.clone();
        for (int j = 0; j < s.length; j++) {
            s[j] += b[j];
        }
        return s;
    }
}
