package dev.lfm.spark;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.lfm.train.TrainingConfig;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.recommendation.ALS;
import org.apache.spark.ml.recommendation.ALSModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import scala.Tuple2;

/**
 * Spark MLlib's {@link ALS} on the same prepared split as DSGD, for comparison.
 *
 * <p>MLlib fits r̂ = p_u·q_i: no μ and no biases (it has no option for them), which costs it
 * accuracy on explicit ratings against lfm's biased model; its regularization is ALS-WR
 * (λ·(Σ n_u‖p_u‖² + Σ n_i‖q_i‖²)), lfm's weighted form, so the objective reported here is lfm's L
 * for that model (μ = 0, no biases), computed over the same blocks as DSGD's. RMSE uses lfm's
 * conventions: predictions clipped to the rating scale; users or items without training ratings
 * (MLlib gives NaN) are predicted by the training mean μ.
 */
public final class MllibAls {
    private MllibAls() {
    }

    /**
     * @param seconds fit time (ALS iterations)
     * @param objective lfm's L (weighted form, μ = 0, no biases) on the training part
     */
    public record Result(int rank, int iterations, double regParam, double seconds, double objective, double trainRmse,
                         double validationRmse, double testRmse, double testMae) {
    }

    /** Fits ALS with {@code config.rank}, {@code config.lambda} as regParam, {@code config.epochs} iterations. */
    public static Result train(SparkData data, TrainingConfig config) {
        // ALS cuts its lineage every 10 iterations only when the context has a checkpoint directory;
        // without one, 30 iterations overflow the task threads' stacks deserializing the lineage. On a
        // local master a temporary directory is set for the fit and unset after (--checkpoint-dir on a cluster).
        org.apache.spark.SparkContext sc = data.spark.sparkContext();
        java.nio.file.Path tmp = null;
        if (sc.getCheckpointDir().isEmpty() && sc.isLocal()) {
            try {
                tmp = java.nio.file.Files.createTempDirectory("lfm-als-checkpoints");
            } catch (java.io.IOException e) {
                throw new dev.lfm.LfmException("cannot create a temporary checkpoint directory for MLlib ALS ("
                        + e.getMessage() + "): give --checkpoint-dir");
            }
            sc.setCheckpointDir(tmp.toString());
        }
        try {
            return fit(data, config);
        } finally {
            if (tmp != null) {
                sc.setCheckpointDir(null); // local mode: back to no checkpoint directory
                deleteTree(tmp);
            }
        }
    }

    private static void deleteTree(java.nio.file.Path dir) {
        try (var paths = java.nio.file.Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException | RuntimeException e) {
            // a temporary directory left behind is harmless
        }
    }

    private static Result fit(SparkData data, TrainingConfig config) {
        org.apache.spark.SparkContext sc = data.spark.sparkContext();
        Dataset<Row> rows = data.indexed.persist(Sessions.storageLevel(data.spark));
        try {
            Dataset<Row> train = rows.where(col("part").equalTo(HashSplit.TRAIN));
            train.count();
            ALS als = new ALS().setRank(config.rank).setMaxIter(config.epochs).setRegParam(config.lambda)
                    .setUserCol("u").setItemCol("i").setRatingCol("rating").setSeed(config.seed)
                    .setNumUserBlocks(data.p).setNumItemBlocks(data.p).setColdStartStrategy("nan");
            String level = sc.getConf().get(Sessions.STORAGE_LEVEL, null);
            if (level != null) {
                als.setIntermediateStorageLevel(level.trim().toUpperCase(java.util.Locale.ROOT))
                        .setFinalStorageLevel(level.trim().toUpperCase(java.util.Locale.ROOT));
            }
            long t0 = System.nanoTime();
            ALSModel model = als.fit(train);
            model.userFactors().count();
            double seconds = (System.nanoTime() - t0) / 1e9;

            Dataset<Row> pred = model.transform(rows);
            Column raw = col("prediction");
            Column filled = when(isnan(raw).or(raw.isNull()), lit(data.mu)).otherwise(raw);
            Column clipped = least(greatest(filled, lit(data.minRating)), lit(data.maxRating));
            Column e = clipped.minus(col("rating"));
            List<Row> byPart = pred.groupBy("part").agg(sum(pow(e, 2)), sum(abs(e)), count(lit(1))).collectAsList();
            double[][] s = new double[3][3];
            for (Row r : byPart) {
                int part = r.getInt(0);
                s[part][0] = r.getDouble(1);
                s[part][1] = r.getDouble(2);
                s[part][2] = r.getLong(3);
            }
            DsgdTrainer.Params prm = new DsgdTrainer.Params(config.rank, (float) config.lambda, 0f, false, 0f,
                    data.minRating, data.maxRating, data.p, config.seed, "cpu", 0L);
            JavaRDD<Blocks.Factors> users = blocks(model.userFactors(), data.numUsers, data.p, config.rank);
            JavaRDD<Blocks.Factors> items = blocks(model.itemFactors(), data.numItems, data.p, config.rank);
            double[] l = DsgdTrainer.evaluate(data, users, items, prm, false);
            return new Result(config.rank, config.epochs, config.lambda, seconds, l[0] + l[1] + l[2],
                    rmse(s[0]), rmse(s[1]), rmse(s[2]), s[2][2] > 0 ? s[2][1] / s[2][2] : Double.NaN);
        } finally {
            rows.unpersist(false);
        }
    }

    private static double rmse(double[] s) {
        return s[2] > 0 ? Math.sqrt(s[0] / s[2]) : Double.NaN;
    }

    /** MLlib's factor table (id, features) as DSGD factor blocks (rows it lacks are zero). */
    private static JavaRDD<Blocks.Factors> blocks(Dataset<Row> factors, int rows, int p, int k) {
        return factors.javaRDD()
                .mapToPair(r -> new Tuple2<>(r.getInt(0) % p, new Tuple2<>(r.getInt(0) / p, toFloats(r.getList(1)))))
                .groupByKey(new Blocks.Identity(p))
                .mapPartitionsWithIndex((b, it) -> {
                    int n = Blocks.rows(rows, p, b);
                    float[] f = new float[n * k];
                    while (it.hasNext()) {
                        for (Tuple2<Integer, float[]> row : it.next()._2) {
                            System.arraycopy(row._2, 0, f, row._1 * k, k);
                        }
                    }
                    List<Blocks.Factors> one = new ArrayList<>(1);
                    one.add(new Blocks.Factors(b, n, f, new float[n]));
                    return one.iterator();
                }, true);
    }

    private static float[] toFloats(List<Object> xs) {
        float[] f = new float[xs.size()];
        for (int j = 0; j < f.length; j++) {
            f[j] = ((Number) xs.get(j)).floatValue();
        }
        return f;
    }
}
