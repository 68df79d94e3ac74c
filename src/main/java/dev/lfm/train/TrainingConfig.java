package dev.lfm.train;

import dev.lfm.LfmException;
import dev.lfm.OrderedMap;
import dev.lfm.compute.Optimizer;
import dev.lfm.data.Ratings;
import dev.lfm.objective.Objective;
import dev.lfm.objective.Regularization;
import java.util.Locale;
import java.util.Map;

/**
 * Every setting of a training run, with the defaults in one place ({@link #defaults()}, and
 * {@link #defaults(Algorithm, Optimizer)} for the two that depend on the method), one
 * {@link #validate()} that throws a one-line {@link LfmException}, and one serialized form
 * ({@link #toMap()}) for model provenance, reports and experiment summaries. Mutable and fluent;
 * copy with {@link #copy()} before changing a shared instance.
 */
public final class TrainingConfig implements Cloneable {
    public Algorithm algorithm = Algorithm.GD;
    // Defaults measured on ml-latest-small, a half-user subset of it and the synthetic presets (README,
    // "Defaults, and why"); SGD's here, ALS's differences in defaults(Algorithm).
    /**
     * Number of latent factors k; {@link #RANK_AUTO} (the default for gradient descent) means "chosen on the
     * validation split": each of {@link #AUTO_RANKS} trains {@value #AUTO_RANK_PROBE_EPOCHS} epochs and the
     * one with the lower validation RMSE is trained in full (the {@link Trainer} does that; without a
     * validation split {@link #AUTO_RANK_WITHOUT_VALIDATION}; with a warm start the initial model's rank).
     */
    public int rank = RANK_AUTO;
    /** Epoch budget; with the default early stopping most runs stop well before it. */
    public int epochs = 100;
    /** Learning rate for factors (half-gradient scale; see {@link dev.lfm.compute.OptimizerStep}). */
    public double lr = 0.05;
    /** Learning rate for biases; NaN means "same as lr". */
    public double lrBias = Double.NaN;
    /**
     * Factor regularization λ; NaN (the default) means "from the data": {@link #defaultLambda(Ratings)} of the
     * training set, filled in by {@link #resolvedFor(Ratings, boolean)} (the {@link Trainer} does that).
     */
    public double lambda = Double.NaN;
    public double lambdaBias = 0.02;
    public Regularization regularization = Regularization.WEIGHTED;
    /** 1 = SGD, b = mini-batch, 0 = full batch. */
    public int batchSize = 1;
    /** The update rule; AdaGrad's per-row step sizes (the default) let one lr serve data sets of any scale. */
    public Optimizer optimizer = Optimizer.ADAGRAD;
    public double momentum = 0.9;
    public double beta1 = 0.9;
    public double beta2 = 0.999;
    public double epsilon = 1e-8;
    /** Multiplicative learning-rate decay per epoch: lr_e = lr · decay^(e−1); 1 = none. */
    public double lrDecay = 0.98;
    public boolean biases = true;
    /**
     * Early-stopping patience in epochs on validation RMSE; 0 = off; {@link #PATIENCE_AUTO} (the default) =
     * {@link #DEFAULT_PATIENCE} when the run has a validation split, else off.
     */
    public int patience = PATIENCE_AUTO;
    public long seed = 42;
    /**
     * Standard deviation of the initial factors; NaN (the default) means 0.7/√k, which starts every
     * row with a norm of about 0.7 whatever the rank (k = 8: 0.25; k = 128: 0.06).
     */
    public double initScale = Double.NaN;
    /** Evaluate train RMSE every epoch (one extra pass over train). */
    public boolean evaluateTrain = true;
    /**
     * Exact training objective and train RMSE (passes over every training rating) every N-th
     * epoch and at the last; in between, per-rating SGD on a backend that accumulates it
     * ({@link dev.lfm.compute.Backend#lastSgdEpochSse}) reports the error during the epoch
     * (pre-update residuals, no extra pass), marked in {@link EpochRecord#trainExact()}. 0 (the
     * default) = only at the last epoch; 1 = every epoch. Other algorithms are exact every epoch.
     */
    public int evalEvery = 0;

