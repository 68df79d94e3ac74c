package dev.lfm.train;

import dev.lfm.compute.Backend;
import dev.lfm.compute.cpu.CpuBackend;
import dev.lfm.data.Ratings;
import dev.lfm.data.RatingsReader;
import dev.lfm.data.ReadOptions;
import dev.lfm.data.RatingFormat;
import dev.lfm.data.Split;
import dev.lfm.data.Splits;
import java.nio.file.Path;

/**
 * Measurement harness (not a test): tunes on the seed-42 80/20 split of a rating file (10% of training for
 * validation) and prints validation and test RMSE for both final-training variants.
 * Args: FILE BUDGET_SECONDS sgd|als|both.
 */
public final class TunerHarness {
    public static void main(String[] args) {
        Ratings all = RatingsReader.read(Path.of(args[0]), ReadOptions.of(RatingFormat.AUTO));
        Split s = Splits.random(all, 0.2, 0.1, 42);
        double budget = Double.parseDouble(args[1]);
        Tuner.Algorithms algs = Tuner.Algorithms.parse(args[2]);
        for (Tuner.FinalTraining f : Tuner.FinalTraining.values()) {
            try (Backend b = new CpuBackend(2)) {
                Tuner.Result r = new Tuner(new Tuner.Options().budget(budget).algorithms(algs).finalTraining(f),
                        t -> { }).tune(b, s.train(), s.validation());
                b.setModel(r.model());
                double test = b.evaluate(b.upload(s.test())).rmse();
                System.out.printf("%s %s: %d trials in %.1f s; best %s epochs=%d: validation %.5f, test %.5f%n",
                        algs, f, r.trials().size(), r.seconds(), r.bestTrial().describe(), r.best().epochs,
                        r.validationRmse(), test);
            }
        }
    }
}
