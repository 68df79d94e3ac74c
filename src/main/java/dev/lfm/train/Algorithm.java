package dev.lfm.train;

import java.util.Locale;

/** Training algorithms: gradient descent (SGD, mini-batch, full batch) or alternating least squares. */
public enum Algorithm {
    /** Gradient descent; the batch size picks SGD (1), mini-batch (b) or full batch (all). */
    GD,
    /** Alternating least squares: exact row solves, users then items, once per epoch ("sweep"). */
    ALS;

    public static Algorithm parse(String s) {
        switch (s.toLowerCase(Locale.ROOT)) {
            case "sgd": case "gd": case "minibatch": case "mini-batch": case "batch": return GD;
            case "als": return ALS;
            default: throw new IllegalArgumentException("unknown algorithm '" + s + "' (sgd|als)");
        }
    }
}