    /** The learning rate of the non-adaptive rules (plain SGD, momentum, Nesterov). */
    static final double PLAIN_LR = 0.01;
    /** Adam's default learning rate (its steps are normalized, so it wants a smaller one than SGD). */
    static final double ADAM_LR = 0.001;
    /** {@link #rank} value meaning "chosen on validation among {@link #AUTO_RANKS}". */
    public static final int RANK_AUTO = -1;
    /**
     * The ranks {@link #RANK_AUTO} races: 8 fits data whose structure is a few weak factors (the synthetic
     * presets, where more factors over-fit), 64 fits real ratings (a few strong factors and a long tail,
     * which a large rank with the data-dependent λ captures). In probe order, largest first (see
     * {@link Trainer}'s rank race: the kernel of the rank the final training usually keeps is then
     * compiled before another vector width has run).
     */
    static final int[] AUTO_RANKS = {64, 8};
    /** Epochs each rank of {@link #AUTO_RANKS} trains before the choice. */
    public static final int AUTO_RANK_PROBE_EPOCHS = 3;
    /** The rank {@link #RANK_AUTO} means when there is no validation split to choose on. */
    public static final int AUTO_RANK_WITHOUT_VALIDATION = 8;
    /** {@link #patience} value meaning "on when there is a validation split". */
    public static final int PATIENCE_AUTO = -1;
    /** Patience used by {@link #PATIENCE_AUTO} (SGD epochs); ALS uses {@link #DEFAULT_ALS_PATIENCE} sweeps. */
    public static final int DEFAULT_PATIENCE = 10;
    public static final int DEFAULT_ALS_PATIENCE = 3;

    public static final int DEFAULT_ALS_RANK = 32;
    public static final int DEFAULT_ALS_EPOCHS = 30;
    public static final double DEFAULT_ALS_LAMBDA_BIAS = 0.1;

    /** Multiplier in {@link #defaultLambda(Ratings)}. */
    public static final double LAMBDA_PER_SPREAD = 0.4;

    public static TrainingConfig defaults() {
        return new TrainingConfig();
    }

