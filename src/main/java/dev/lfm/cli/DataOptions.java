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

    @Option(names = "--test-fraction", converter = FlagValues.Fraction.class, description = "Fraction of ratings held out for test (default: ${DEFAULT-VALUE}).")
    public double testFraction = Splits.DEFAULT_TEST_FRACTION;

    @Option(names = "--validation-fraction", converter = FlagValues.Fraction.class,
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
        if (file.data != null && (trainFile != null || testFile != null)) {
            throw new LfmException("give either --data or --train with --test, not both");
        }
        if ((trainFile == null) != (testFile == null)) {
            throw new LfmException("--train and --test go together");
        }
        if (trainFile != null && isStdin(trainFile) && isStdin(testFile)) {
            throw new LfmException("--train - and --test - both name standard input, which can be read only once: "
                    + "give at least one of them as a file");
        }
        if (isSynthetic()) {
            file.checkNoFileFlags("--data or --train");
        } else {
            synthetic.checkNotGiven(file.data != null ? "--data" : "--train/--test");
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

    private static boolean isStdin(Path p) {
        return p.toString().equals("-");
    }

    /**
     * One-line errors when a split the command needs came out empty: no training ratings, no test
     * ratings (when a test fraction or file was asked for), or no validation ratings (when
     * {@code needValidation}, as early stopping does).
     */
    public void checkNotEmpty(Dataset ds, boolean needValidation) {
        int n = ds.train().size() + (ds.validation() == null ? 0 : ds.validation().size())
                + (ds.test() == null ? 0 : ds.test().size());
        String source = trainFile != null ? trainFile.toString() : file.data != null ? file.data.toString() : "the data";
        if (ds.train().size() == 0) {
            throw new LfmException(source + ": the training split is empty: nothing to train on");
        }
        if (testFile != null && (ds.test() == null || ds.test().size() == 0)) {
            throw new LfmException(testFile + ": the test split is empty: no ratings to test on");
        }
        if (testFile == null && testFraction > 0 && (ds.test() == null || ds.test().size() == 0)) {
            throw new LfmException(String.format("%s: the test split is empty: %d ratings are too few for "
                    + "--test-fraction %s (use more data, or --test-fraction 0 to train without a test)", source, n,
                    testFraction));
        }
        if (needValidation && (ds.validation() == null || ds.validation().size() == 0)) {
            throw new LfmException(String.format("%s: the validation split is empty: %d training ratings are too few "
                    + "for --validation-fraction %s (early stopping needs it)", source, ds.train().size()
                    + (ds.validation() == null ? 0 : ds.validation().size()), validationFraction));
        }
    }

    private static Dataset dataset(String source, Split s) {
        String summary = String.format("%d users x %d items; %d train / %d validation / %d test ratings",
                s.numUsers(), s.numItems(), s.train().size(), s.validation().size(), s.test().size());
        return new Dataset(source + ": " + summary, s.train(), s.validation(), s.test());
    }
}
