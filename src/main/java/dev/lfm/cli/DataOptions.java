package dev.lfm.cli;

import dev.lfm.LfmException;
import dev.lfm.data.Ratings;
import dev.lfm.data.Split;
import dev.lfm.data.Splits;
import dev.lfm.data.SyntheticRatings;
import dev.lfm.train.TrainingConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The data flags of every command that trains (a picocli mixin): a rating file
 * ({@link RatingFileOptions}) or separate train and test files or, by default, the synthetic
 * problem ({@link SyntheticOptions}); the split fractions; and the seed, which fixes data
 * generation, the split and, through {@link TrainingConfig#seed}, initialization and order.
 */
public final class DataOptions {
    @Mixin
    public RatingFileOptions file;

    @Mixin
    public SyntheticOptions synthetic;

    @Option(names = "--train", paramLabel = "FILE", description = "Training file (with --test instead of --data).")
    public Path trainFile;

    @Option(names = "--test", paramLabel = "FILE", description = "Test file (with --train).")
    public Path testFile;

    @Option(names = "--test-fraction", description = "Fraction of ratings held out for test (default: ${DEFAULT-VALUE}).")
    public double testFraction = Splits.DEFAULT_TEST_FRACTION;

    @Option(names = "--validation-fraction",
            description = "Fraction of the training part carved out for validation (default: ${DEFAULT-VALUE}).")
    public double validationFraction = 0.1;

    @Option(names = "--seed", description = "Seed for data generation, the split, initialization, shuffling and any "
            + "other random choice of the command (default: ${DEFAULT-VALUE})")
    public long seed = TrainingConfig.defaults().seed;

    /** True when neither --data nor --train was given (the synthetic problem is used). */
    public boolean isSynthetic() {
        return file.data == null && trainFile == null;
    }

    /** Loads (or generates) the data and splits it, reporting progress on {@code log}. */
    public Dataset load(PrintWriter log) {
        if (!(testFraction >= 0 && testFraction < 1)) {
            throw new LfmException("--test-fraction must be in [0, 1) (got " + testFraction + ")");
        }
        if (!(validationFraction >= 0 && validationFraction < 1)) {
            throw new LfmException("--validation-fraction must be in [0, 1) (got " + validationFraction + ")");
        }
        if (file.data != null && (trainFile != null || testFile != null)) {
            throw new LfmException("give either --data or --train with --test, not both");
        }
        if ((trainFile == null) != (testFile == null)) {
            throw new LfmException("--train and --test go together");
        }
        long t0 = System.nanoTime();
        Dataset ds;
        if (trainFile != null) {
            Split s = Splits.fromFiles(trainFile, testFile, file.readOptions(), validationFraction, seed);
            ds = dataset(trainFile.getFileName() + " + " + testFile.getFileName(), s);
        } else if (file.data != null) {
            Split s = Splits.random(file.read(), testFraction, validationFraction, seed);
            ds = dataset(file.data.getFileName().toString(), s);
        } else {
            SyntheticRatings.Config c = synthetic.config(seed);
            log.println("generating synthetic ratings: " + c);
            Ratings all = SyntheticRatings.generate(c).ratings();
            ds = dataset(synthetic.describe(c, seed), Splits.random(all, testFraction, validationFraction, seed));
        }
        log.printf("loaded %s in %.1f s%n", ds.description(), (System.nanoTime() - t0) / 1e9);
        return ds;
    }

    private static Dataset dataset(String source, Split s) {
        String summary = String.format("%d users x %d items; %d train / %d validation / %d test ratings",
                s.numUsers(), s.numItems(), s.train().size(), s.validation().size(), s.test().size());
        return new Dataset(source + ": " + summary, s.train(), s.validation(), s.test());
    }
}
