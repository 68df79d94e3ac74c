package dev.lfm.cli;

import dev.lfm.compute.RatingSet;

import dev.lfm.LfmException;
import dev.lfm.OrderedMap;
import dev.lfm.compute.Backend;
import dev.lfm.compute.ErrorSums;
import dev.lfm.data.Ratings;
import dev.lfm.model.FactorModel;
import dev.lfm.model.ModelIO;
import dev.lfm.report.Table;
import dev.lfm.train.Algorithm;
import dev.lfm.train.TrainingConfig;
import dev.lfm.train.Tuner;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code lfm tune}: {@link Tuner} on the validation split within a budget, then the test RMSE of the chosen
 * model, computed here after tuning (the tuner is never given the test split).
 */
@Command(name = "tune", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Search rank k, λ, λ_b and the learning rate (SGD) or k, λ, λ_b (ALS) on the validation split only",
            "(carved from training by --validation-fraction), within --budget seconds: successive halving, many short",
            "trials and few long ones, each with early stopping. Then the chosen configuration is retrained on",
            "training + validation for its best epoch count (--final retrain, the default: measured better on",
            "ml-latest-small, test 0.8489 against 0.8553 for keep) and only then evaluated on the test split.",
            "The budget covers the search and the final training; loading the data is not counted.",
            "Cross-validated trials (--folds) are not offered: each trial would cost K trainings; use a larger",
            "--validation-fraction where validation is small, and 'lfm train --folds K' to check the chosen settings."})
public final class TuneCommand extends LfmCommand {
    @Mixin
    DataOptions data;

    @Option(names = "--budget", paramLabel = "SECONDS", defaultValue = "60",
            description = "Wall-clock seconds for search and final training (default: ${DEFAULT-VALUE}).")
    double budget;

    @Option(names = "--algorithm", paramLabel = "sgd|als|both", defaultValue = "sgd",
            description = "Algorithms searched; both alternates SGD and ALS draws (default: ${DEFAULT-VALUE}).")
    String algorithm;

    @Option(names = "--final", paramLabel = "retrain|keep", defaultValue = "retrain",
            description = "retrain: the chosen settings on training + validation for the best trial's best epoch "
                    + "count; keep: the best trial's own model (training only) (default: ${DEFAULT-VALUE}).")
    String finalTraining;

    @Option(names = "--top", paramLabel = "N", defaultValue = "10",
            description = "Trials shown in the final table, best validation RMSE first (default: ${DEFAULT-VALUE}).")
    int top;

    @Mixin
    BackendFlags backend;

    @Mixin
    DeviceOptions device;

    @Option(names = "--save", paramLabel = "MODEL", converter = OutputPath.class, description = "Save the final model to this file.")
    Path save;

    @Mixin
    OutputOptions output;

    @Option(names = {"-q", "--quiet"}, description = "No per-trial progress.")
    boolean quiet;

    /** The tuner's settings the flags describe, validated (a bad flag is a one-line error before any work). */
    Tuner.Options options() {
        if (!(budget > 0) || Double.isInfinite(budget)) {
            throw new LfmException("--budget must be a positive number of seconds (got " + budget + ")");
        }
        if (top < 1) {
            throw new LfmException("--top must be >= 1 (got " + top + ")");
        }
        Tuner.FinalTraining f = switch (finalTraining.trim().toLowerCase(Locale.ROOT)) {
            case "retrain" -> Tuner.FinalTraining.RETRAIN_ON_ALL;
            case "keep" -> Tuner.FinalTraining.KEEP_BEST_TRIAL;
            default -> throw new LfmException("--final must be retrain or keep (got '" + finalTraining + "')");
        };
        Tuner.Options o = new Tuner.Options().budget(budget).algorithms(Tuner.Algorithms.parse(algorithm))
                .finalTraining(f).seed(data.seed);
        o.base.seed = data.seed;
        return o;
    }

