package dev.lfm.train;

import dev.lfm.compute.OptimizerStep;
import java.util.Locale;

/** Gradient-descent optimizers (update rules in {@link OptimizerStep}). */
public enum Optimizer {
    SGD(OptimizerStep.Kind.PLAIN),
    MOMENTUM(OptimizerStep.Kind.MOMENTUM),
    NESTEROV(OptimizerStep.Kind.NESTEROV),
    ADAM(OptimizerStep.Kind.ADAM);

    public final OptimizerStep.Kind kind;

    Optimizer(OptimizerStep.Kind kind) {
        this.kind = kind;
    }

    public static Optimizer parse(String s) {
        switch (s.toLowerCase(Locale.ROOT)) {
            case "sgd": case "plain": return SGD;
            case "momentum": case "heavy-ball": return MOMENTUM;
            case "nesterov": return NESTEROV;
            case "adam": return ADAM;
            default: throw new IllegalArgumentException("unknown optimizer '" + s + "' (sgd|momentum|nesterov|adam)");
        }
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
