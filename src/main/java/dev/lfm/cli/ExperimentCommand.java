package dev.lfm.cli;

import dev.lfm.compute.Optimizer;

import dev.lfm.LfmException;
import dev.lfm.experiment.EarlyStopping;
import dev.lfm.experiment.ExperimentContext;
import dev.lfm.experiment.ExperimentOutputs;
import dev.lfm.experiment.ExperimentResult;
import dev.lfm.experiment.GeneralizationGap;
import dev.lfm.experiment.Grids;
import dev.lfm.experiment.Landscape;
import dev.lfm.experiment.OptimizerComparison;
import dev.lfm.experiment.RankSweep;
import dev.lfm.experiment.RegSweep;
import dev.lfm.experiment.SgdVsAls;
import dev.lfm.report.Progress;
import dev.lfm.train.Algorithm;
import dev.lfm.train.TrainingConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code lfm experiment <name>}: a thin layer over {@link dev.lfm.experiment}. Each subcommand
 * loads the data ({@link DataOptions}), applies its own defaults and then the training flags that
 * were given ({@link TrainingOptions#applyTo}), runs the experiment with progress on stderr, writes
 * {@code <name>.png}, {@code .csv} and {@code .json} into {@code --out} (default
 * {@code out/<name>}) and prints a summary table on stdout.
 */
@Command(name = "experiment", mixinStandardHelpOptions = true,
        description = "Experiments with charts: PNG + CSV + JSON per experiment.",
        subcommands = {
            ExperimentCommand.RegSweepCommand.class,
            ExperimentCommand.RankSweepCommand.class,
            ExperimentCommand.OptimizersCommand.class,
            ExperimentCommand.SgdVsAlsCommand.class,
            ExperimentCommand.EarlyStoppingCommand.class,
            ExperimentCommand.LandscapeCommand.class,
            ExperimentCommand.GapCommand.class,
        })
public final class ExperimentCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * An experiment's own defaults, the ones its help names, set on plain SGD's defaults before the
     * user's flags.
     */
    record Defaults(Algorithm algorithm, int rank, double lambda, double lr, int epochs, int batchSize) {
        void applyTo(TrainingConfig c) {
            c.algorithm = algorithm;
            c.rank = rank;
            c.lambda = lambda;
            c.lr = lr;
            c.epochs = epochs;
            c.batchSize = batchSize;
        }
    }

    /** The shared flow of every experiment subcommand. */
    abstract static class Base extends LfmCommand {
        @Mixin
        DataOptions data;

        @Mixin
        TrainingOptions training;

        @Mixin
        BackendFlags backend;

        @Mixin
        DeviceOptions device;

        @Option(names = "--out", paramLabel = "DIR", description = "Output directory (default: out/<experiment>).")
        Path outDir;

        /** The experiment's name: its subcommand and the stem of its output files. */
        private final String name;

        /** The experiment's defaults, applied before the user's flags. */
        private final Defaults defaults;

        /** The experiment itself, for the subcommands without flags of their own (the others override run). */
        private final Function<ExperimentContext, ExperimentResult> experiment;

        Base(String name, Defaults defaults) {
            this(name, defaults, null);
        }

        Base(String name, Defaults defaults, Function<ExperimentContext, ExperimentResult> experiment) {
            this.name = name;
            this.defaults = defaults;
            this.experiment = experiment;
        }

        @Override
        void showHelpDefaults(CommandLine.Model.CommandSpec spec) {
            TrainingHelp.show(spec, base(), false);
        }

        /** {@link TrainingConfig#defaults()} with the experiment's own defaults. */
        TrainingConfig base() {
            // the experiments study plain SGD (and ALS) at the rank each names: the classic update rule, not train's
            // AdaGrad with an automatic rank
            TrainingConfig c = TrainingConfig.defaults(Algorithm.GD, Optimizer.SGD);
            defaults.applyTo(c);
            return c;
        }

        ExperimentResult run(ExperimentContext ctx) {
            return experiment.apply(ctx);
        }

        String name() {
            return name;
        }

        @Override
        public Integer call() {
            PrintWriter out = out();
            PrintWriter err = err();
            TrainingConfig c = training.applyTo(base());
            c.seed = data.seed;
            c.validate();
            Path dir = outDir != null ? outDir : Path.of("out", name());
            if (java.nio.file.Files.exists(dir) && !java.nio.file.Files.isDirectory(dir)) {
                throw new dev.lfm.LfmException(dir + ": --out must be a directory (it is a file)");
            }
            for (String ext : new String[] {".png", ".csv", ".json"}) {
                dev.lfm.io.OutputFiles.checkWritable(dir.resolve(name() + ext));
            }
            var backends = backend.resolve(device, err);
            Dataset ds = data.load(err);
            err.println("data: " + ds.description());
            Progress progress = new Progress(line -> {
                err.println(line);
                err.flush();
            });
            ExperimentContext ctx = new ExperimentContext(ds.train(), ds.validation(), ds.test(), backends, c, progress);
            ExperimentResult result = run(ctx);
            ExperimentOutputs.Files files = ExperimentOutputs.write(result, dir);
            out.println();
            out.print(result.summary().render(24));
            for (String note : result.notes()) {
                out.println("note: " + note);
            }
            out.println("wrote " + files.png() + ", " + files.csv() + ", " + files.json());
            out.flush();
            return 0;
        }
    }

    @Command(name = RegSweep.NAME, mixinStandardHelpOptions = true,
            description = {"Validation/test RMSE against λ on a log axis; best λ chosen on validation.",
                "Defaults: SGD, k = 8, 12 epochs, λ from 1e-3 to 1 (10 values). Go bigger with --reg-steps, --epochs, -k."})
    static final class RegSweepCommand extends Base {
        @Option(names = "--lambdas", split = ",", description = "Explicit λ values (overrides --reg-min/max/steps).")
        double[] lambdas;

        @Option(names = "--reg-min", defaultValue = "0.001", description = "Smallest λ (default: ${DEFAULT-VALUE}).")
        double regMin;

        @Option(names = "--reg-max", defaultValue = "1", description = "Largest λ (default: ${DEFAULT-VALUE}).")
        double regMax;

        @Option(names = "--reg-steps", defaultValue = "10", description = "Number of λ values, log-spaced (default: ${DEFAULT-VALUE}).")
        int regSteps;

        RegSweepCommand() {
            super(RegSweep.NAME, new Defaults(Algorithm.GD, 8, Double.NaN, 0.01, 12, 1));
        }

        @Override
        ExperimentResult run(ExperimentContext ctx) {
            double[] grid = lambdas != null ? lambdas : logspace(regMin, regMax, regSteps);
            return RegSweep.run(ctx, grid);
        }
    }

    @Command(name = RankSweep.NAME, mixinStandardHelpOptions = true,
            description = {"RMSE against rank k at a fixed λ (--reg) and with λ re-tuned per k on validation.",
                "Defaults: ALS (exact row solves, so every k is trained to its minimizer, not to an optimizer's",
                "plateau), ranks 1..32, 3 sweeps, fixed λ = 0.001, re-tuning grid 0.01,0.03,0.1.",
                "Go further with --ranks 1,2,4,8,16,32,64,128 (k = 128: about 40 s per ALS sweep on 2 cores)."})
    static final class RankSweepCommand extends Base {
        @Option(names = "--ranks", split = ",", description = "Ranks (default: 1,2,4,8,16,32).")
        int[] ranks = RankSweep.DEFAULT_RANKS;

        @Option(names = "--lambdas", split = ",", defaultValue = "0.01,0.03,0.1",
                description = "λ grid for re-tuning per k; the fixed λ is added (default: ${DEFAULT-VALUE}).")
        double[] lambdas;

        RankSweepCommand() {
            super(RankSweep.NAME, new Defaults(Algorithm.ALS, 8, 0.001, 0.01, 3, 1));
        }

        @Override
        ExperimentResult run(ExperimentContext ctx) {
            return RankSweep.run(ctx, ranks, lambdas);
        }
    }

    @Command(name = OptimizerComparison.NAME, mixinStandardHelpOptions = true,
            description = {"Test RMSE against epoch and training seconds for SGD, mini-batch, full batch, momentum,",
                "Nesterov and Adam, each at its learning rate chosen on validation from a log grid",
                "(--lr-steps values a factor --lr-factor apart around a per-optimizer centre; --lr is not used).",
                "Defaults: k = 8, λ = 0.01, 10 epochs, mini-batches of 4096 (--batch-size)."})
    static final class OptimizersCommand extends Base {
        @Option(names = "--lr-steps", defaultValue = "3", description = "Learning rates tried per optimizer (default: ${DEFAULT-VALUE}).")
        int lrSteps;

        @Option(names = "--lr-factor", defaultValue = "3", description = "Ratio of neighbouring learning rates (default: ${DEFAULT-VALUE}).")
        double lrFactor;

        OptimizersCommand() {
            super(OptimizerComparison.NAME, new Defaults(Algorithm.GD, 8, 0.01, 0.01, 10, 4096));
        }

        @Override
        ExperimentResult run(ExperimentContext ctx) {
            if (lrSteps < 1 || !(lrFactor > 1)) {
                throw new LfmException("--lr-steps must be >= 1 and --lr-factor > 1");
            }
            int mini = ctx.base().batchSize > 1 ? ctx.base().batchSize : 4096;
            return OptimizerComparison.run(ctx, OptimizerComparison.defaultVariants(ctx.train(), mini), lrSteps,
                    lrFactor);
        }
    }

    @Command(name = SgdVsAls.NAME, mixinStandardHelpOptions = true,
            description = {"Objective L and test RMSE against seconds and epochs/sweeps for SGD and ALS (same L).",
                "Defaults: k = 8, λ = 0.01, lr = 0.01, 15 epochs. ALS is skipped (with a note) where the backend has none."})
    static final class SgdVsAlsCommand extends Base {
        SgdVsAlsCommand() {
            super(SgdVsAls.NAME, new Defaults(Algorithm.GD, 8, 0.01, 0.01, 15, 1), SgdVsAls::run);
        }
    }

    @Command(name = EarlyStopping.NAME, mixinStandardHelpOptions = true,
            description = {"A fixed-epoch run against an early-stopped run (patience on validation RMSE).",
                "Defaults: SGD, k = 8, λ = 0.01, lr = 0.01 (validation RMSE bottoms out near epoch 6 on the default",
                "synthetic problem, then over-fits), 40 epochs, patience 10."})
    static final class EarlyStoppingCommand extends Base {
        @Option(names = "--patience", defaultValue = "10", description = "Early-stopping patience (default: ${DEFAULT-VALUE}).")
        int patience;

        EarlyStoppingCommand() {
            super(EarlyStopping.NAME, new Defaults(Algorithm.GD, 8, 0.01, 0.01, 40, 1));
        }

        @Override
        ExperimentResult run(ExperimentContext ctx) {
            return EarlyStopping.run(ctx, patience);
        }
    }

    @Command(name = Landscape.NAME, mixinStandardHelpOptions = true,
            description = {"L on a 2-D slice θ* + a·d1 + b·d2 through a trained solution (seeded orthonormal",
                "directions), evaluated with the backend's loss; a ∈ [−R, R], R = --radius × ‖θ*‖ of the block.",
                "Defaults: ALS, k = 8, λ = 0.05, 10 sweeps, --grid 21, --radius 0.05, --matrix p."})
    static final class LandscapeCommand extends Base {
        @Option(names = "--grid", defaultValue = "21", description = "Grid points per axis, odd (default: ${DEFAULT-VALUE}).")
        int grid;

        @Option(names = "--radius", defaultValue = "0.05", description = "Half-width relative to ‖θ*‖ (default: ${DEFAULT-VALUE}).")
        double radius;

        @Option(names = "--matrix", defaultValue = "p", description = "Block moved: p|q|both (default: ${DEFAULT-VALUE}).")
        String matrix;

        LandscapeCommand() {
            super(Landscape.NAME, new Defaults(Algorithm.ALS, 8, 0.05, 0.01, 10, 1));
        }

        @Override
        ExperimentResult run(ExperimentContext ctx) {
            return Landscape.run(ctx, Landscape.Block.parse(matrix), grid, radius);
        }
    }

    @Command(name = GeneralizationGap.NAME, mixinStandardHelpOptions = true,
            description = {"Train and test RMSE per epoch with the generalization gap (test − train) shaded.",
                "Defaults: SGD, k = 32, λ = 0.003, 30 epochs."})
    static final class GapCommand extends Base {
        GapCommand() {
            super(GeneralizationGap.NAME, new Defaults(Algorithm.GD, 32, 0.003, 0.01, 30, 1), GeneralizationGap::run);
        }
    }

    static double[] logspace(double lo, double hi, int n) {
        try {
            return Grids.logspace(lo, hi, n);
        } catch (IllegalArgumentException e) {
            throw new LfmException("--reg-min/--reg-max/--reg-steps: " + e.getMessage());
        }
    }
}
