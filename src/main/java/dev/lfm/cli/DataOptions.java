package dev.lfm.cli;

import dev.lfm.LfmException;
import dev.lfm.data.DuplicatePolicy;
import dev.lfm.data.RatingFormat;
import dev.lfm.data.Ratings;
import dev.lfm.data.RatingsReader;
import dev.lfm.data.ReadOptions;
import dev.lfm.data.Split;
import dev.lfm.data.Splits;
import dev.lfm.data.SyntheticRatings;
import java.util.Locale;
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
            description = "Rating file (MovieLens u.data / ratings.dat / ratings.csv, LIBMF text, delimited; - reads "
                    + "standard input). Default: the synthetic problem (--synthetic).")
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
        if (!(testFraction >= 0 && testFraction < 1)) {
            throw new LfmException("--test-fraction must be in [0, 1) (got " + testFraction + ")");
        }
        if (!(validationFraction >= 0 && validationFraction < 1)) {
            throw new LfmException("--validation-fraction must be in [0, 1) (got " + validationFraction + ")");
        }
        if (data != null && (trainFile != null || testFile != null)) {
            throw new LfmException("give either --data or --train with --test, not both");
        }
        if ((trainFile == null) != (testFile == null)) {
            throw new LfmException("--train and --test go together");
        }
        long t0 = System.nanoTime();
        Dataset ds;
        if (trainFile != null) {
            Split s = Splits.fromFiles(trainFile, testFile, readOptions(), validationFraction, seed);
            ds = new Dataset(trainFile.getFileName() + " + " + testFile.getFileName() + ": " + summary(s), s.train(),
                    s.validation(), s.test());
        } else if (data != null) {
            Ratings all = RatingsReader.read(data, readOptions());
            Split s = Splits.random(all, testFraction, validationFraction, seed);
            ds = new Dataset(data.getFileName() + ": " + summary(s), s.train(), s.validation(), s.test());
        } else {
            ds = synthetic(seed, log);
        }
        log.printf("loaded %s in %.1f s%n", ds.description(), (System.nanoTime() - t0) / 1e9);
        return ds;
    }

    /** Reads just the rating file (no split): for evaluate and recommend. */
    public Ratings readAll() {
        if (data == null) {
            throw new LfmException("--data FILE is required here");
        }
        return RatingsReader.read(data, readOptions());
    }

    /** The reader options these flags describe. */
    public ReadOptions readOptions() {
        RatingFormat f = parseFormat(format);
        ReadOptions o = ReadOptions.of(f);
        if (delimiter != null) {
            if (f != RatingFormat.DELIMITED && f != RatingFormat.AUTO) {
                throw new LfmException("--delimiter applies to --format delimited only");
            }
            o = ReadOptions.of(RatingFormat.DELIMITED).withDelimiter(unescape(delimiter));
        }
        try {
            return o.withDuplicates(DuplicatePolicy.valueOf(duplicates.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            throw new LfmException("--duplicates must be error, last or mean (got '" + duplicates + "')");
        }
    }

    private static String unescape(String d) {
        return switch (d) {
            case "\\t", "tab", "TAB" -> "\t";
            case "space", "whitespace" -> ReadOptions.WHITESPACE;
            default -> d;
        };
    }

    private static RatingFormat parseFormat(String s) {
        String f = s.trim().toLowerCase(Locale.ROOT);
        if (f.equals("movielens") || f.equals("u.data") || f.equals("movielens-100k")) {
            return RatingFormat.MOVIELENS_100K;
        }
        for (RatingFormat r : RatingFormat.values()) {
            if (r.cliName().equals(f)) {
                return r;
            }
        }
        throw new LfmException("--format must be one of auto, movielens, movielens-dat, movielens-csv, libmf, "
                + "delimited (got '" + s + "')");
    }

    static String summary(Split s) {
        return String.format("%d users x %d items; %d train / %d validation / %d test ratings", s.numUsers(),
                s.numItems(), s.train().size(), s.validation().size(), s.test().size());
    }

    /** The synthetic recipe these flags describe (preset, overridden field by field). */
    public SyntheticRatings.Config syntheticConfig(long seed) {
        SyntheticRatings.Preset preset = null;
        for (SyntheticRatings.Preset p : SyntheticRatings.Preset.values()) {
            if (p.cliName().equalsIgnoreCase(synthetic.trim())) {
                preset = p;
            }
        }
        if (preset == null) {
            throw new LfmException("--synthetic must be small, default or netflix (got '" + synthetic + "')");
        }
        SyntheticRatings.Config c = preset.config();
        try {
            c = new SyntheticRatings.Config(users != null ? users : c.numUsers(), items != null ? items : c.numItems(),
                    trueRank != null ? trueRank : c.rank(), ratings != null ? ratings : c.numRatings(),
                    ratings != null ? 0 : c.density(), noise != null ? noise : c.noise(), seed);
            c.targetRatings();
        } catch (IllegalArgumentException e) {
            throw new LfmException("synthetic data: " + e.getMessage());
        }
        return c;
    }

    private Dataset synthetic(long seed, PrintWriter log) {
        SyntheticRatings.Config c = syntheticConfig(seed);
        log.println("generating synthetic ratings: " + c);
        SyntheticRatings gen = SyntheticRatings.generate(c);
        Split s = Splits.random(gen.ratings(), testFraction, validationFraction, seed);
        return new Dataset(String.format(Locale.ROOT, "synthetic %s (rank %d, noise %.2f, seed %d): %s",
                synthetic.toLowerCase(Locale.ROOT), c.rank(), c.noise(), seed, summary(s)), s.train(),
                s.validation(), s.test());
    }
}
