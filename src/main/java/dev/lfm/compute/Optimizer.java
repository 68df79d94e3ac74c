package dev.lfm.compute;

import java.util.Locale;

/**
 * The one list of gradient-descent update rules; each rule is stated in {@link OptimizerStep} and
 * implemented once per backend: batch rules in the optimizer kernels (CPU {@code CpuOptimizers},
 * GPU {@code OptimizerKernels}), per-rating rules in the SGD kernels ({@code CpuSgd},
 * {@code SgdKernels}). {@link #perRating()} and {@link #batch()} say which path has the rule.
 */
public enum Optimizer {
    /** Plain gradient step (per-rating SGD at batch size 1). */
    SGD,
    /** Heavy-ball momentum. */
    MOMENTUM,
    NESTEROV,
    ADAM,
    /**
     * Per-row adaptive step sizes for per-rating SGD (LIBMF's schedule, Chin et al., PAKDD 2015):
     * batch size 1 only.
     */
    ADAGRAD;

    /** Whether per-rating SGD epochs ({@link Backend#sgdEpoch}, batch size 1) implement this rule. */
    public boolean perRating() {
        return this == SGD || this == ADAGRAD;
    }

    /** Whether batch steps ({@link Backend#gradientStep}) implement this rule. */
    public boolean batch() {
        return this != ADAGRAD;
    }

    public static Optimizer parse(String s) {
        switch (s.toLowerCase(Locale.ROOT)) {
            case "sgd": case "plain": return SGD;
            case "momentum": case "heavy-ball": return MOMENTUM;
            case "nesterov": return NESTEROV;
            case "adam": return ADAM;
            case "adagrad": case "adaptive": return ADAGRAD;
            default: throw new IllegalArgumentException("unknown optimizer '" + s + "' (" + names() + ")");
        }
    }

    /** "sgd|momentum|nesterov|adam|adagrad". */
    public static String names() {
        StringBuilder b = new StringBuilder();
        for (Optimizer o : values()) {
            b.append(b.length() == 0 ? "" : "|").append(o.label());
        }
        return b.toString();
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
