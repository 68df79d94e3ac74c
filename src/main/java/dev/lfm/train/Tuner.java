package dev.lfm.train;

import dev.lfm.compute.Optimizer;

import dev.lfm.LfmException;
import dev.lfm.compute.Backend;
import dev.lfm.data.Ratings;
import dev.lfm.model.FactorModel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;

/**
 * Hyper-parameter search on a validation split, within a time budget.
 *
 * <p>It sees only a training set and a validation set: {@link #tune} has no test argument, so it
 * cannot read test data. It searches rank k, λ, λ_b and the learning rate (SGD) or k, λ and λ_b
 * (ALS), and picks the configuration with the lowest validation RMSE.
 *
 * <p>Algorithm: successive halving in repeated brackets (Hyperband without its bracket grid).
 * A bracket draws {@link Options#configsPerBracket} configurations at random (log-uniform ranges;
 * the first bracket's first trial is the plain defaults, so the search never ends below them on
 * validation), trains each for a short epoch budget with early stopping, keeps the best
 * 1/{@link Options#eta}, trains those with η× the epochs, and so on until one is left (a trial that early
 * stopping ended below its budget is promoted as it is, not rerun: a longer budget would stop it at the same
 * epoch, since every trial of a configuration uses the same seed). Brackets
 * repeat until the budget runs out; a trial still running at the deadline is cut after its current
 * epoch (its best epoch so far is recorded, its model is gone). Every trial is one {@link TrialRunner} run.
 *
 * <p>Final model ({@link FinalTraining}): by default {@link FinalTraining#RETRAIN_ON_ALL} retrains the
 * chosen configuration on training + validation for the best trial's best epoch count;
 * {@link FinalTraining#KEEP_BEST_TRIAL} returns the trial's own model (training only, early-stopped).
 * Measured on ml-latest-small, 60 s, same chosen configuration: retrain test RMSE 0.8489, keep 0.8553.
 * A retrain's time counts against the budget: the search stops early to leave room for it.
 */
public final class Tuner {
    /** Which algorithms to search. */
    public enum Algorithms {
        SGD, ALS, BOTH;

