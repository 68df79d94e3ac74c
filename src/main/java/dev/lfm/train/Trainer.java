package dev.lfm.train;

import dev.lfm.LfmException;
import dev.lfm.compute.Backend;
import dev.lfm.compute.ErrorSums;
import dev.lfm.objective.LossTerms;
import dev.lfm.compute.OptimizerStep;
import dev.lfm.compute.RatingSet;
import dev.lfm.compute.Side;
import dev.lfm.data.Ratings;
import dev.lfm.model.FactorModel;
import dev.lfm.objective.Objective;
import java.util.ArrayList;
import java.util.List;

/**
 * The epoch loop shared by every algorithm and backend (a template: the algorithm supplies one
 * epoch's steps, everything else is common):
 *
 * <ol>
 *   <li>initialize: μ = training mean, biases 0, factors ~ N(0, s²) seeded (s = initScale, default 0.7/√k) (rows without
 *       training ratings start at zero); upload ratings and parameters once;
 *   <li>per epoch: the algorithm's steps on the backend (SGD epoch; shuffled mini-batches with an
 *       optimizer; one full-batch step; or an ALS sweep users → items), with lr_e = lr·decay^(e−1);
 *   <li>then the objective L on train and RMSE on train/validation/test, all from the backend
 *       as scalars (per-rating SGD: train L and RMSE from the errors during the epoch except every
 *       {@link TrainingConfig#evalEvery}-th and the last epoch, see {@link EpochRecord#trainExact()});
 *       NaN, Inf or a thousandfold rise over the initial objective stops with
 *       {@link DivergenceException} ({@link Divergence} has the rule and the advice);
 *   <li>early stopping (patience &gt; 0) watches validation RMSE, never test, and the returned
 *       model is the best epoch's.
 * </ol>
 */
public final class Trainer {
    private final TrainingConfig config;
    private final TrainingListener listener;

    public Trainer(TrainingConfig config, TrainingListener listener) {
        this.config = config.copy().validate();
        this.listener = listener == null ? TrainingListener.NONE : listener;
    }

    /**
     * Trains on {@code train}, reporting on {@code validation} and {@code test} (either may be null
     * or empty), on an open backend.
     */
    public TrainingResult train(Backend backend, Ratings train, Ratings validation, Ratings test) {
        return train(backend, train, validation, test, null);
    }

