package dev.lfm.spark;

import dev.lfm.LfmException;
import dev.lfm.data.Ratings;
import dev.lfm.data.SyntheticRatings;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * lfm's synthetic problem written to Parquet by Spark tasks, for problems too big for one heap
 * (the driver never holds a rating): shard s of S is {@link SyntheticRatings#generate} of
 * {@code users/S} users (ids offset by s·users/S) × {@code items} items with {@code ratings/S}
 * ratings, seed mixed with s, generated inside one task and streamed to the Parquet writer.
 *
 * <p>With one shard this is exactly lfm's generator's problem ({@code --synthetic} of that size);
 * with several, each shard is a planted problem of its own over the same item ids (its own item
 * factors), so the whole is a union of S rank-r problems, not one rank-r problem: fine for timing
 * and memory, and the noise floor σ still holds per shard, but a rank-r model cannot reach it.
 * Columns: user long, item long, rating float ({@link SparkRatings#SCHEMA}).
 */
public final class SyntheticParquet {
    /** The most ratings one task generates (its heap holds them and the generator's scratch). */
    public static final long DEFAULT_SHARD_RATINGS = 10_000_000L;

    private SyntheticParquet() {
    }

    /** The shards for {@code ratings} ratings with at most {@code shardRatings} each. */
    public static int shards(long ratings, long shardRatings) {
        return (int) Math.max(1, (ratings + shardRatings - 1) / shardRatings);
    }

    /**
     * The configuration of shard {@code s} of {@code shards}: users and ratings split as evenly as
     * integers allow (the first shards take the remainders).
     */
    public static SyntheticRatings.Config shard(int users, int items, int rank, long ratings, long seed, int shards,
                                                int s) {
        int u = users / shards + (s < users % shards ? 1 : 0);
        long n = ratings / shards + (s < ratings % shards ? 1 : 0);
        SyntheticRatings.Config c = SyntheticRatings.Config.ofCount(u, items, rank, n).withNoise(SyntheticRatings.DEFAULT_NOISE);
        return c.withSeed(shards == 1 ? seed : HashSplit.mix(seed, s));
    }

    /** The first global user id of shard {@code s}. */
    static long firstUser(int users, int shards, int s) {
        return (long) s * (users / shards) + Math.min(s, users % shards);
    }

    /** Writes the problem to {@code path} (replacing it) with one task a shard; returns the shard count. */
    public static int write(SparkSession spark, String path, int users, int items, int rank, long ratings, long seed,
                            long shardRatings) {
        if (users < 2 || items < 2 || rank < 1 || ratings < 1 || shardRatings < 1) {
            throw new LfmException("synthetic Parquet: need users >= 2, items >= 2, rank >= 1, ratings >= 1");
        }
        int shards = shards(ratings, shardRatings);
        if (users / shards < 2) {
            throw new LfmException("synthetic Parquet: " + shards + " shards need at least " + 2 * shards + " users");
        }
        List<Integer> ids = new ArrayList<>(shards);
        for (int s = 0; s < shards; s++) {
            ids.add(s);
        }
        JavaRDD<Row> rows = new JavaSparkContext(spark.sparkContext()).parallelize(ids, shards)
                .mapPartitions(it -> {
                    int s = it.next();
                    Ratings r = SyntheticRatings.generate(shard(users, items, rank, ratings, seed, shards, s)).ratings();
                    return rows(r, firstUser(users, shards, s));
                });
        spark.createDataFrame(rows, SparkRatings.SCHEMA).write().mode(SaveMode.Overwrite).parquet(path);
        return shards;
    }

    private static Iterator<Row> rows(Ratings r, long userOffset) {
        return new Iterator<>() {
            private int j;

            @Override
            public boolean hasNext() {
                return j < r.size();
            }

            @Override
            public Row next() {
                if (j >= r.size()) {
                    throw new NoSuchElementException();
                }
                Row row = RowFactory.create(userOffset + r.user(j), (long) r.item(j), r.value(j));
                j++;
                return row;
            }
        };
    }

    /**
     * {@code java -cp 'target/lfm.jar:target/spark-jars/*' dev.lfm.spark.SyntheticParquet OUT USERS ITEMS RATINGS
     * [RANK [SEED [SHARD_RATINGS [MASTER]]]]} (rank 8, seed 42, 10M ratings a shard, local[2]).
     */
    public static void main(String[] args) {
        try {
            if (args.length < 4) {
                throw new LfmException("usage: SyntheticParquet OUT USERS ITEMS RATINGS [RANK [SEED [SHARD_RATINGS [MASTER]]]]");
            }
            int users = Integer.parseInt(args[1]);
            int items = Integer.parseInt(args[2]);
            long ratings = Long.parseLong(args[3]);
            int rank = args.length > 4 ? Integer.parseInt(args[4]) : 8;
            long seed = args.length > 5 ? Long.parseLong(args[5]) : SyntheticRatings.DEFAULT_SEED;
            long shardRatings = args.length > 6 ? Long.parseLong(args[6]) : DEFAULT_SHARD_RATINGS;
            String master = args.length > 7 ? args[7] : "local[2]";
            SparkSession spark = Sessions.local(master, Math.max(1, Sessions.localCores(master)));
            try {
                long t0 = System.nanoTime();
                int shards = write(spark, args[0], users, items, rank, ratings, seed, shardRatings);
                System.out.printf(Locale.ROOT, "wrote %s: %d users x %d items, %d ratings, true rank %d, seed %d, %d shard(s), "
                        + "%.1f s%n", args[0], users, items, ratings, rank, seed, shards, (System.nanoTime() - t0) / 1e9);
            } finally {
                spark.stop();
            }
        } catch (NumberFormatException e) {
            System.err.println("lfm: SyntheticParquet: not a number: " + e.getMessage());
            System.exit(2);
        } catch (LfmException e) {
            System.err.println("lfm: " + e.getMessage());
            System.exit(2);
        }
    }
}
