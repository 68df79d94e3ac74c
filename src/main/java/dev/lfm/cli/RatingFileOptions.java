package dev.lfm.cli;

import dev.lfm.LfmException;
import dev.lfm.data.DuplicatePolicy;
import dev.lfm.data.IdMap;
import dev.lfm.data.RatingFormat;
import dev.lfm.data.Ratings;
import dev.lfm.data.RatingsReader;
import dev.lfm.data.ReadOptions;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * The rating-file flags (a picocli mixin): which file and how to read it. Every command that reads
 * ratings has them; {@link DataOptions} adds the split and the synthetic problem for the commands
 * that train.
 */
public final class RatingFileOptions {
    @Option(names = "--data", paramLabel = "FILE",
            description = "Rating file (MovieLens u.data / ratings.dat / ratings.csv, LIBMF text, delimited; - reads standard input).")
    public Path data;

    @Option(names = "--format", defaultValue = "auto",
            description = "auto|movielens|movielens-dat|movielens-csv|libmf|delimited (default: ${DEFAULT-VALUE})")
    public String format;

    @Option(names = "--delimiter", description = "Field delimiter for --format delimited (default: comma).")
    public String delimiter;

    @Option(names = "--duplicates", defaultValue = "error", converter = FlagValues.Duplicates.class,
            description = "Policy for a repeated (user, item) pair: error|last|mean (default: ${DEFAULT-VALUE})")
    public DuplicatePolicy duplicates;

    @Option(names = "--max-ids", paramLabel = "N", converter = FlagValues.IdSpace.class,
            description = "LIBMF (0-based index) ids: the largest id space a side, users or items (default: 2^26 = 67108864).")
    public Integer maxIds;

    /**
     * A one-line error when a rating-file flag was given but no file is read (the synthetic
     * problem): it would be ignored.
     */
    public void checkNoFileFlags(String fileFlags) {
        String given = format != null && !format.trim().equalsIgnoreCase("auto") ? "--format"
                : delimiter != null ? "--delimiter"
                : duplicates != DuplicatePolicy.ERROR ? "--duplicates"
                : maxIds != null ? "--max-ids" : null;
        if (given != null) {
            throw new LfmException(given + " applies only with a rating file (" + fileFlags + "); without one the "
                    + "synthetic problem is used");
        }
    }

    /** The --data file, or a one-line error saying what it is needed for. */
    public Path required(String what) {
        if (data == null) {
            throw new LfmException("--data FILE is required: " + what);
        }
        return data;
    }

    /** How --data is named in messages: its file name, or {@code <stdin>} for {@code -} (as the reader's errors name it). */
    public String name() {
        return data.toString().equals(RatingsReader.STDIN.toString()) ? RatingsReader.STDIN_NAME
                : String.valueOf(data.getFileName());
    }

    /** Reads --data with its own id maps. */
    public Ratings read() {
        return RatingsReader.read(required("the ratings to read"), readOptions());
    }

    /** Reads --data with a model's id maps ({@code options} from {@link #readOptions()}, adjusted). */
    public Ratings read(ReadOptions options, IdMap users, IdMap items) {
        return RatingsReader.read(required("the ratings to read"), options, users, items);
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
        if (maxIds != null) {
            o = o.withMaxDenseIds(maxIds);
        }
        return o.withDuplicates(duplicates);
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
}
