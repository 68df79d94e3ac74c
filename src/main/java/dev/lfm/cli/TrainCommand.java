package dev.lfm.cli;

import dev.lfm.OrderedMap;
import dev.lfm.compute.Backend;
import dev.lfm.io.OutputFiles;
import dev.lfm.model.FactorModel;
import dev.lfm.model.ModelIO;
import dev.lfm.train.EpochRecord;
import dev.lfm.train.Trainer;
import dev.lfm.train.TrainingConfig;
import dev.lfm.train.TrainingResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** {@code lfm train}: train a model, show progress per epoch, optionally save it and a JSON report. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Train r̂(u,i) = μ + b_u + b_i + p_u·q_i by SGD, mini-batch or full-batch gradient descent "
                    + "(plain, momentum, Nesterov, Adam) or by ALS, minimizing",
            "  L = Σ (r − r̂)² + λ·R(P,Q) + λ_b·(Σ c_u b_u² + Σ c_i b_i²).",
            "Without --data it trains on the embedded synthetic problem (50k users x 10k items, 5M ratings, true rank 8).",
            "ALS: each sweep solves every user row, then every item row, exactly (Cholesky, biases folded in); "
                    + "--lr, --batch-size and --optimizer do not apply; --reg with --regularization weighted is Spark's ALS-WR."})
public final class TrainCommand extends LfmCommand {
    @Mixin
    DataOptions data;

    @Mixin
    EngineOptions engine;

    @Mixin
    TrainingOptions training;

    @Mixin
    TuningOptions tuning;

    @Mixin
    FoldsOptions folds;

    @Mixin
    BackendFlags backend;

    @Mixin
    DeviceOptions device;

    @Option(names = "--save", paramLabel = "MODEL", converter = OutputPath.class,
            description = "Save the trained model to this file (its directory must exist).")
    Path save;

    @Option(names = "--init-model", paramLabel = "MODEL", description = "Warm start: continue from this saved model "
            + "(same rank; without -k, its rank), rows matched by file id; new users and items start as usual.")
    Path initModel;

    @Mixin
    OutputOptions output;

    @Option(names = {"-q", "--quiet"}, description = "No per-epoch progress.")
    boolean quiet;

    @Override
    void showHelpDefaults(CommandSpec spec) {
        TrainingHelp.show(spec, TrainingConfig.defaults(), true);
    }

    /** The configuration the flags describe, validated. */
    TrainingConfig config() {
        TrainingConfig c = tuning.applyTo(training.toConfig());
        c.seed = data.seed;
        c.validate();
        device.checkApplies(c);
        training.checkApplies(c);
        tuning.checkApplies(c);
        return c;
    }

    /**
     * Fails before any data is read when an output could not be written later: the model and the
     * report must be two different writable files.
     */
    void checkOutputs() {
        if (save != null && output.report != null && sameFile(save, output.report)) {
            throw new dev.lfm.LfmException(save + ": --save and --report name the same file");
        }
        if (save != null) {
            OutputFiles.check(save, false);
        }
        output.checkWritable();
    }