    /**
     * As {@link #train(Backend, Ratings, Ratings, Ratings)}, starting from {@code init} (warm start,
     * may be null): see {@link #warmStart}. The result's provenance records the start
     * ({@code init_model}, {@code init_users}, {@code init_items}); epochs are numbered from 1.
     */
    public TrainingResult train(Backend backend, Ratings train, Ratings validation, Ratings test, FactorModel init) {
        if (train.size() == 0) {
            throw new LfmException("the training set is empty");
        }
        boolean hasValidation = validation != null && validation.size() > 0;
        if (!config.isResolved()) {
            TrainingConfig c = config.resolvedFor(train, hasValidation);
            String race = null;
            if (c.rank == TrainingConfig.RANK_AUTO) {
                StringBuilder why = new StringBuilder();
                c.rank = chooseRank(c, backend, train, validation, init, why);
                race = why.toString();
            }
            TrainingResult r = new Trainer(c, listener).train(backend, train, validation, test, init);
            if (race != null) {
                r.model().provenance.put("rank_auto", race);
            }
            return r;
        }
        if (config.patience > 0 && !hasValidation) {
            throw new LfmException("early stopping (--patience) needs a validation split: set --validation-fraction");
        }
        FactorModel model = initialModel(train);
        int[] matched = init == null ? null : warmStart(model, train, init);
        RatingSet trainSet = null;
        RatingSet valSet = null;
        RatingSet testSet = null;
        try {
            trainSet = backend.upload(train);
            valSet = hasValidation ? backend.upload(validation) : null;
            testSet = test != null && test.size() > 0 ? backend.upload(test) : null;
            backend.setModel(model);
            Objective obj = config.objective();
            double initialObjective = backend.loss(trainSet, obj).value();
            double divergedAbove = Divergence.threshold(initialObjective, train.size());
            List<EpochRecord> history = new ArrayList<>();
            FactorModel best = null;
            double bestVal = Double.POSITIVE_INFINITY;
            int bestEpoch = 0;
            int sinceBest = 0;
            boolean stoppedEarly = false;
            long updates = 0;
            double elapsed = 0;
            long[] step = {0};

            for (int epoch = 1; epoch <= config.epochs; epoch++) {
                double lr = config.lr * Math.pow(config.lrDecay, epoch - 1);
                double lrBias = config.effectiveLrBias() * Math.pow(config.lrDecay, epoch - 1);
                long t0 = System.nanoTime();
                updates += runEpoch(backend, trainSet, obj, epoch, (float) lr, (float) lrBias, step);
                double seconds = (System.nanoTime() - t0) / 1e9;
                elapsed += seconds;

                double during = duringEpochSse(backend, epoch);
                boolean exact = Double.isNaN(during);
                LossTerms loss;
                double trainRmse;
                if (exact) {
                    loss = backend.loss(trainSet, obj);
                    trainRmse = config.evaluateTrain ? backend.evaluate(trainSet).rmse() : loss.rmse();
                } else {
                    LossTerms pen = backend.penalty(trainSet, obj);
                    loss = new LossTerms(during, pen.factorPenalty(), pen.biasPenalty(), trainSet.size());
                    trainRmse = loss.rmse();
                }
                double valRmse = valSet != null ? backend.evaluate(valSet).rmse() : Double.NaN;
                ErrorSums testErr = testSet != null ? backend.evaluate(testSet) : null;
                EpochRecord rec = new EpochRecord(epoch, loss.value(), trainRmse, valRmse,
                        testErr == null ? Double.NaN : testErr.rmse(), testErr == null ? Double.NaN : testErr.mae(),
                        seconds, elapsed, lr, exact);
                history.add(rec);
                listener.onEpoch(rec);
                if (Divergence.diverged(loss.value(), trainRmse, divergedAbove)) {
                    throw new DivergenceException(Divergence.message(config, epoch, loss.value(), initialObjective, train));
                }
                if (config.patience > 0) {
                    if (valRmse < bestVal) {
                        bestVal = valRmse;
                        bestEpoch = epoch;
                        sinceBest = 0;
                        if (best == null) {
                            best = newModelLike(model);
                        }
                        backend.getModel(best);
                    } else if (++sinceBest >= config.patience) {
                        stoppedEarly = epoch < config.epochs;
                        break;
                    }
                }
                if (listener.stopAfter(rec)) {
                    stoppedEarly = epoch < config.epochs;
                    break;
                }
            }
            FactorModel result;
            if (config.patience > 0 && best != null) {
                result = best;
            } else {
                result = newModelLike(model);
                backend.getModel(result);
                bestEpoch = history.size();
            }
            result.userIds = train.userIds();
            result.itemIds = train.itemIds();
            provenance(result, backend);
            if (matched != null) {
                result.provenance.put("init_model", describe(init));
                result.provenance.put("init_users", Integer.toString(matched[0]));
                result.provenance.put("init_items", Integer.toString(matched[1]));
            }
            return new TrainingResult(result, history, bestEpoch, stoppedEarly, updates, elapsed, backend.name(),
                    backend.device(), config.copy());
        } finally {
            // the device memory of these sets goes now, not when the backend closes: a rank race, the tuner's
            // trials and cross-validation's folds train many times on one backend
            closeAll(trainSet, valSet, testSet);
        }
    }

    private static void closeAll(RatingSet... sets) {
        for (RatingSet r : sets) {
            if (r != null) {
                r.close();
            }
        }
    }

