package dev.lfm.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.lfm.compute.Backend;
import dev.lfm.model.FactorModel;
import dev.lfm.model.ModelIO;
import dev.lfm.train.EpochRecord;
import dev.lfm.train.Trainer;
import dev.lfm.train.TrainingConfig;
import dev.lfm.train.TrainingResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lfm train}: train a model, show progress per epoch, optionally save it and a JSON report. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Train r̂(u,i) = μ + b_u + b_i + p_u·q_i by SGD, mini-batch or full-batch gradient descent "
                    + "(plain, momentum, Nesterov, Adam) or by ALS, minimizing",
            "  L = Σ (r − r̂)² + λ·R(P,Q) + λ_b·(Σ c_u b_u² + Σ c_i b_i²).",
            "Without --data it trains on the embedded synthetic problem (50k users x 10k items, 5M ratings, true rank 8).",
            "ALS: each sweep solves every user row, then every item row, exactly (Cholesky, biases folded in); "
                    + "--lr, --batch-size and --optimizer do not apply; --reg with --regularization weighted is Spark's ALS-WR."})
public final class TrainCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    DataOptions data;

    @Mixin
    TrainOptions train;

    @Mixin
    BackendFlags backend;

    @Option(names = "--seed", defaultValue = "42", description = "Seed for data generation, splits, initialization and shuffling (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--save", paramLabel = "MODEL", description = "Save the trained model to this file.")
    Path save;

    @Option(names = "--report", paramLabel = "FILE", description = "Write a JSON report (settings, history, RMSEs, timings).")
    Path report;

    @Option(names = {"-q", "--quiet"}, description = "No per-epoch progress.")
    boolean quiet;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        TrainingConfig config = train.toConfig(seed);
        if (BackendFlags.halfFactors(backend.factorStorage) && !config.isPlainSgd()) {
            throw new dev.lfm.LfmException("--factor-storage half applies to per-rating SGD epochs only "
                    + "(--batch-size 1, --optimizer sgd); " + config.describeAlgorithm() + " keeps float32 factors");
        }
        try (Backend b = backend.open(err)) {
            Dataset ds = data.load(seed, err);
            out.println("data: " + ds.description());
            out.printf("backend: %s (%s)%n", b.name(), b.device());
            out.printf("model: %s, k=%d, lr=%s, reg=%s (%s), reg-bias=%s, epochs=%d%n", config.describeAlgorithm(),
                    config.rank, config.algorithm == dev.lfm.train.Algorithm.ALS ? "-" : fmt(config.lr),
                    fmt(config.lambda), config.regularization.name().toLowerCase(), fmt(config.lambdaBias),
                    config.epochs);
            if (!quiet) {
                out.println("epoch   objective     train_rmse  valid_rmse  test_rmse   seconds");
            }
            TrainingResult r = new Trainer(config, rec -> {
                if (!quiet) {
                    out.printf("%5d  %12.6g  %10.5f  %10.5f  %10.5f  %7.2f%n", rec.epoch(), rec.objective(),
                            rec.trainRmse(), rec.validationRmse(), rec.testRmse(), rec.seconds());
                    out.flush();
                }
            }).train(b, ds.train(), ds.validation(), ds.test());
            EpochRecord best = r.best();
            out.printf("%s after %d epochs%s: test RMSE %.5f, MAE %.5f (validation %.5f, train %.5f); "
                            + "%.2f s training, %.3g updates/s%n",
                    r.stoppedEarly() ? "stopped early" : "done", r.epochsRun(),
                    config.patience > 0 ? " (best epoch " + r.bestEpoch() + ")" : "",
                    best.testRmse(), best.testMae(), best.validationRmse(), best.trainRmse(), r.trainSeconds(),
                    r.updatesPerSecond());
            FactorModel model = r.model();
            model.provenance.put("data", ds.description());
            String reportJson = report == null ? null : json(config, ds, r);
            if (report != null) {
                AtomicFiles.checkWritable(report);
            }
            if (save != null) {
                ModelIO.save(model, save);
                out.println("saved model to " + save);
            }
            if (report != null) {
                AtomicFiles.writeString(report, reportJson);
                out.println("wrote report to " + report);
            }
        }
        return 0;
    }

    private static String fmt(double x) {
        return String.format("%.4g", x);
    }

    static String json(TrainingConfig c, Dataset ds, TrainingResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("backend", r.backend());
        m.put("device", r.device());
        m.put("algorithm", c.describeAlgorithm());
        m.put("rank", c.rank);
        m.put("epochs", c.epochs);
        m.put("epochs_run", r.epochsRun());
        m.put("best_epoch", r.bestEpoch());
        m.put("stopped_early", r.stoppedEarly());
        m.put("data", ds.description());
        m.put("num_users", ds.train().numUsers());
        m.put("num_items", ds.train().numItems());
        m.put("num_train", ds.train().size());
        m.put("num_validation", ds.validation() == null ? 0 : ds.validation().size());
        m.put("num_test", ds.test() == null ? 0 : ds.test().size());
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("lr", c.lr);
        h.put("lr_bias", c.effectiveLrBias());
        h.put("reg", c.lambda);
        h.put("reg_bias", c.lambdaBias);
        h.put("regularization", c.regularization.name().toLowerCase());
        h.put("batch_size", c.batchSize == 0 ? "all" : c.batchSize);
        h.put("optimizer", c.optimizer.label());
        h.put("lr_decay", c.lrDecay);
        h.put("biases", c.biases);
        h.put("patience", c.patience);
        h.put("seed", c.seed);
        m.put("hyperparameters", h);
        EpochRecord best = r.best();
        m.put("objective", nan(best.objective()));
        m.put("train_rmse", nan(best.trainRmse()));
        m.put("validation_rmse", nan(best.validationRmse()));
        m.put("test_rmse", nan(best.testRmse()));
        m.put("test_mae", nan(best.testMae()));
        m.put("seconds", r.trainSeconds());
        m.put("seconds_per_epoch", r.trainSeconds() / r.epochsRun());
        m.put("updates_per_second", nan(r.updatesPerSecond()));
        List<Map<String, Object>> hist = new ArrayList<>();
        for (EpochRecord e : r.history()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("epoch", e.epoch());
            x.put("objective", nan(e.objective()));
            x.put("train_rmse", nan(e.trainRmse()));
            x.put("validation_rmse", nan(e.validationRmse()));
            x.put("test_rmse", nan(e.testRmse()));
            x.put("seconds", e.seconds());
            x.put("lr", e.lr());
            hist.add(x);
        }
        m.put("history", hist);
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** JSON has no NaN: absent values become null. */
    private static Object nan(double x) {
        return Double.isFinite(x) ? x : null;
    }
}
