package dev.lfm.compute;

import java.util.Locale;

/**
 * The one list of gradient-descent update rules; each rule is stated in {@link OptimizerStep} and
 * implemented once per backend (CPU and GPU optimizer kernels).
 */
public enum Optimizer {
    /** Plain gradient step (per-rating SGD at batch size 1). */
    SGD,
    /** Heavy-ball momentum. */
    MOMENTUM,
    NESTEROV,
    ADAM;

    public static Optimizer parse(String s) {
        switch (s.toLowerCase(Locale.ROOT)) {
            case "sgd": case "plain": return SGD;
            case "momentum": case "heavy-ball": return MOMENTUM;
            case "nesterov": return NESTEROV;
            case "adam": return ADAM;
            default: throw new IllegalArgumentException("unknown optimizer '" + s + "' (" + names() + ")");
        }
    }

    /** "sgd|momentum|nesterov|adam". */
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
