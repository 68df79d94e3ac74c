package dev.lfm.train;

import dev.lfm.compute.Optimizer;
import dev.lfm.data.Ratings;
import java.util.Arrays;
import java.util.Locale;

/**
 * When a run has diverged, and what to tell the user.
 *
 * <p><b>The rule.</b> Epoch e has diverged when its objective L_e or its train RMSE is NaN or
 * infinite, or when L_e &gt; {@value #GROWTH} · L_ref with L_ref = max(L_0, {@value #FLOOR} · n):
 * L_0 is the objective of the initial model (measured once before the first epoch) and n the
 * number of training ratings. Every algorithm lfm runs starts at L_0 and should go down from
 * there; a thousandfold rise is never noise: it is a step too large (the factors run away
 * without yet overflowing float32, the case Adam at lr 10⁶ shows: factors 3.8·10⁸, L = 3.8·10³¹,
 * while the <i>clipped</i> RMSE still looks finite). The floor keeps a near-zero L_0 (all ratings
 * equal and a tiny {@code --init-scale}) from making ordinary fluctuations look like divergence:
 * 10⁻²·n is a per-rating squared error of 0.01, so the threshold is never below an RMSE of 3.2.
 *
 * <p><b>The advice</b> fits the algorithm and names only options not already in use: ALS has no
 * learning rate, so it is told to raise (or set) {@code --reg}; gradient descent is told to
 * lower {@code --lr} (the current value and a tenth of it), and, where they are not in use yet,
 * {@code --lr-decay} and {@code --optimizer adam}. When the largest |rating| is more than
 * {@value #OUTLIER_FACTOR} times the 99th percentile of |rating| the message says so: one absurd
 * value in the data explains a divergence better than any setting.
 */
final class Divergence {
    /** Growth of the objective over the reference that counts as divergence. */
    static final double GROWTH = 1e3;
    /** Per-rating floor of the reference objective. */
    static final double FLOOR = 1e-2;
    /** A largest |rating| this many times the 99th percentile is "far outside the rest". */
    static final double OUTLIER_FACTOR = 10;

    private Divergence() {
    }

    /** The objective above which an epoch has diverged, from the initial objective and the rating count. */
    static double threshold(double initialObjective, int numRatings) {
        double ref = Math.max(Double.isFinite(initialObjective) ? initialObjective : 0, FLOOR * numRatings);
        return GROWTH * ref;
    }

    /** True when an epoch with this objective and train RMSE has diverged (see the class comment). */
    static boolean diverged(double objective, double trainRmse, double threshold) {
        return !Double.isFinite(objective) || !Double.isFinite(trainRmse) || objective > threshold;
    }

    /** The one-line message: what happened, then advice that fits {@code c}. */
    static String message(TrainingConfig c, int epoch, double objective, double initialObjective, Ratings train) {
        StringBuilder m = new StringBuilder();
        m.append(String.format(Locale.ROOT, "training diverged at epoch %d (objective %s", epoch, fmt(objective)));
        if (Double.isFinite(objective)) {
            m.append(String.format(Locale.ROOT, ", %s times the initial %s", fmt(objective / initialObjective),
                    fmt(initialObjective)));
        }
        m.append("): ").append(advice(c));
        String outlier = outlier(train);
        if (outlier != null) {
            m.append("; ").append(outlier);
        }
        return m.toString();
    }

    /** What to change, for this algorithm, naming only options not in use yet. */
    static String advice(TrainingConfig c) {
        if (c.algorithm == Algorithm.ALS) {
            if (c.lambda == 0) {
                return "ALS with --reg 0 solves least squares that are singular for rows with fewer ratings than k: "
                        + "set --reg (e.g. --reg 0.05)";
            }
            return String.format(Locale.ROOT, "raise --reg (%s now; try %s)", fmt(c.lambda), fmt(c.lambda * 10));
        }
        StringBuilder a = new StringBuilder(String.format(Locale.ROOT, "lower the learning rate (--lr %s now; try --lr %s)",
                fmt(c.lr), fmt(c.lr / 10)));
        if (c.lrDecay == 1.0) {
            a.append(c.optimizer == Optimizer.ADAM ? " or use --lr-decay" : ", use --lr-decay");
        }
        if (c.optimizer != Optimizer.ADAM) {
            a.append(" or try --optimizer adam");
        }
        return a.toString();
    }

    /** "the largest |rating| is X, far outside the rest (99% are within Y): check the data", or null. */
    static String outlier(Ratings train) {
        int n = train.size();
        if (n == 0) {
            return null;
        }
        float[] abs = new float[n];
        for (int j = 0; j < n; j++) {
            abs[j] = Math.abs(train.value(j));
        }
        Arrays.sort(abs);
        float max = abs[n - 1];
        float p99 = abs[(int) Math.floor(0.99 * (n - 1))];
        if (max > OUTLIER_FACTOR * p99 && max > 0) {
            return String.format(Locale.ROOT, "the largest |rating| is %s, far outside the rest (99%% are within %s): "
                    + "check the data", fmt(max), fmt(p99));
        }
        return null;
    }

    private static String fmt(double x) {
        return String.format(Locale.ROOT, "%.3g", x);
    }
}