    /**
     * {@link TrainingConfig#RANK_AUTO}: each rank of {@link TrainingConfig#AUTO_RANKS} trains
     * {@link TrainingConfig#AUTO_RANK_PROBE_EPOCHS} epochs (same seed, no early stopping), and the lower
     * validation RMSE of the last probe epoch wins (ties: the smaller rank). Without validation data
     * {@link TrainingConfig#AUTO_RANK_WITHOUT_VALIDATION}; with a warm start the initial model's rank.
     * {@code why} receives a one-line account, largest rank first ("64: 0.8653, 8: 0.8712 validation RMSE after
     * 3 epochs -> 64").
     */
    private static int chooseRank(TrainingConfig c, Backend backend, Ratings train, Ratings validation,
                                  FactorModel init, StringBuilder why) {
        if (init != null) {
            why.append("the initial model's rank ").append(init.rank);
            return init.rank;
        }
        if (validation == null || validation.size() == 0) {
            why.append(TrainingConfig.AUTO_RANK_WITHOUT_VALIDATION).append(" (no validation split to choose on)");
            return TrainingConfig.AUTO_RANK_WITHOUT_VALIDATION;
        }
        // probes in AUTO_RANKS' order, largest first; the choice does not depend on the order (lower
        // validation RMSE, ties to the smaller rank). Largest first because on the CPU the per-rank SGD
        // kernels use different vector widths, and on Java 17 a kernel that C2 compiles after another
        // width has run gets a type profile polluted by it: the large kernel, the one the final
        // training usually keeps, suffers most (5x slower epochs after the small probe), the small one
        // little (about 15%)
        int bestRank = java.util.Arrays.stream(TrainingConfig.AUTO_RANKS).min().getAsInt();
        double best = Double.POSITIVE_INFINITY;
        int probe = Math.min(TrainingConfig.AUTO_RANK_PROBE_EPOCHS, c.epochs);
        for (int k : TrainingConfig.AUTO_RANKS) {
            TrainingConfig p = c.copy();
            p.rank = k;
            p.epochs = probe;
            p.patience = 0;
            p.evaluateTrain = false;
            double v;
            try {
                TrainingResult r = new Trainer(p, null).train(backend, train, validation, null);
                v = r.last().validationRmse();
            } catch (DivergenceException e) {
                v = Double.NaN;
            }
            why.append(why.length() == 0 ? "" : ", ").append(k).append(": ")
                    .append(Double.isNaN(v) ? "diverged" : String.format(java.util.Locale.ROOT, "%.4f", v));
            if (v < best || (v == best && k < bestRank)) {
                best = v;
                bestRank = k;
            }
        }
        why.append(" validation RMSE after ").append(probe).append(probe == 1 ? " epoch" : " epochs")
                .append(" -> ").append(bestRank);
        return bestRank;
    }

    /**
     * Σe² during this epoch when {@link TrainingConfig#evalEvery} lets this epoch skip the exact
     * passes (per-rating SGD, not an N-th or the last epoch, the backend accumulates it), else NaN.
     */
    private double duringEpochSse(Backend backend, int epoch) {
        if (!config.isPerRatingSgd() || epoch == config.epochs || config.evalEvery == 1
                || (config.evalEvery > 1 && epoch % config.evalEvery == 0)) {
            return Double.NaN;
        }
        return backend.lastSgdEpochSse();
    }

    private long runEpoch(Backend backend, RatingSet train, Objective obj, int epoch, float lr, float lrBias,
                          long[] step) {
        int n = train.size();
        long epochSeed = mix(config.seed, epoch);
        if (config.algorithm == Algorithm.ALS) {
            backend.alsSweep(train, obj, Side.USERS);
            backend.alsSweep(train, obj, Side.ITEMS);
            return 2L * n;
        }
        if (config.isPerRatingSgd()) {
            backend.sgdEpoch(train, obj, config.optimizer, lr, lrBias, epochSeed);
            return n;
        }
        OptimizerStep proto = new OptimizerStep(config.optimizer, lr, lrBias, (float) config.momentum,
                (float) config.beta1, (float) config.beta2, (float) config.epsilon, 1);
        if (config.batchSize == 0 || config.batchSize >= n) {
            backend.gradientStep(train, 0, n, obj, proto.withStep(++step[0], lr, lrBias));
            return n;
        }
        backend.shuffle(train, epochSeed);
        for (int from = 0; from < n; from += config.batchSize) {
            int to = (int) Math.min(n, (long) from + config.batchSize);
            backend.gradientStep(train, from, to, obj, proto.withStep(++step[0], lr, lrBias));
        }
        return n;
    }

