package dev.lfm.train;

import dev.lfm.LfmException;
import dev.lfm.compute.Optimizer;
import dev.lfm.objective.Objective;
import dev.lfm.objective.Regularization;
import java.util.LinkedHashMap;
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
    public int rank = 8;
    public int epochs = 20;
    /** Learning rate for factors (half-gradient scale; see {@link dev.lfm.compute.OptimizerStep}). */
    public double lr = 0.02;
    /** Learning rate for biases; NaN means "same as lr". */
    public double lrBias = Double.NaN;
    public double lambda = 0.01;
    public double lambdaBias = 0.01;
    public Regularization regularization = Regularization.WEIGHTED;
    /** 1 = SGD, b = mini-batch, 0 = full batch. */
    public int batchSize = 1;
    public Optimizer optimizer = Optimizer.SGD;
    public double momentum = 0.9;
    public double beta1 = 0.9;
    public double beta2 = 0.999;
    public double epsilon = 1e-8;
    /** Multiplicative learning-rate decay per epoch: lr_e = lr · decay^(e−1); 1 = none. */
    public double lrDecay = 1.0;
    public boolean biases = true;
    /** Early-stopping patience in epochs on validation RMSE; 0 = off. */
    public int patience = 0;
    public long seed = 42;
    /**
     * Standard deviation of the initial factors; NaN (the default) means 0.7/√k, which starts every
     * row with a norm of about 0.7 whatever the rank (k = 8: 0.25; k = 128: 0.06).
     */
    public double initScale = Double.NaN;
    /** Evaluate train RMSE every epoch (one extra pass over train). */
    public boolean evaluateTrain = true;

    /** Sweeps ALS runs by default (each is an exact solve of every row, so it needs fewer than SGD's epochs). */
    static final int ALS_EPOCHS = 15;
    /** Adam's default learning rate (its steps are normalized, so it wants a smaller one than SGD). */
    static final double ADAM_LR = 0.001;

    public static TrainingConfig defaults() {
        return new TrainingConfig();
    }

    /**
     * The defaults for this algorithm and optimizer: those of {@link #defaults()}, except that ALS
     * runs {@value #ALS_EPOCHS} sweeps and Adam starts at lr {@value #ADAM_LR}.
     */
    public static TrainingConfig defaults(Algorithm algorithm, Optimizer optimizer) {
        TrainingConfig c = defaults();
        c.algorithm = algorithm;
        c.optimizer = optimizer;
        if (algorithm == Algorithm.ALS) {
            c.epochs = ALS_EPOCHS;
        }
        if (optimizer == Optimizer.ADAM) {
            c.lr = ADAM_LR;
        }
        return c;
    }

    /**
     * The settings as one JSON-friendly map, in the CLI's vocabulary ({@code reg} is λ, {@code
     * reg_bias} λ_b, {@code batch_size} "all" for full batch; learning rate for biases and initial
     * scale resolved): the one form written as model provenance, into every JSON report and into
     * every experiment summary.
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("algorithm", describeAlgorithm());
        m.put("rank", rank);
        m.put("epochs", epochs);
        m.put("lr", lr);
        m.put("lr_bias", effectiveLrBias());
        m.put("reg", lambda);
        m.put("reg_bias", lambdaBias);
        m.put("regularization", regularization.name().toLowerCase(Locale.ROOT));
        m.put("batch_size", batchSize == 0 ? "all" : batchSize);
        m.put("optimizer", optimizer.label());
        m.put("momentum", momentum);
        m.put("beta1", beta1);
        m.put("beta2", beta2);
        m.put("epsilon", epsilon);
        m.put("lr_decay", lrDecay);
        m.put("biases", biases);
        m.put("patience", patience);
        m.put("init_scale", effectiveInitScale());
        m.put("seed", seed);
        return m;
    }

    public TrainingConfig copy() {
        try {
            return (TrainingConfig) clone();
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e);
        }
    }

    public Objective objective() {
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

    /** "sgd", "minibatch-adam", "fullbatch-momentum", "als", ... */
    public String describeAlgorithm() {
        if (algorithm == Algorithm.ALS) {
            return "als";
        }
        String base = batchSize == 1 ? "sgd" : batchSize == 0 ? "fullbatch" : "minibatch";
        return optimizer == Optimizer.SGD ? base : base + "-" + optimizer.label();
    }

    public TrainingConfig validate() {
        check(rank >= 1 && rank <= 4096, "--rank must be between 1 and 4096 (got " + rank + ")");
        check(epochs >= 1, "--epochs must be >= 1 (got " + epochs + ")");
        check(lr > 0 && Double.isFinite(lr), "--lr must be a positive number (got " + lr + ")");
        check(Double.isNaN(lrBias) || (lrBias >= 0 && Double.isFinite(lrBias)), "--lr-bias must be >= 0 (got " + lrBias + ")");
        check(lambda >= 0 && Double.isFinite(lambda), "--reg must be >= 0 (got " + lambda + ")");
        check(lambdaBias >= 0 && Double.isFinite(lambdaBias), "--reg-bias must be >= 0 (got " + lambdaBias + ")");
        check(batchSize >= 0, "--batch-size must be >= 1, or 'all' (got " + batchSize + ")");
        check(momentum >= 0 && momentum < 1, "--momentum must be in [0, 1) (got " + momentum + ")");
        check(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1, "Adam betas must be in [0, 1)");
        check(epsilon > 0, "Adam epsilon must be > 0");
        check(lrDecay > 0 && lrDecay <= 1, "--lr-decay must be in (0, 1] (got " + lrDecay + ")");
        check(patience >= 0, "--patience must be >= 0 (got " + patience + ")");
        check(Double.isNaN(initScale) || (initScale > 0 && Double.isFinite(initScale)), "--init-scale must be > 0");
        return this;
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new LfmException(message);
        }
    }
}
