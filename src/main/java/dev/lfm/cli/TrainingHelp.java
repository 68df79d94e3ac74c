package dev.lfm.cli;

import dev.lfm.compute.Optimizer;
import dev.lfm.train.Algorithm;
import dev.lfm.train.TrainingConfig;
import java.math.BigDecimal;
import java.util.ListResourceBundle;
import java.util.Locale;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The defaults shown in a command's help for the training flags ({@link ModelOptions},
 * {@link TrainingOptions}, {@link TuningOptions}), computed from the configuration the command
 * starts from, so no default is written twice: the flags' descriptions say
 * {@code (default: ${lfm.rank})} and each command installs its values here when picocli hands it
 * its spec.
 */
final class TrainingHelp {
    private TrainingHelp() {
    }

    /**
     * Shows {@code defaults} in {@code spec}'s help. With {@code perMethod}, the command starts from
     * {@link TrainingConfig#defaults(Algorithm, Optimizer)}, and the help also names the epochs of
     * ALS and the learning rate of Adam.
     */
    static void show(CommandSpec spec, TrainingConfig defaults, boolean perMethod) {
        TrainingConfig d = defaults;
        String epochs = num(d.epochs);
        String lr = num(d.lr);
        if (perMethod) {
            epochs += "; ALS " + num(TrainingConfig.defaults(Algorithm.ALS, d.optimizer).epochs);
            lr += "; Adam " + num(TrainingConfig.defaults(d.algorithm, Optimizer.ADAM).lr);
        }
        Object[][] values = {
            {"lfm.rank", num(d.rank)},
            {"lfm.reg", Double.isNaN(d.lambda) ? "from the training ratings, " + TrainingConfig.LAMBDA_PER_SPREAD
                + "·Var(r)/(max−min)" : num(d.lambda)},
            {"lfm.regBias", num(d.lambdaBias)},
            {"lfm.algorithm", d.algorithm == Algorithm.ALS ? "als" : "sgd"},
            {"lfm.epochs", epochs},
            {"lfm.lr", lr},
            {"lfm.regularization", d.regularization.name().toLowerCase(Locale.ROOT)},
            {"lfm.batchSize", d.batchSize == 0 ? "all" : num(d.batchSize)},
            {"lfm.optimizer", d.optimizer.label()},
            {"lfm.optimizers", Optimizer.names()},
            {"lfm.lrBias", Double.isNaN(d.lrBias) ? "same as --lr" : num(d.lrBias)},
            {"lfm.momentum", num(d.momentum)},
            {"lfm.beta1", num(d.beta1)},
            {"lfm.beta2", num(d.beta2)},
            {"lfm.lrDecay", d.lrDecay == 1 ? "1, no decay" : num(d.lrDecay)},
            {"lfm.patience", d.patience == 0 ? "0 = off" : d.patience == TrainingConfig.PATIENCE_AUTO
                ? TrainingConfig.DEFAULT_PATIENCE + " (ALS " + TrainingConfig.DEFAULT_ALS_PATIENCE + ") when there is a validation split, else off"
                : num(d.patience)},
            {"lfm.initScale", Double.isNaN(d.initScale) ? "0.7/sqrt(k)" : num(d.initScale)},
        };
        spec.resourceBundle(new ListResourceBundle() {
            @Override
            protected Object[][] getContents() {
                return values;
            }
        });
    }

    private static String num(double x) {
        return BigDecimal.valueOf(x).stripTrailingZeros().toPlainString();
    }
}