    /**
     * A seed for (base, epoch) that does not collide across nearby seeds: the seed of each epoch's
     * order (DSGD on Spark uses the same one, so one block reproduces this trainer).
     */
    public static long mix(long seed, long salt) {
        long x = seed * 0x9E3779B97F4A7C15L + salt;
        x ^= x >>> 31;
        x *= 0xBF58476D1CE4E5B9L;
        return x ^ (x >>> 29);
    }

    private FactorModel initialModel(Ratings train) {
        FactorModel m = new FactorModel(train.numUsers(), train.numItems(), config.rank, config.biases);
        m.mu = (float) train.mean();
        m.minRating = train.minRating();
        m.maxRating = train.maxRating();
        m.initialize(config.seed, config.effectiveInitScale(), train.userCounts(), train.itemCounts());
        return m;
    }

    /**
     * Warm start: copies into {@code fresh} (initialized as usual for {@code train}) the factors and
     * biases of every user and item of {@code init} that {@code train} has ratings for, matched by
     * the ids of the rating file (the id maps), so the two id spaces need not agree. Rows new to
     * {@code init}, and rows without training ratings (held at zero), keep their usual start; μ
     * stays the training mean. Returns {matched users, matched items}.
     */
    static int[] warmStart(FactorModel fresh, Ratings train, FactorModel init) {
        if (init.rank != fresh.rank) {
            throw new LfmException("the initial model has rank " + init.rank + ", training asks for rank " + fresh.rank
                    + ": use the same --rank");
        }
        int[] userCounts = train.userCounts();
        int[] itemCounts = train.itemCounts();
        int users = copyRows(fresh.p, fresh.userBias, train.userIds(), userCounts, init.p, init.userBias, init.userIds,
                init.numUsers, fresh.rank, fresh.biases && init.biases);
        int items = copyRows(fresh.q, fresh.itemBias, train.itemIds(), itemCounts, init.q, init.itemBias, init.itemIds,
                init.numItems, fresh.rank, fresh.biases && init.biases);
        return new int[] {users, items};
    }

    private static int copyRows(float[] x, float[] xb, dev.lfm.data.IdMap ids, int[] counts, float[] y, float[] yb,
                                dev.lfm.data.IdMap initIds, int initRows, int k, boolean biases) {
        int matched = 0;
        for (int r = 0; r < counts.length; r++) {
            if (counts[r] == 0) {
                continue;
            }
            long id = ids == null ? r : ids.externalId(r);
            int j = initIds == null ? (id < initRows ? (int) id : -1) : initIds.indexOf(id);
            if (j < 0 || j >= initRows) {
                continue;
            }
            System.arraycopy(y, j * k, x, r * k, k);
            if (biases) {
                xb[r] = yb[j];
            }
            matched++;
        }
        return matched;
    }

    private static String describe(FactorModel init) {
        String created = init.provenance.get("created");
        return String.format("%s, rank %d, %d users x %d items%s", init.provenance.getOrDefault("algorithm", "model"),
                init.rank, init.numUsers, init.numItems, created == null ? "" : ", created " + created);
    }

    private static FactorModel newModelLike(FactorModel m) {
        return new FactorModel(m.numUsers, m.numItems, m.rank, m.biases);
    }

    private void provenance(FactorModel m, Backend backend) {
        config.toMap().forEach((k, v) -> m.provenance.put(k, String.valueOf(v)));
        m.provenance.put("backend", backend.name());
        m.provenance.put("created", java.time.Instant.now().toString());
    }
}
