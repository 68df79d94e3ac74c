package dev.lfm.spark;

import dev.lfm.LfmException;
import dev.lfm.compute.Backend;
import dev.lfm.compute.Backends;
import dev.lfm.compute.ErrorSums;
import dev.lfm.compute.RatingSet;
import dev.lfm.data.Ratings;
import dev.lfm.model.FactorModel;
import dev.lfm.objective.LossTerms;
import dev.lfm.objective.Objective;
import dev.lfm.objective.Regularization;
import dev.lfm.train.DivergenceException;
import dev.lfm.train.EpochRecord;
import dev.lfm.train.TrainingConfig;
import dev.lfm.train.TrainingListener;
import dev.lfm.train.TrainingResult;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * DSGD (Gemulla, Nijkamp, Haas, Sismanis, KDD 2011) on Spark with lfm's own SGD kernel.
 *
 * <p>The ratings live in p partitions, one per user block ({@link SparkData}); the factors in two
 * RDDs of p blocks each: user blocks stay aligned with their rating partition, item blocks move.
 * An epoch is p sub-epochs; sub-epoch d takes the stratum {@link Strata#schedule}[d] (p blocks
 * sharing no user and no item), re-keys each item block to its user block (one shuffle of Q),
 * and runs one task per block: a backend (the CPU's with one thread by default), the block's training ratings
 * (local indices) uploaded, the block's P, Q and bias slices set, one
 * {@link Backend#sgdEpoch} (the single-machine update rule and order, on the block), downloaded.
 * Biases travel with their factor blocks; μ and the hyper-parameters travel in each task's closure.
 *
 * <p>After each epoch, L and train/validation/test RMSE are computed in p more strata without
 * updates, by the same backend's {@code loss} and {@code evaluate} on every block, and summed: with
 * the weighted regularization (n_u‖p_u‖² = Σ_blocks n_ub‖p_u‖²) the block sums are exactly L.
 * Early stopping keeps the best epoch's blocks cached and returns them. The lineage is cut every
 * {@link DsgdOptions#checkpointEvery} epochs.
 *
 * <p>Scope: plain per-rating SGD ({@code --batch-size 1}, {@code --optimizer sgd}) with the
 * weighted regularization (the default). The uniform form's L splits into per-rating terms with
 * weights w_u = 1/n_u of the global counts, so DSGD could minimize it exactly if each block's SGD
 * used them; but {@link Backend#upload} takes the counts from the set it is given (the block's
 * n_ub), which would weigh λ by 1/n_ub in each of a user's blocks: a different objective. So it
 * is refused, naming {@code --engine local}.
 *
 * <p>Each task trains on the backend {@link DsgdOptions#backend} names, opened through
 * {@link dev.lfm.compute.Backends} by {@link TaskBackends} (device backends once per concurrent task
 * of an executor JVM, with the cells uploaded once per run).
 * The initial factors are drawn on the driver by {@link FactorModel#initialize} exactly as the
 * single-machine trainer draws them (O((users + items)·k) on the driver, as is the final model).
 */
public final class DsgdTrainer {
    private final TrainingConfig config;
    private final DsgdOptions options;
    private final TrainingListener listener;

    public DsgdTrainer(TrainingConfig config, DsgdOptions options, TrainingListener listener) {
        this.config = config.copy().validate();
        if (this.config.rank == TrainingConfig.RANK_AUTO || Double.isNaN(this.config.lambda)) {
            throw new LfmException("--engine spark needs an explicit --rank and --reg (the automatic rank and λ are "
                    + "chosen on one machine; try them there first)");
        }
        this.options = options;
        this.listener = listener == null ? TrainingListener.NONE : listener;
        if (!this.config.isPlainSgd()) {
            throw new LfmException("--engine spark trains by per-rating SGD (DSGD): use --batch-size 1 and --optimizer sgd "
                    + "(got " + this.config.describeAlgorithm() + "); for ALS on Spark use --engine spark-als");
        }
        if (this.config.regularization != Regularization.WEIGHTED) {
            throw new LfmException("--engine spark supports --regularization weighted only (a block's SGD weighs λ by "
                    + "the block's own counts, not the global 1/n_u the uniform form needs): use --engine local for "
                    + "--regularization uniform");
        }
    }

    /** The per-task constants (serializable; shipped in closures). */
    record Params(int k, float lambda, float lambdaBias, boolean biases, float mu, float min, float max, int p,
                  long seed, String backend, long run) implements Serializable {
        Objective objective() {
            return new Objective(lambda, biases ? lambdaBias : 0, Regularization.WEIGHTED, biases);
        }
    }

    /** Sums over blocks: loss (sse, factor, bias, n), train/validation/test (sse, sae, n) clipped. */
    static final int SUMS = 13;

    /** Reads nothing: trains on prepared data (p = {@code data.partitions()}). */
    public SparkTrainingResult train(SparkData data) {
        int p = data.p;
        boolean hasValidation = data.numValidation > 0;
        TrainingConfig config = this.config.copy();
        if (config.patience == TrainingConfig.PATIENCE_AUTO) {
            config.patience = hasValidation ? TrainingConfig.DEFAULT_PATIENCE : 0;
        }
        if (config.patience > 0 && !hasValidation) {
            throw new LfmException("early stopping (--patience) needs a validation split: set --validation-fraction");
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(data.spark.sparkContext());
        String backend = options.backend();
        if (jsc.isLocal() && !backend.equals("cpu")) {
            String why = Backends.provider(backend).unavailableReason(); // the executors are this JVM: say it now
            if (why != null) {
                throw new LfmException(backend + " backend not available: " + why);
            }
        }
        Params prm = new Params(config.rank, (float) config.lambda, (float) config.lambdaBias, config.biases, data.mu,
                data.minRating, data.maxRating, p, config.seed, backend, ThreadLocalRandom.current().nextLong());
        try {
            return train(data, config, jsc, prm);
        } finally {
            TaskBackends.close(prm.run());
        }
    }

    private SparkTrainingResult train(SparkData data, TrainingConfig config, JavaSparkContext jsc, Params prm) {
        int p = data.p;
        boolean reliable = jsc.getCheckpointDir().isPresent();
        StorageLevel level = Sessions.storageLevel(data.spark);
        boolean gcEachEpoch = jsc.getConf().getBoolean(Sessions.GC_EACH_EPOCH, false);

        FactorModel init = new FactorModel(data.numUsers, data.numItems, config.rank, config.biases);
        init.initialize(config.seed, config.effectiveInitScale(), data.userCounts, data.itemCounts);
        JavaRDD<Blocks.Factors> users = jsc.parallelize(slices(init.p, init.userBias, data.numUsers, p), p).persist(level);
        JavaRDD<Blocks.Factors> items = jsc.parallelize(slices(init.q, init.itemBias, data.numItems, p), p).persist(level);
        // cut the lineage to the driver's collection at once: else every later task would carry the
        // initial factors in its serialized RDD chain until the first checkpoint
        for (JavaRDD<Blocks.Factors> r : List.of(users, items)) {
            if (reliable) {
                r.checkpoint();
            } else {
                r.rdd().localCheckpoint();
            }
            r.count();
        }
        List<JavaRDD<?>> previous = new ArrayList<>(List.of(users, items));
        init = null;

        List<EpochRecord> history = new ArrayList<>();
        List<int[][]> schedules = new ArrayList<>();
        JavaRDD<Tuple2<Blocks.Factors, Blocks.Factors>> out = null;
        JavaRDD<Tuple2<Blocks.Factors, Blocks.Factors>> best = null;
        JavaRDD<Tuple2<Blocks.Factors, Blocks.Factors>> checkpointed = null;
        EarlyStop early = new EarlyStop(config.patience, config.epochs);
        double elapsed = 0;
        long heapPeak = 0;
        List<long[]> heap = new ArrayList<>();
        for (int epoch = 1; epoch <= config.epochs; epoch++) {
            float lr = (float) (config.lr * Math.pow(config.lrDecay, epoch - 1));
            float lrBias = (float) (config.effectiveLrBias() * Math.pow(config.lrDecay, epoch - 1));
            int[][] schedule = Strata.schedule(p, Strata.epochSeed(config.seed, epoch));
            schedules.add(schedule);
            List<JavaRDD<?>> created = new ArrayList<>();
            for (int d = 0; d < p; d++) {
                int[] owner = Strata.inverse(schedule[d]);
                JavaRDD<Blocks.Factors> routed = items.mapToPair(f -> new Tuple2<>(owner[f.block], f))
                        .partitionBy(new Blocks.Identity(p)).values();
                out = withUsers(data, users).zipPartitions(routed, (a, b) -> {
                    Tuple2<Blocks.RatingBlock, Blocks.Factors> x = a.next();
                    return one(sgd(x._1, x._2, b.next(), prm, lr, lrBias));
                }).persist(level);
                created.add(out);
                users = out.map(Tuple2::_1);
                items = out.map(Tuple2::_2);
            }
            boolean cut = epoch % options.checkpointEvery() == 0;
            if (cut) {
                if (reliable) {
                    out.checkpoint();
                } else {
                    out.rdd().localCheckpoint();
                }
            }
            long t0 = System.nanoTime();
            out.count();
            double seconds = (System.nanoTime() - t0) / 1e9;
            elapsed += seconds;

            double[] s = evaluate(data, users, items, prm, config.evaluateTrain);
            double objective = s[0] + s[1] + s[2];
            double trainRmse = config.evaluateTrain ? Math.sqrt(s[4] / s[6]) : Math.sqrt(s[0] / s[3]);
            double valRmse = s[9] > 0 ? Math.sqrt(s[7] / s[9]) : Double.NaN;
            double testRmse = s[12] > 0 ? Math.sqrt(s[10] / s[12]) : Double.NaN;
            double testMae = s[12] > 0 ? s[11] / s[12] : Double.NaN;
            EpochRecord rec = new EpochRecord(epoch, objective, trainRmse, valRmse, testRmse, testMae, seconds, elapsed, lr);
            history.add(rec);
            listener.onEpoch(rec);
            if (gcEachEpoch) {
                System.gc();
            }
            heap.add(new long[] {DriverHeap.afterGc(), DriverHeap.storage()});
            heapPeak = Math.max(heapPeak, heap.get(heap.size() - 1)[0]);
            if (!Double.isFinite(objective) || !Double.isFinite(trainRmse)) {
                throw new DivergenceException(String.format(
                        "training diverged at epoch %d (objective = %s): lower the learning rate (--lr %.3g now) or use "
                                + "--lr-decay", epoch, objective, config.lr));
            }
            JavaRDD<Tuple2<Blocks.Factors, Blocks.Factors>> oldBest = best;
            EarlyStop.Verdict verdict = early.observe(epoch, valRmse);
            if (verdict == EarlyStop.Verdict.BEST) {
                best = out;
            }
            boolean stop = verdict == EarlyStop.Verdict.STOP;
            JavaRDD<Tuple2<Blocks.Factors, Blocks.Factors>> oldCheckpoint = checkpointed;
            if (cut) {
                checkpointed = out;
            }
            for (JavaRDD<?> r : previous) {
                if (r != best && r != checkpointed) {
                    r.unpersist(false);
                }
            }
            if (oldBest != null && oldBest != best && oldBest != checkpointed && !created.contains(oldBest)) {
                oldBest.unpersist(false);
            }
            if (oldCheckpoint != null && oldCheckpoint != checkpointed && oldCheckpoint != best) {
                oldCheckpoint.unpersist(false);
            }
            previous = created;
            if (stop) {
                break;
            }
        }
        JavaRDD<Tuple2<Blocks.Factors, Blocks.Factors>> fin = best != null ? best : out;
        int bestEpoch = best != null ? early.bestEpoch() : history.size();
        FactorModel model = assemble(fin.collect(), data, config);
        heapPeak = Math.max(heapPeak, DriverHeap.afterGc());
        for (JavaRDD<?> r : previous) {
            r.unpersist(false);
        }
        for (JavaRDD<?> r : new JavaRDD<?>[] {best, checkpointed}) {
            if (r != null) {
                r.unpersist(false);
            }
        }
        String master = jsc.master();
        provenance(model, master, p);
        long updates = data.numTrain * history.size();
        TrainingResult result = new TrainingResult(model, history, bestEpoch, early.stoppedEarly(), updates, elapsed, prm.backend(),
                "Spark " + jsc.version() + " " + master + ", DSGD " + p + "x" + p + " blocks, "
                        + (prm.backend().equals("cpu") ? "1 CPU thread per task" : "one " + prm.backend() + " backend per task"),
                config.copy());
        return new SparkTrainingResult(result, master, p, data.seconds, schedules, heapPeak, heap);
    }

    private static JavaRDD<Tuple2<Blocks.RatingBlock, Blocks.Factors>> withUsers(SparkData data,
                                                                                   JavaRDD<Blocks.Factors> users) {
        return data.blocks.zipPartitions(users, (a, b) -> one(new Tuple2<>(a.next(), b.next())));
    }

    private static <T> Iterator<T> one(T t) {
        return List.of(t).iterator();
    }

    /**
     * L and errors summed over all p² blocks, visited in p strata (item block (b + d) mod p for
     * user block b), with the given factors; see {@link #SUMS}.
     */
    static double[] evaluate(SparkData data, JavaRDD<Blocks.Factors> users, JavaRDD<Blocks.Factors> items, Params prm,
                             boolean train) {
        int p = data.p;
        JavaRDD<double[]> all = null;
        for (int d = 0; d < p; d++) {
            int shift = d;
            JavaRDD<Blocks.Factors> routed = items.mapToPair(f -> new Tuple2<>(Math.floorMod(f.block - shift, p), f))
                    .partitionBy(new Blocks.Identity(p)).values();
            JavaRDD<double[]> sums = withUsers(data, users).zipPartitions(routed, (a, b) -> {
                Tuple2<Blocks.RatingBlock, Blocks.Factors> x = a.next();
                return one(evaluateBlock(x._1, x._2, b.next(), prm, train));
            });
            all = all == null ? sums : all.union(sums);
        }
        return all.reduce(DsgdTrainer::add);
    }

    private static double[] add(double[] a, double[] b) {
        double[] s = a.clone();
        for (int j = 0; j < s.length; j++) {
            s[j] += b[j];
        }
        return s;
    }

    /** One task of a sub-epoch: lfm's CPU SGD epoch on block (user block, item block). */
    static Tuple2<Blocks.Factors, Blocks.Factors> sgd(Blocks.RatingBlock rb, Blocks.Factors pu, Blocks.Factors qi,
                                                      Params prm, float lr, float lrBias) {
        if (rb.block != pu.block) {
            throw new IllegalStateException("user block " + pu.block + " met the ratings of block " + rb.block);
        }
        Blocks.Cell cell = rb.cells[HashSplit.TRAIN][qi.block];
        if (cell.size() == 0) {
            return new Tuple2<>(pu, qi);
        }
        FactorModel m = model(pu, qi, prm);
        try (TaskBackends.Lease lease = TaskBackends.lease(prm.backend(), prm.run())) {
            Backend backend = lease.backend();
            RatingSet set = lease.upload(cellKey(HashSplit.TRAIN, rb.block, qi.block, prm.p()), () -> ratings(cell, pu, qi, prm));
            backend.setModel(m);
            backend.sgdEpoch(set, prm.objective(), lr, lrBias, Strata.planSeed(prm.seed(), prm.p(), pu.block, qi.block));
            backend.getModel(m);
        }
        return new Tuple2<>(new Blocks.Factors(pu.block, pu.rows, m.p, m.userBias),
                new Blocks.Factors(qi.block, qi.rows, m.q, m.itemBias));
    }

    static double[] evaluateBlock(Blocks.RatingBlock rb, Blocks.Factors pu, Blocks.Factors qi, Params prm,
                                  boolean train) {
        double[] s = new double[SUMS];
        int j = qi.block;
        int p = prm.p();
        try (TaskBackends.Lease lease = TaskBackends.lease(prm.backend(), prm.run())) {
            Backend backend = lease.backend();
            backend.setModel(model(pu, qi, prm));
            Blocks.Cell tr = rb.cells[HashSplit.TRAIN][j];
            if (tr.size() > 0) {
                RatingSet set = lease.upload(cellKey(HashSplit.TRAIN, rb.block, j, p), () -> ratings(tr, pu, qi, prm));
                LossTerms l = backend.loss(set, prm.objective());
                s[0] = l.sse();
                s[1] = l.factorPenalty();
                s[2] = l.biasPenalty();
                s[3] = l.count();
                if (train) {
                    put(s, 4, backend.evaluate(set));
                }
            }
            for (int part = 1; part <= 2; part++) {
                Blocks.Cell c = rb.cells[part][j];
                if (c.size() > 0) {
                    put(s, 4 + 3 * part, backend.evaluate(lease.upload(cellKey(part, rb.block, j, p),
                            () -> ratings(c, pu, qi, prm))));
                }
            }
        }
        return s;
    }

    /** The key of cell (part, user block, item block) among a run's rating sets. */
    private static long cellKey(int part, int block, int itemBlock, int p) {
        return ((long) part * p + itemBlock) * p + block;
    }

    private static void put(double[] s, int at, ErrorSums e) {
        s[at] = e.sse();
        s[at + 1] = e.sae();
        s[at + 2] = e.count();
    }

    private static Ratings ratings(Blocks.Cell c, Blocks.Factors pu, Blocks.Factors qi, Params prm) {
        return new Ratings(pu.rows, qi.rows, c.u, c.i, c.v, c.size(), null, null, prm.min(), prm.max());
    }

    private static FactorModel model(Blocks.Factors pu, Blocks.Factors qi, Params prm) {
        FactorModel m = new FactorModel(pu.rows, qi.rows, prm.k(), prm.biases());
        System.arraycopy(pu.f, 0, m.p, 0, m.p.length);
        System.arraycopy(qi.f, 0, m.q, 0, m.q.length);
        System.arraycopy(pu.b, 0, m.userBias, 0, m.userBias.length);
        System.arraycopy(qi.b, 0, m.itemBias, 0, m.itemBias.length);
        m.mu = prm.mu();
        m.minRating = prm.min();
        m.maxRating = prm.max();
        return m;
    }

    /** Cuts a factor matrix (rows × k) and its biases into p blocks, row g → block g mod p, local row g / p. */
    static List<Blocks.Factors> slices(float[] f, float[] bias, int rows, int p) {
        int k = rows == 0 ? 0 : f.length / rows;
        List<Blocks.Factors> out = new ArrayList<>(p);
        for (int b = 0; b < p; b++) {
            int n = Blocks.rows(rows, p, b);
            float[] bf = new float[n * k];
            float[] bb = new float[n];
            for (int r = 0; r < n; r++) {
                int g = b + r * p;
                System.arraycopy(f, g * k, bf, r * k, k);
                bb[r] = bias[g];
            }
            out.add(new Blocks.Factors(b, n, bf, bb));
        }
        return out;
    }

    /** The model from the p (user block, item block) pairs of one stratum. */
    static FactorModel assemble(List<Tuple2<Blocks.Factors, Blocks.Factors>> blocks, SparkData data,
                                TrainingConfig config) {
        FactorModel m = new FactorModel(data.numUsers, data.numItems, config.rank, config.biases);
        m.mu = data.mu;
        m.minRating = data.minRating;
        m.maxRating = data.maxRating;
        m.userIds = data.userIds;
        m.itemIds = data.itemIds;
        for (Tuple2<Blocks.Factors, Blocks.Factors> t : blocks) {
            unslice(t._1, m.p, m.userBias, data.p, config.rank);
            unslice(t._2, m.q, m.itemBias, data.p, config.rank);
        }
        return m;
    }

    private static void unslice(Blocks.Factors b, float[] f, float[] bias, int p, int k) {
        for (int r = 0; r < b.rows; r++) {
            int g = b.block + r * p;
            System.arraycopy(b.f, r * k, f, g * k, k);
            bias[g] = b.b[r];
        }
    }

    /** The single-machine trainer's provenance ({@code config.toMap()}, the one form) plus the engine's keys. */
    private void provenance(FactorModel m, String master, int p) {
        var pr = m.provenance;
        config.toMap().forEach((key, v) -> pr.put(key, String.valueOf(v)));
        pr.put("engine", SparkTrainingResult.ENGINE);
        pr.put("master", master);
        pr.put("partitions", Integer.toString(p));
        pr.put("backend", options.backend());
        pr.put("created", java.time.Instant.now().toString());
    }
}
