package dev.lfm.cli;

import dev.lfm.data.Gaussian;

import dev.lfm.model.FactorModel;
import dev.lfm.objective.GradientCheck;
import dev.lfm.objective.Objective;
import dev.lfm.objective.Regularization;
import dev.lfm.train.TrainingConfig;
import java.io.PrintWriter;
import java.util.SplittableRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * {@code lfm gradcheck}: the analytic gradient of L against central differences, for both
 * regularization forms, with and without biases.
 */
@Command(name = "gradcheck", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Verify the analytic gradient of the objective against central differences",
            "  (L(θ + h·e_j) − L(θ − h·e_j)) / 2h, in double precision,",
            "for both regularization forms (uniform, weighted), with and without biases.",
            "Every parameter is checked on a small problem (the default: --synthetic small); on a large one a random sample (--sample).",
            "Exits 1 when the largest relative error exceeds --tolerance."})
public final class GradcheckCommand extends LfmCommand {
    @Mixin
    DataOptions data;

    @Mixin
    ModelOptions model;

    @Option(names = "--sample", defaultValue = "20000", description = "Check every parameter up to this many, else a random sample of this size (default: ${DEFAULT-VALUE})")
    long sample;

    @Option(names = "--step", defaultValue = "1e-3", description = "Finite-difference step h, relative to max(1,|θ|). L is quadratic in each single parameter, so central differences have no truncation error and a larger h only lowers rounding error (default: ${DEFAULT-VALUE})")
    double step;

    @Option(names = "--tolerance", defaultValue = "1e-6", description = "Largest relative error accepted (default: ${DEFAULT-VALUE})")
    double tolerance;

    @Override
    void showHelpDefaults(CommandSpec spec) {
        TrainingHelp.show(spec, defaults(), false);
    }

    /** The model checked by default: small rank, regularization large enough to matter in the gradient. */
    static TrainingConfig defaults() {
        TrainingConfig c = TrainingConfig.defaults();
        c.rank = 5;
        c.lambda = 0.1;
        c.lambdaBias = 0.05;
        return c;
    }

    @Override
    public Integer call() {
        PrintWriter out = out();
        if (data.isSynthetic() && !spec.commandLine().getParseResult().hasMatchedOption("--synthetic")) {
            data.synthetic.preset = "small";
        }
        TrainingConfig c = model.applyTo(defaults());
        int rank = c.rank;
        long seed = data.seed;
        if (rank < 1 || sample < 1 || !(step > 0) || !(tolerance > 0)) {
            throw new dev.lfm.LfmException("--rank, --sample, --step and --tolerance must be positive");
        }
        c.validate();
        Dataset ds = data.load(err());
        out.println("data: " + ds.description() + " (training part)");
        FactorModel m = randomModel(ds, rank, seed);
        out.println("regularization  biases  checked    max_rel_error  worst parameter   analytic       numeric");
        double worst = 0;
        for (Regularization form : Regularization.values()) {
            for (boolean biases : new boolean[] {true, false}) {
                Objective obj = new Objective(c.lambda, biases ? c.lambdaBias : 0, form, biases);
                GradientCheck.Result r = new GradientCheck(withBiases(m, biases), ds.train(), obj).run(sample, seed, step);
                out.printf("%-14s  %-6s  %8d   %12.3e   %-16s %13.6e  %13.6e%n", form.name().toLowerCase(),
                        biases ? "yes" : "no", r.checked(), r.maxRelativeError(), r.worstParameter(), r.analytic(),
                        r.numeric());
                worst = Math.max(worst, r.maxRelativeError());
            }
        }
        boolean ok = worst <= tolerance;
        out.printf("largest relative error %.3e %s tolerance %.1e: %s%n", worst, ok ? "<=" : ">", tolerance,
                ok ? "PASS" : "FAIL");
        return ok ? 0 : 1;
    }

    static FactorModel randomModel(Dataset ds, int rank, long seed) {
        FactorModel m = new FactorModel(ds.train().numUsers(), ds.train().numItems(), rank, true);
        m.mu = (float) ds.train().mean();
        m.initialize(seed, 0.5, null, null);
        SplittableRandom rnd = new SplittableRandom(seed + 1);
        for (int u = 0; u < m.numUsers; u++) {
            m.userBias[u] = (float) (0.3 * Gaussian.next(rnd));
        }
        for (int i = 0; i < m.numItems; i++) {
            m.itemBias[i] = (float) (0.3 * Gaussian.next(rnd));
        }
        return m;
    }

    private static FactorModel withBiases(FactorModel m, boolean biases) {
        if (biases) {
            return m;
        }
        FactorModel x = new FactorModel(m.numUsers, m.numItems, m.rank, false);
        m.copyInto(x);
        java.util.Arrays.fill(x.userBias, 0f);
        java.util.Arrays.fill(x.itemBias, 0f);
        return x;
    }
}