    private static boolean sameFile(Path a, Path b) {
        if (a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize())) {
            return true;
        }
        try {
            return java.nio.file.Files.exists(a) && java.nio.file.Files.exists(b) && java.nio.file.Files.isSameFile(a, b);
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Override
    public Integer call() {
        if (engine.onSpark()) {
            return engine.train(this); // --engine spark|spark-als: the same flags, run on Spark (SparkTrain)
        }
        PrintWriter out = out();
        PrintWriter err = err();
        dev.lfm.data.ProgressMeter.enable(!quiet && Terminal.stderrIsTerminal()); // a line while a read or plan build is long
        TrainingConfig config = config();
        folds.check();
        checkOutputs();
        FactorModel init = initModel == null ? null : warmStart(config);
        try (Backend b = backend.open(device, err)) {
            Dataset ds = data.load(out);
            data.checkNotEmpty(ds, config.patience > 0 || data.validationFraction > 0);
            out.println("data: " + ds.description());
            out.printf("backend: %s (%s)%n", b.name(), b.device());
            out.printf("model: %s, k=%s, lr=%s, reg=%s (%s), reg-bias=%s, epochs=%d%n", config.describeAlgorithm(),
                    config.rank == TrainingConfig.RANK_AUTO ? "auto" : Integer.toString(config.rank),
                    config.algorithm == dev.lfm.train.Algorithm.ALS ? "-" : fmt(config.lr),
                    Double.isNaN(config.lambda) ? "auto" : fmt(config.lambda), config.regularization.name().toLowerCase(),
                    fmt(config.lambdaBias), config.epochs);
            var cv = folds.run(ds, config, data.validationFraction, data.seed, b, out);
            if (!quiet) {
                if (config.isPerRatingSgd() && config.evalEvery != 1) {
                    out.println("objective, train_rmse: ~ = during the epoch (each rating's error before its update, "
                            + "no extra pass), else exact; valid_rmse, test_rmse: exact (--eval-every 1: all exact)");
                }
                out.println("epoch   objective     train_rmse  valid_rmse  test_rmse   seconds");
            }
            TrainingResult r = new Trainer(config, rec -> {
                if (!quiet) {
                    out.printf("%5d %s%12.6g %s%10.5f  %10.5f  %10.5f  %7.2f%n", rec.epoch(), rec.trainExact() ? " " : "~",
                            rec.objective(), rec.trainExact() ? " " : "~", rec.trainRmse(), rec.validationRmse(),
                            rec.testRmse(), rec.seconds());
                    out.flush();
                }
            }).train(b, ds.train(), ds.validation(), ds.test(), init);
            EpochRecord best = r.best();
            TrainingConfig used = r.config();
            if (config.rank != used.rank || !Double.valueOf(config.lambda).equals(used.lambda)) {
                String race = r.model().provenance.get("rank_auto");
                out.printf("chosen: k=%d%s, reg=%s%s%n", used.rank, race == null ? "" : " (rank auto: " + race + ")",
                        fmt(used.lambda), Double.isNaN(config.lambda) ? " (from the training ratings)" : "");
            }
            out.printf("%s after %d epochs%s: test RMSE %.5f, MAE %.5f (validation %.5f, train %.5f); "
                            + "%.2f s training, %.3g updates/s%n",
                    r.stoppedEarly() ? "stopped early" : "done", r.epochsRun(),
                    used.patience > 0 ? " (best epoch " + r.bestEpoch() + ")" : "",
                    best.testRmse(), best.testMae(), best.validationRmse(), best.trainRmse(), r.trainSeconds(),
                    r.updatesPerSecond());
            FactorModel model = r.model();
            model.provenance.put("data", ds.description());
            if (init != null) {
                model.provenance.put("init_model", initModel + " (" + model.provenance.get("init_model") + ")");
                out.printf("warm start from %s: %s users and %s items matched%n", initModel,
                        model.provenance.get("init_users"), model.provenance.get("init_items"));
            }
            // the model and the report are written both or neither (OutputFiles.writeAll)
            List<OutputFiles.Output> outputs = new ArrayList<>();
            if (save != null) {
                outputs.add(ModelIO.output(model, save));
            }
            if (output.report != null) {
                outputs.add(output.output(withInit(FoldsOptions.addTo(report(used, ds, r), cv), model)));
            }
            OutputFiles.writeAll(outputs);
            if (save != null) {
                out.println("saved model to " + save);
            }
            if (output.report != null) {
                out.println("wrote report to " + output.report);
            }
        }
        return 0;
    }

    /** Loads --init-model; its rank is the run's unless -k says otherwise, which must then agree. */
    private FactorModel warmStart(TrainingConfig config) {
        FactorModel init = ModelIO.load(initModel);
        if (training.model.rank == null) {
            config.rank = init.rank;
            config.validate();
        } else if (init.rank != config.rank) {
            throw new dev.lfm.LfmException("--init-model " + initModel + " has rank " + init.rank + ", -k asks for "
                    + config.rank + ": a warm start keeps the rank");
        }
        return init;
    }

    /** The report with where a warm start began ({@code init_model}: the path; matched users and items). */
    private Map<String, Object> withInit(Map<String, Object> report, FactorModel model) {
        if (initModel != null) {
            report.put("init_model", initModel.toString());
            report.put("init_users", Integer.parseInt(model.provenance.get("init_users")));
            report.put("init_items", Integer.parseInt(model.provenance.get("init_items")));
        }
        return report;
    }

    private static String fmt(double x) {
        return String.format("%.4g", x);
    }

    /** The JSON report: run, data, {@link TrainingConfig#toMap() hyperparameters}, best epoch's results, history. */
    static Map<String, Object> report(TrainingConfig c, Dataset ds, TrainingResult r) {
        return report(c, ds.description(), ds.train().numUsers(), ds.train().numItems(), ds.train().size(),
                ds.validation() == null ? 0 : ds.validation().size(), ds.test() == null ? 0 : ds.test().size(), r);
    }

    /** The report for data described by counts (the Spark engine never holds the ratings). */
    static Map<String, Object> report(TrainingConfig c, String data, long numUsers, long numItems, long numTrain,
                                      long numValidation, long numTest, TrainingResult r) {
        EpochRecord best = r.best();
        Map<String, Object> m = OrderedMap.of("backend", r.backend(), "device", r.device(),
                "algorithm", c.describeAlgorithm(), "rank", c.rank, "epochs", c.epochs, "epochs_run", r.epochsRun(),
                "best_epoch", r.bestEpoch(), "stopped_early", r.stoppedEarly(), "data", data, "num_users", numUsers,
                "num_items", numItems, "num_train", numTrain, "num_validation", numValidation, "num_test", numTest,
                "hyperparameters", c.toMap(), "objective", best.objective(), "train_rmse", best.trainRmse(),
                "train_rmse_exact", best.trainExact(), "validation_rmse", best.validationRmse(),
                "test_rmse", best.testRmse(), "test_mae", best.testMae(), "seconds", r.trainSeconds(),
                "seconds_per_epoch", r.trainSeconds() / r.epochsRun(), "updates_per_second", r.updatesPerSecond());
        List<Map<String, Object>> hist = new ArrayList<>();
        for (EpochRecord e : r.history()) {
            Map<String, Object> x = OrderedMap.of("epoch", e.epoch(), "objective", e.objective(),
                    "train_rmse", e.trainRmse(), "train_exact", e.trainExact(), "validation_rmse", e.validationRmse(),
                    "test_rmse", e.testRmse(), "seconds", e.seconds(), "lr", e.lr());
            hist.add(x);
        }
        m.put("history", hist);
        return m;
    }
}