    @Override
    public Integer call() {
        PrintWriter out = out();
        PrintWriter err = err();
        Tuner.Options options = options();
        device.checkApplies(options.base);
        output.checkWritable();
        try (Backend b = backend.open(device, err)) {
            Dataset ds = data.load(err);
            if (ds.validation() == null || ds.validation().size() == 0) {
                throw new LfmException("tune chooses on the validation split, which is empty: set --validation-fraction > 0");
            }
            out.println("data: " + ds.description());
            out.printf("backend: %s (%s)%n", b.name(), b.device());
            out.printf(Locale.ROOT, "tuning %s on %d validation ratings for %s s: successive halving, %d configurations "
                            + "per bracket, η = %d%n", options.algorithms.name().toLowerCase(Locale.ROOT),
                    ds.validation().size(), num(budget), options.configsPerBracket, options.eta);
            if (!quiet) {
                out.println("trial  rung  configuration                                   epochs  valid_rmse  seconds");
            }
            Tuner.Result r = new Tuner(options, t -> {
                if (!quiet) {
                    out.printf(Locale.ROOT, "%5d  %4d  %-46s %7s  %10s  %7.2f%n", t.id(), t.rung(), t.describe(),
                            t.epochsRun() + "/" + t.epochBudget(), status(t), t.seconds());
                    out.flush();
                }
            }).tune(b, ds.train(), ds.validation());

            out.println();
            out.printf("top %d of %d trials (validation RMSE):%n", Math.min(top, r.trials().size()), r.trials().size());
            out.print(topTable(r.trials(), top).render(top));
            Tuner.Trial bt = r.bestTrial();
            out.printf(Locale.ROOT, "chosen: %s, %d epochs (trial %d, best epoch %d, validation RMSE %.5f)%n",
                    bt.describe(), r.best().epochs, bt.id(), bt.bestEpoch(), bt.validationRmse());

            Ratings fitted = r.finalTraining() == Tuner.FinalTraining.RETRAIN_ON_ALL ? Tuner.concat(ds.train(), ds.validation()) : ds.train();
            double trainRmse = rmse(b, r.model(), fitted).rmse();
            ErrorSums test = rmse(b, r.model(), ds.test());
            out.printf(Locale.ROOT, "final model: %s (%d ratings), %d epochs: train RMSE %.5f; test RMSE %.5f, MAE %.5f%n",
                    r.finalTraining() == Tuner.FinalTraining.RETRAIN_ON_ALL ? "retrained on training + validation"
                            : "best trial's model, trained on training", fitted.size(), r.best().epochs, trainRmse,
                    test.rmse(), test.mae());
            out.printf(Locale.ROOT, "tuned in %.1f s (budget %s s)%n", r.seconds(), num(budget));

            FactorModel model = r.model();
            model.provenance.put("data", ds.description());
            model.provenance.put("tuned", String.format(Locale.ROOT, "%d trials, %s s budget", r.trials().size(),
                    num(budget)));
            if (save != null) {
                ModelIO.save(model, save);
                out.println("saved model to " + save);
            }
            if (output.write(report(ds, b, r, options, trainRmse, test))) {
                out.println("wrote report to " + output.report);
            }
        }
        return 0;
    }

    private static String status(Tuner.Trial t) {
        if (t.diverged()) {
            return "diverged";
        }
        if (t.cutByBudget()) {
            return "cut";
        }
        return String.format(Locale.ROOT, "%.5f", t.validationRmse());
    }

    /** The {@code top} trials with a finite validation RMSE, best first. */
    static Table topTable(List<Tuner.Trial> trials, int top) {
        Table t = new Table("trial", "rung", "algorithm", "k", "reg", "reg_bias", "lr", "epochs", "best_epoch",
                "valid_rmse", "seconds");
        trials.stream().filter(x -> Double.isFinite(x.validationRmse()))
                .sorted(Comparator.comparingDouble(Tuner.Trial::validationRmse)).limit(top).forEach(x -> t.add(x.id(), x.rung(),
                        x.config().describeAlgorithm(), x.config().rank, x.config().lambda, x.config().lambdaBias,
                        x.config().algorithm == Algorithm.ALS ? "-" : x.config().lr, x.epochsRun(), x.bestEpoch(),
                        x.validationRmse(), x.seconds()));
        return t;
    }

    private static ErrorSums rmse(Backend b, FactorModel m, Ratings set) {
        if (set == null || set.size() == 0) {
            return new ErrorSums(Double.NaN, Double.NaN, 0);
        }
        b.setModel(m);
        try (RatingSet resident = b.upload(set)) {
            return b.evaluate(resident);
        }
    }

    /** The JSON report: test and validation RMSE, the chosen settings under {@code best}, every trial. */
    static Map<String, Object> report(Dataset ds, Backend b, Tuner.Result r, Tuner.Options options, double trainRmse,
                                      ErrorSums test) {
        Map<String, Object> m = OrderedMap.of("command", "tune", "backend", b.name(), "device", b.device(),
                "data", ds.description(), "num_train", ds.train().size(), "num_validation", ds.validation().size(),
                "num_test", ds.test() == null ? 0 : ds.test().size(), "budget", options.budgetSeconds,
                "seconds", r.seconds(), "final_training",
                r.finalTraining() == Tuner.FinalTraining.RETRAIN_ON_ALL ? "retrain_on_all" : "keep_best_trial",
                "validation_rmse", r.validationRmse(), "train_rmse", trainRmse, "test_rmse", test.rmse(),
                "test_mae", test.mae(), "best_trial", r.bestTrial().id(), "best", r.best().toMap());
        List<Map<String, Object>> trials = new ArrayList<>();
        for (Tuner.Trial t : r.trials()) {
            TrainingConfig ran = t.config().copy(); // as trained: the rung's epoch budget, the search's patience and seed
            ran.epochs = t.epochBudget();
            ran.patience = options.patience;
            ran.seed = options.seed;
            Map<String, Object> x = OrderedMap.of("id", t.id(), "bracket", t.bracket(), "rung", t.rung(),
                    "hyperparameters", ran.toMap(), "epoch_budget", t.epochBudget(), "epochs_run", t.epochsRun(),
                    "best_epoch", t.bestEpoch(), "validation_rmse", t.validationRmse(), "seconds", t.seconds(),
                    "cut_by_budget", t.cutByBudget(), "diverged", t.diverged());
            trials.add(x);
        }
        m.put("trials", trials);
        return m;
    }

    private static String num(double x) {
        return java.math.BigDecimal.valueOf(x).stripTrailingZeros().toPlainString();
    }
}