        public static Algorithms parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new LfmException("algorithm must be sgd, als or both (got '" + s + "')");
            }
        }
    }

    /** How the returned model is trained once the configuration is chosen. */
    public enum FinalTraining {
        /** The best trial's model: trained on training only, stopped at its best validation epoch. */
        KEEP_BEST_TRIAL,
        /** Retrained from scratch on training + validation for the best trial's best epoch count. */
        RETRAIN_ON_ALL
    }

    /** Search settings; fluent, every field has a default. */
    public static final class Options {
        /** Wall-clock budget for the whole call (search and final training), seconds. */
        public double budgetSeconds = 60;
        public Algorithms algorithms = Algorithms.SGD;
        public FinalTraining finalTraining = FinalTraining.RETRAIN_ON_ALL;
        /** Configurations drawn per bracket (rung 0). */
        public int configsPerBracket = 27;
        /** Halving factor: keep 1/η of a rung, give it η× the epochs. */
        public int eta = 3;
        /** Rung-0 epoch budgets (SGD epochs, ALS sweeps). */
        public int sgdMinEpochs = 10;
        public int alsMinEpochs = 3;
        /** Longest epoch budget a trial gets. */
        public int sgdMaxEpochs = 270;
        public int alsMaxEpochs = 27;
        /** Early-stopping patience of every trial. */
        public int patience = 5;
        /** Seed of the search (sampling); every trial also uses it for initialization and shuffling. */
        public long seed = 42;
        /** Settings not searched (regularization form, optimizer, batch size, decay, threads...) come from here. */
        public TrainingConfig base = TrainingConfig.defaults();

        public Options budget(double seconds) {
            return set(() -> budgetSeconds = seconds);
        }

        public Options algorithms(Algorithms a) {
            return set(() -> algorithms = a);
        }

        public Options finalTraining(FinalTraining f) {
            return set(() -> finalTraining = f);
        }

        public Options seed(long s) {
            return set(() -> seed = s);
        }

        public Options base(TrainingConfig c) {
            return set(() -> base = c.copy());
        }

        /** What every fluent setter does: one assignment, then this. */
        private Options set(Runnable assignment) {
            assignment.run();
            return this;
        }

        void validate() {
            if (!(budgetSeconds > 0) || Double.isInfinite(budgetSeconds)) {
                throw new LfmException("--budget must be a positive number of seconds (got " + budgetSeconds + ")");
            }
            if (configsPerBracket < 1 || eta < 2 || patience < 1 || sgdMinEpochs < 1 || alsMinEpochs < 1) {
                throw new LfmException("tuner: configsPerBracket >= 1, eta >= 2, patience >= 1, min epochs >= 1");
            }
        }
    }

    /**
     * One trained configuration.
     *
     * @param id 1-based, in the order trials ran
     * @param bracket 1-based bracket number
     * @param rung 0 for the shortest trials
     * @param epochBudget epochs (ALS sweeps) allowed
     * @param epochsRun epochs actually run (fewer when early stopping or the deadline cut it)
     * @param bestEpoch epoch with the lowest validation RMSE
     * @param validationRmse that lowest validation RMSE (NaN if the trial diverged or ran no epoch)
     * @param cutByBudget the deadline stopped it
     * @param diverged training diverged (NaN/Inf objective)
     */
    public record Trial(int id, int bracket, int rung, TrainingConfig config, int epochBudget, int epochsRun,
                        int bestEpoch, double validationRmse, double seconds, boolean cutByBudget, boolean diverged) {
        /** "sgd k=32 λ=0.0812 λ_b=0.0134 lr=0.0091" */
        public String describe() {
            String s = String.format(java.util.Locale.ROOT, "%s k=%d λ=%.4g λ_b=%.4g", config.describeAlgorithm(),
                    config.rank, config.lambda, config.lambdaBias);
            return config.algorithm == Algorithm.ALS ? s : s + String.format(java.util.Locale.ROOT, " lr=%.4g", config.lr);
        }
    }

    /** Called after every trial (for progress lines). */
    @FunctionalInterface
    public interface TrialListener {
        void onTrial(Trial trial);
    }

    /**
     * The outcome.
     *
     * @param best the chosen configuration, with {@code epochs} set to the epoch count the final model was trained
     *             for and {@code patience} 0: training it again on the same data reproduces {@code model}
     * @param bestTrial the trial that chose it
     * @param trials every trial in the order run
     * @param model the final model ({@link Options#finalTraining})
     * @param finalTraining how {@code model} was trained
     * @param seconds wall-clock seconds of the whole call
     */
    public record Result(TrainingConfig best, Trial bestTrial, List<Trial> trials, FactorModel model,
                         FinalTraining finalTraining, double seconds) {
        /** Validation RMSE of the chosen trial (for RETRAIN_ON_ALL the model has seen validation data). */
        public double validationRmse() {
            return bestTrial.validationRmse();
        }
    }

    private final Options options;
    private final TrialListener listener;
    private final LongSupplier nanoTime;

    public Tuner(Options options, TrialListener listener) {
        this(options, listener, System::nanoTime);
    }

    /** As {@link #Tuner(Options, TrialListener)}, with the budget measured on {@code nanoTime} (tests: a simulated clock). */
    Tuner(Options options, TrialListener listener, LongSupplier nanoTime) {
        options.validate();
        this.options = options;
        this.listener = listener == null ? t -> { } : listener;
        this.nanoTime = nanoTime;
    }

    /**
     * Searches on {@code validation} while training on {@code train}, then produces the final model. Neither
     * set is modified. Only an empty training or validation set, or every trial diverging, is an error.
     */
    public Result tune(Backend backend, Ratings train, Ratings validation) {
        if (train == null || train.size() == 0) {
            throw new LfmException("tuning needs a non-empty training set");
        }
        if (validation == null || validation.size() == 0) {
            throw new LfmException("tuning needs a validation split: set --validation-fraction (or use --folds)");
        }
        long start = nanoTime.getAsLong();
        // 5% margin: a trial is cut between epochs, and setting one up (upload, initialization) is not interruptible
        long end = start + (long) (options.budgetSeconds * 0.95e9);
        SplittableRandom rnd = new SplittableRandom(options.seed);
        TrialRunner runner = new TrialRunner(backend, train, validation, nanoTime);
        List<Trial> trials = new ArrayList<>();
        Map<TrainingConfig, Trial> stoppedEarly = new IdentityHashMap<>();
        Trial best = null;
        FactorModel bestModel = null;
        double reserve = 0; // seconds to keep for the final retrain
        int bracket = 0;
        boolean out = false;
        while (!out) {
            bracket++;
            List<TrainingConfig> rung = new ArrayList<>();
            for (int j = 0; j < options.configsPerBracket; j++) {
                rung.add(bracket == 1 && j == 0 ? defaultsFor(firstAlgorithm(), train) : sample(rnd, j, train));
            }
            for (int level = 0; !rung.isEmpty() && !out; level++) {
                List<Trial> done = new ArrayList<>();
                for (TrainingConfig c : rung) {
                    Trial settled = stoppedEarly.get(c);
                    if (settled != null) {
                        // it stopped early below its budget: a longer budget would rerun it to the same epoch
                        done.add(settled);
                        continue;
                    }
                    long deadline = end - (long) (reserve * 1e9);
                    if (nanoTime.getAsLong() >= deadline) {
                        out = true;
                        break;
                    }
                    int budget = epochBudget(c.algorithm, level);
                    FactorModel[] model = new FactorModel[1];
                    Trial t = runTrial(runner, c, budget, trials.size() + 1, bracket, level, deadline, model);
                    trials.add(t);
                    done.add(t);
                    if (!t.cutByBudget() && !t.diverged() && t.epochsRun() < t.epochBudget()) {
                        stoppedEarly.put(t.config(), t); // the config promoted (Trial::config) is this one
                    }
                    listener.onTrial(t);
                    if (Double.isFinite(t.validationRmse())
                            && (best == null || t.validationRmse() < best.validationRmse())) {
                        best = t;
                        bestModel = model[0];
                        if (options.finalTraining == FinalTraining.RETRAIN_ON_ALL) {
                            // a retrain on (1 + |val|/|train|) of the data for bestEpoch epochs, with a margin
                            double perEpoch = t.seconds() / Math.max(1, t.epochsRun());
                            reserve = 1.5 * perEpoch * t.bestEpoch() * (1 + validation.size() / (double) train.size());
                        }
                    }
                    if (t.cutByBudget()) {
                        out = true;
                        break;
                    }
                }
                int keep = rung.size() / options.eta;
                Algorithm a = rung.get(0).algorithm;
                if (keep == 0 || epochBudget(a, level + 1) == epochBudget(a, level)) {
                    break;
                }
                rung = done.stream().filter(t -> Double.isFinite(t.validationRmse()))
                        .sorted(Comparator.comparingDouble(Trial::validationRmse)).limit(keep)
                        .map(Trial::config).toList();
            }
        }
        if (best == null) {
            throw new LfmException("tuning: no trial finished with a finite validation RMSE within "
                    + options.budgetSeconds + " s (raise --budget)");
        }
        TrainingConfig chosen = best.config().copy();
        chosen.patience = 0;
        chosen.epochs = Math.max(1, best.bestEpoch());
        FactorModel model = bestModel;
        if (options.finalTraining == FinalTraining.RETRAIN_ON_ALL) {
            Ratings all = concat(train, validation);
            model = new Trainer(chosen, null).train(backend, all, null, null).model();
        }
        return new Result(chosen, best, List.copyOf(trials), model, options.finalTraining,
                (nanoTime.getAsLong() - start) / 1e9);
    }

    private int epochBudget(Algorithm a, int level) {
        int min = a == Algorithm.ALS ? options.alsMinEpochs : options.sgdMinEpochs;
        int max = a == Algorithm.ALS ? options.alsMaxEpochs : options.sgdMaxEpochs;
        return (int) Math.min(max, min * Math.pow(options.eta, level));
    }

    /** One trial through {@link TrialRunner}: {@code c} for {@code budget} epochs with the search's patience and seed. */
    private Trial runTrial(TrialRunner runner, TrainingConfig c, int budget, int id, int bracket, int level,
                           long deadline, FactorModel[] model) {
        TrainingConfig tc = c.copy();
        tc.epochs = budget;
        tc.patience = options.patience;
        tc.seed = options.seed;
        TrialRunner.Run run = runner.run(tc, deadline);
        model[0] = run.model();
        TrainingConfig ran = c;
        if (c.rank == TrainingConfig.RANK_AUTO && run.config().rank != TrainingConfig.RANK_AUTO) {
            ran = c.copy(); // the rank the trainer's race chose: a retrain without validation could not race again
            ran.rank = run.config().rank;
        }
        // a cut trial's best epoch so far is recorded, but its model is gone: its validation RMSE does not count
        return new Trial(id, bracket, level, ran, budget, run.epochsRun(), run.bestEpoch(), run.validationRmse(),
                run.seconds(), run.cutByBudget(), run.diverged());
    }

    private Algorithm firstAlgorithm() {
        return options.algorithms == Algorithms.ALS ? Algorithm.ALS : Algorithm.GD;
    }

    /** The base settings with the algorithm's defaults for the searched parameters. */
    private TrainingConfig defaultsFor(Algorithm a, Ratings train) {
        TrainingConfig c = options.base.copy();
        // the defaults of this algorithm with the base's optimizer: `lfm train`'s own settings (AdaGrad at its lr)
        TrainingConfig d = TrainingConfig.defaults(a, c.optimizer).resolvedFor(train, true);
        c.algorithm = a;
        c.rank = d.rank;
        c.lambda = d.lambda;
        c.lambdaBias = d.lambdaBias;
        c.lr = d.lr;
        return c;
    }

    /**
     * A random configuration. Ranges (log-uniform): k in 4..256; SGD λ 0.003..0.3, λ_b 0.001..0.3, lr 0.01..0.3
     * for the AdaGrad rule (its per-row steps start at lr and shrink) and 0.002..0.05 for the others;
     * ALS λ 0.01..1, λ_b 0.001..1. With {@link Algorithms#BOTH} the j-th draw alternates SGD and ALS.
     */
    TrainingConfig sample(SplittableRandom rnd, int j, Ratings train) {
        Algorithm a = switch (options.algorithms) {
            case SGD -> Algorithm.GD;
            case ALS -> Algorithm.ALS;
            case BOTH -> j % 2 == 0 ? Algorithm.GD : Algorithm.ALS;
        };
        TrainingConfig c = defaultsFor(a, train);
        c.rank = (int) Math.round(logUniform(rnd, 4, 256));
        if (a == Algorithm.ALS) {
            c.lambda = logUniform(rnd, 0.01, 1);
            c.lambdaBias = logUniform(rnd, 0.001, 1);
        } else {
            c.lambda = logUniform(rnd, 0.003, 0.3);
            c.lambdaBias = logUniform(rnd, 0.001, 0.3);
            c.lr = c.optimizer == Optimizer.ADAGRAD ? logUniform(rnd, 0.01, 0.3) : logUniform(rnd, 0.002, 0.05);
        }
        return c;
    }

    private static double logUniform(SplittableRandom rnd, double lo, double hi) {
        return Math.exp(Math.log(lo) + rnd.nextDouble() * (Math.log(hi) - Math.log(lo)));
    }

    /** Training and validation ratings as one set (same id space and scale): what {@link FinalTraining#RETRAIN_ON_ALL}
     * trains on. */
    public static Ratings concat(Ratings a, Ratings b) {
        int n = a.size() + b.size();
        int[] u = new int[n];
        int[] i = new int[n];
        float[] v = new float[n];
        System.arraycopy(a.users(), 0, u, 0, a.size());
        System.arraycopy(b.users(), 0, u, a.size(), b.size());
        System.arraycopy(a.items(), 0, i, 0, a.size());
        System.arraycopy(b.items(), 0, i, a.size(), b.size());
        System.arraycopy(a.values(), 0, v, 0, a.size());
        System.arraycopy(b.values(), 0, v, a.size(), b.size());
        return new Ratings(Math.max(a.numUsers(), b.numUsers()), Math.max(a.numItems(), b.numItems()), u, i, v, n,
                a.userIds(), a.itemIds(), Math.min(a.minRating(), b.minRating()),
                Math.max(a.maxRating(), b.maxRating()));
    }
}
