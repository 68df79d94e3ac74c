package dev.lfm.train;

import dev.lfm.compute.Optimizer;

import dev.lfm.LfmException;
import dev.lfm.objective.Objective;
import dev.lfm.objective.Regularization;

/**
 * Every setting of a training run, with the defaults in one place ({@link #defaults()}) and one
 * {@link #validate()} that throws a one-line {@link LfmException}. Mutable and fluent; copy with
 * {@link #copy()} before changing a shared instance.
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

    public static TrainingConfig defaults() {
        return new TrainingConfig();
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
        check(algorithm != Algorithm.GD || optimizer.batch() || batchSize == 1,
                "--optimizer " + optimizer.label() + " is per-rating SGD only: use --batch-size 1 (got "
                        + (batchSize == 0 ? "all" : Integer.toString(batchSize)) + ")");
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
