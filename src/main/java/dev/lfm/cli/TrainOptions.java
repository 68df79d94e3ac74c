package dev.lfm.cli;

import dev.lfm.objective.Regularization;
import dev.lfm.train.Algorithm;
import dev.lfm.compute.Optimizer;
import dev.lfm.train.TrainingConfig;
import picocli.CommandLine.Option;

/**
 * The model and optimizer flags (a picocli mixin), in the field's vocabulary. Unset flags keep
 * {@link TrainingConfig#defaults()} (or the algorithm's own default where noted).
 */
public final class TrainOptions {
    @Option(names = "--algorithm", defaultValue = "sgd", description = "sgd (gradient descent: SGD, mini-batch or full batch by --batch-size) | als (default: ${DEFAULT-VALUE})")
    public String algorithm;

    @Option(names = {"-k", "--rank"}, description = "Number of latent factors k (default: 8).")
    public Integer rank;

    @Option(names = "--epochs", description = "Epochs (ALS: sweeps) (default: 20; ALS 15).")
    public Integer epochs;

    @Option(names = "--lr", description = "Learning rate η for the factors (default: 0.02; Adam 0.001).")
    public Double lr;

    @Option(names = "--lr-bias", description = "Learning rate for the biases (default: same as --lr).")
    public Double lrBias;

    @Option(names = "--reg", description = "Factor regularization λ (default: 0.01).")
    public Double reg;

    @Option(names = "--reg-bias", description = "Bias regularization λ_b (default: 0.01).")
    public Double regBias;

    @Option(names = "--regularization", defaultValue = "weighted",
            description = "weighted (λ·n_u‖p_u‖², as per-rating SGD, LIBMF, Surprise and Spark's ALS-WR) | uniform (λ‖p_u‖², the seed form) (default: ${DEFAULT-VALUE})")
    public String regularization;

    @Option(names = "--batch-size", defaultValue = "1", description = "1 = SGD, b = mini-batch, all = full batch (default: ${DEFAULT-VALUE})")
    public String batchSize;

    @Option(names = "--optimizer", defaultValue = "sgd", description = "sgd|momentum|nesterov|adam (default: ${DEFAULT-VALUE})")
    public String optimizer;

    @Option(names = "--momentum", defaultValue = "0.9", description = "Momentum β (momentum, nesterov) (default: ${DEFAULT-VALUE})")
    public double momentum;

    @Option(names = "--beta1", defaultValue = "0.9", description = "Adam β1 (default: ${DEFAULT-VALUE})")
    public double beta1;

    @Option(names = "--beta2", defaultValue = "0.999", description = "Adam β2 (default: ${DEFAULT-VALUE})")
    public double beta2;

    @Option(names = "--lr-decay", defaultValue = "1.0", description = "Per-epoch learning-rate factor: lr_e = lr·decay^(e-1) (default: ${DEFAULT-VALUE}, no decay)")
    public double lrDecay;

    @Option(names = "--no-biases", description = "Train without b_u, b_i (μ is still used).")
    public boolean noBiases;

    @Option(names = "--patience", defaultValue = "0", description = "Early stopping: stop after this many epochs without a better validation RMSE and keep the best epoch (0 = off) (default: ${DEFAULT-VALUE})")
    public int patience;

    @Option(names = "--init-scale", description = "Std. deviation of the initial factors (default: 0.7/sqrt(k))")
    public Double initScale;

    /** The configuration these flags describe, validated. */
    public TrainingConfig toConfig(long seed) {
        TrainingConfig c = TrainingConfig.defaults();
        try {
            c.algorithm = Algorithm.parse(algorithm);
            c.optimizer = Optimizer.parse(optimizer);
            c.regularization = Regularization.parse(regularization);
        } catch (IllegalArgumentException e) {
            throw new dev.lfm.LfmException(e.getMessage());
        }
        if (c.algorithm == Algorithm.ALS) {
            c.epochs = 15;
        }
        if (c.optimizer == Optimizer.ADAM) {
            c.lr = 0.001;
        }
        if (rank != null) {
            c.rank = rank;
        }
        if (epochs != null) {
            c.epochs = epochs;
        }
        if (lr != null) {
            c.lr = lr;
        }
        if (lrBias != null) {
            c.lrBias = lrBias;
        }
        if (reg != null) {
            c.lambda = reg;
        }
        if (regBias != null) {
            c.lambdaBias = regBias;
        }
        c.batchSize = parseBatch(batchSize);
        c.momentum = momentum;
        c.beta1 = beta1;
        c.beta2 = beta2;
        c.lrDecay = lrDecay;
        c.biases = !noBiases;
        c.patience = patience;
        if (initScale != null) {
            c.initScale = initScale;
        }
        c.seed = seed;
        return c.validate();
    }

    static int parseBatch(String s) {
        if ("all".equalsIgnoreCase(s) || "full".equalsIgnoreCase(s)) {
            return 0;
        }
        try {
            int b = Integer.parseInt(s.trim());
            if (b < 1) {
                throw new NumberFormatException();
            }
            return b;
        } catch (NumberFormatException e) {
            throw new dev.lfm.LfmException("--batch-size must be a positive integer or 'all' (got '" + s + "')");
        }
    }
}