    /**
     * The data-dependent λ used when {@link #lambda} is NaN: {@value #LAMBDA_PER_SPREAD} · Var(r) / (r_max − r_min)
     * over the training ratings (a quantity in rating units, so rescaling the ratings rescales λ the way the
     * objective needs). Real ratings spread over their scale (ml-latest-small: Var 1.09 over 0.5..5 gives
     * λ ≈ 0.097) and need strong shrinkage; the synthetic presets concentrate near the middle (Var 0.14 over
     * 1..5 gives λ ≈ 0.014), where strong shrinkage erases the planted factors. 0.01 for an empty or constant set.
     */
    public static double defaultLambda(Ratings train) {
        int n = train.size();
        if (n == 0) {
            return 0.01;
        }
        float[] v = train.values();
        double mean = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            mean += v[j];
            min = Math.min(min, v[j]);
            max = Math.max(max, v[j]);
        }
        mean /= n;
        double var = 0;
        for (int j = 0; j < n; j++) {
            double d = v[j] - mean;
            var += d * d;
        }
        var /= n;
        return max > min ? LAMBDA_PER_SPREAD * var / (max - min) : 0.01;
    }

    /**
     * The defaults for this algorithm and optimizer: those of {@link #defaults()}, except that ALS
     * uses rank {@value #DEFAULT_ALS_RANK}, {@value #DEFAULT_ALS_EPOCHS} sweeps, patience
     * {@value #DEFAULT_ALS_PATIENCE} sweeps and λ_b = {@value #DEFAULT_ALS_LAMBDA_BIAS} (λ follows the
     * same data-dependent rule: ALS-WR and per-rating SGD minimize the same weighted objective; lr and
     * lrDecay do not apply).
     */
    public static TrainingConfig defaults(Algorithm algorithm) {
        return defaults(algorithm, Optimizer.SGD);
    }

    /** See {@link #defaults(Algorithm)}; Adam also starts at lr {@value #ADAM_LR}. */
    public static TrainingConfig defaults(Algorithm algorithm, Optimizer optimizer) {
        TrainingConfig c = defaults();
        c.algorithm = algorithm;
        c.optimizer = optimizer;
        if (algorithm == Algorithm.ALS) {
            c.rank = DEFAULT_ALS_RANK;
            c.epochs = DEFAULT_ALS_EPOCHS;
            c.lambdaBias = DEFAULT_ALS_LAMBDA_BIAS;
        }
        if (algorithm == Algorithm.GD
                && (optimizer == Optimizer.SGD || optimizer == Optimizer.MOMENTUM || optimizer == Optimizer.NESTEROV)) {
            c.lr = PLAIN_LR;
        }
        if (optimizer == Optimizer.ADAM) {
            c.lr = ADAM_LR;
        }
        return c;
    }

    /**
     * A copy with every data-dependent default filled in: NaN {@link #lambda} from {@code train}, and
     * {@link #PATIENCE_AUTO} from whether there is validation data.
     */
    public TrainingConfig resolvedFor(Ratings train, boolean hasValidation) {
        TrainingConfig c = copy();
        if (Double.isNaN(c.lambda)) {
            c.lambda = defaultLambda(train);
        }
        if (c.patience == PATIENCE_AUTO) {
            c.patience = !hasValidation ? 0 : algorithm == Algorithm.ALS ? DEFAULT_ALS_PATIENCE : DEFAULT_PATIENCE;
        }
        return c;
    }

    /** Whether some setting still depends on the data ({@link #resolvedFor(Ratings, boolean)}). */
    public boolean isResolved() {
        return !Double.isNaN(lambda) && patience != PATIENCE_AUTO && rank != RANK_AUTO;
    }

    /**
     * The settings as one JSON-friendly map, in the CLI's vocabulary ({@code reg} is λ, {@code
     * reg_bias} λ_b, {@code batch_size} "all" for full batch; learning rate for biases and initial
     * scale resolved): the one form written as model provenance, into every JSON report and into
     * every experiment summary.
     */
    public Map<String, Object> toMap() {
        return OrderedMap.of("algorithm", describeAlgorithm(), "rank", rank == RANK_AUTO ? "auto" : rank,
                "epochs", epochs, "lr", lr, "lr_bias", effectiveLrBias(), "reg", lambda, "reg_bias", lambdaBias,
                "regularization", regularization.name().toLowerCase(Locale.ROOT),
                "batch_size", batchSize == 0 ? "all" : batchSize, "optimizer", optimizer.label(),
                "momentum", momentum, "beta1", beta1, "beta2", beta2, "epsilon", epsilon, "lr_decay", lrDecay,
                "biases", biases, "patience", patience,
                "init_scale", rank == RANK_AUTO && Double.isNaN(initScale) ? "0.7/sqrt(k)" : effectiveInitScale(),
                "seed", seed);
    }

    public TrainingConfig copy() {
        try {
            return (TrainingConfig) clone();
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e);
        }
    }

    /** The objective these settings minimize; {@link #lambda} must be resolved ({@link #resolvedFor(Ratings, boolean)}). */
    public Objective objective() {
        if (Double.isNaN(lambda)) {
            throw new IllegalStateException("λ is data-dependent here: call resolvedFor(train, hasValidation) first");
        }
        return new Objective(lambda, biases ? lambdaBias : 0, regularization, biases);
    }

    public double effectiveInitScale() {
        return Double.isNaN(initScale) ? 0.7 / Math.sqrt(rank) : initScale;
    }

    public double effectiveLrBias() {
        return Double.isNaN(lrBias) ? lr : lrBias;
    }

    /** True for per-rating SGD with the plain rule (the fast block-scheduled path). */
    public boolean isPlainSgd() {
        return algorithm == Algorithm.GD && batchSize == 1 && optimizer == Optimizer.SGD;
    }

    /**
     * True for per-rating SGD epochs ({@link dev.lfm.compute.Backend#sgdEpoch}): batch size 1 with
     * a per-rating rule (plain, or AdaGrad's per-row step sizes).
     */
    public boolean isPerRatingSgd() {
        return algorithm == Algorithm.GD && batchSize == 1 && optimizer.perRating();
    }

    /** "sgd", "minibatch-adam", "fullbatch-momentum", "als", ... */
    public String describeAlgorithm() {
        if (algorithm == Algorithm.ALS) {
            return "als";
        }
        String base = batchSize == 1 ? "sgd" : batchSize == 0 ? "fullbatch" : "minibatch";
        return optimizer == Optimizer.SGD ? base : base + "-" + optimizer.label();
    }

    public TrainingConfig validate() {
        check(rank == RANK_AUTO || (rank >= 1 && rank <= 4096), "--rank must be between 1 and 4096 (got " + rank + ")");
        check(epochs >= 1, "--epochs must be >= 1 (got " + epochs + ")");
        check(lr > 0 && Double.isFinite(lr), "--lr must be a positive number (got " + lr + ")");
        check(Double.isNaN(lrBias) || (lrBias >= 0 && Double.isFinite(lrBias)), "--lr-bias must be >= 0 (got " + lrBias + ")");
        check(Double.isNaN(lambda) || (lambda >= 0 && Double.isFinite(lambda)), "--reg must be >= 0 (got " + lambda + ")");
        check(lambdaBias >= 0 && Double.isFinite(lambdaBias), "--reg-bias must be >= 0 (got " + lambdaBias + ")");
        check(batchSize >= 0, "--batch-size must be >= 1, or 'all' (got " + batchSize + ")");
        check(momentum >= 0 && momentum < 1, "--momentum must be in [0, 1) (got " + momentum + ")");
        check(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1, "Adam betas must be in [0, 1)");
        check(epsilon > 0, "Adam epsilon must be > 0");
        check(lrDecay > 0 && lrDecay <= 1, "--lr-decay must be in (0, 1] (got " + lrDecay + ")");
        check(algorithm != Algorithm.GD || optimizer.batch() || batchSize == 1,
                "--optimizer " + optimizer.label() + " is per-rating SGD only: use --batch-size 1 (got "
                        + (batchSize == 0 ? "all" : Integer.toString(batchSize)) + ")");
        check(evalEvery >= 0, "--eval-every must be >= 0 (got " + evalEvery + ")");
        check(patience >= 0 || patience == PATIENCE_AUTO, "--patience must be >= 0 (got " + patience + ")");
        check(Double.isNaN(initScale) || (initScale > 0 && Double.isFinite(initScale)), "--init-scale must be > 0");
        return this;
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new LfmException(message);
        }
    }
}
