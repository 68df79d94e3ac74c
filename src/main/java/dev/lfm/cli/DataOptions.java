package dev.lfm.cli;

import dev.lfm.LfmException;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The data flags every command shares (a picocli mixin): a rating file (or separate train and
 * test files) or, by default, the embedded synthetic problem; the split fractions; the seed is
 * the command's own.
 */
public final class DataOptions {
    @Option(names = "--data", paramLabel = "FILE",
            description = "Rating file (MovieLens u.data / ratings.dat / ratings.csv, LIBMF text, delimited). "
                    + "Default: the synthetic problem (--synthetic).")
    public Path data;

    @Option(names = "--train", paramLabel = "FILE", description = "Training file (with --test instead of --data).")
    public Path trainFile;

    @Option(names = "--test", paramLabel = "FILE", description = "Test file (with --train).")
    public Path testFile;

    @Option(names = "--format", defaultValue = "auto",
            description = "auto|movielens|movielens-dat|movielens-csv|libmf|delimited (default: ${DEFAULT-VALUE})")
    public String format;

    @Option(names = "--delimiter", description = "Field delimiter for --format delimited (default: comma).")
    public String delimiter;

    @Option(names = "--duplicates", defaultValue = "error",
            description = "Policy for a repeated (user, item) pair: error|last|mean (default: ${DEFAULT-VALUE})")
    public String duplicates;

    @Option(names = "--test-fraction", defaultValue = "0.2",
            description = "Fraction of ratings held out for test (default: ${DEFAULT-VALUE}).")
    public double testFraction;

    @Option(names = "--validation-fraction", defaultValue = "0.1",
            description = "Fraction of the training part carved out for validation (default: ${DEFAULT-VALUE}).")
    public double validationFraction;

    @Option(names = "--synthetic", defaultValue = "default",
            description = "Synthetic preset when no file is given: default (50k x 10k, 5M ratings, rank 8), "
                    + "small, netflix (480k x 18k, 100M) (default: ${DEFAULT-VALUE})")
    public String synthetic;

    @Option(names = "--users", description = "Synthetic: number of users (overrides the preset).")
    public Integer users;

    @Option(names = "--items", description = "Synthetic: number of items (overrides the preset).")
    public Integer items;

    @Option(names = "--ratings", description = "Synthetic: number of observed ratings (overrides the preset).")
    public Long ratings;

    @Option(names = "--true-rank", description = "Synthetic: rank of the planted matrix (overrides the preset).")
    public Integer trueRank;

    @Option(names = "--noise", description = "Synthetic: noise standard deviation (default 0.25).")
    public Double noise;

    /** Loads (or generates) the data and splits it, reporting progress on {@code log}. */
    public Dataset load(long seed, PrintWriter log) {
        throw new LfmException("data loading is being wired in");
    }
}
