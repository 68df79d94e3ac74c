package dev.lfm.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Layouts of rating files the reader knows. Each fixes a delimiter, the columns of user, item and
 * rating, and whether a header line may come first; {@link #DELIMITED} takes them from
 * {@link ReadOptions}. A delimiter of a single space ({@link ReadOptions#WHITESPACE}) means "one or
 * more spaces or tabs".
 */
public enum RatingFormat {
    /** Detect from the file name and the first line (see {@link #detect(Path)}). */
    AUTO(null, ReadOptions.Header.DETECT, false),
    /** MovieLens 100K {@code u.data}: {@code user<TAB>item<TAB>rating<TAB>timestamp}. */
    MOVIELENS_100K("\t", ReadOptions.Header.NONE, false),
    /** MovieLens 1M/10M {@code ratings.dat}: {@code user::item::rating::timestamp}. */
    MOVIELENS_DAT("::", ReadOptions.Header.NONE, false),
    /**
     * MovieLens {@code ratings.csv} (latest, 20M, 25M): header {@code userId,movieId,rating,timestamp},
     * LF or CRLF line ends.
     */
    MOVIELENS_CSV(",", ReadOptions.Header.DETECT, false),
    /**
     * LIBMF text: {@code row col value} separated by whitespace. Ids are 0-based indices and kept as
     * given: row 7 is user index 7, and the id space runs from 0 to the largest id.
     */
    LIBMF(ReadOptions.WHITESPACE, ReadOptions.Header.NONE, true),
    /** Any delimited text: delimiter, columns and header handling from {@link ReadOptions}. */
    DELIMITED(null, ReadOptions.Header.NONE, false);

    private final String delimiter;
    private final ReadOptions.Header header;
    private final boolean denseIds;

    RatingFormat(String delimiter, ReadOptions.Header header, boolean denseIds) {
        this.delimiter = delimiter;
        this.header = header;
        this.denseIds = denseIds;
    }

    /** The fixed delimiter, or null where {@link ReadOptions} supplies it. */
    public String delimiter() {
        return delimiter;
    }

    /** The default header handling. */
    public ReadOptions.Header header() {
        return header;
    }

    /** Whether ids are already dense 0-based indices (LIBMF). */
    public boolean denseIds() {
        return denseIds;
    }

    /** Lower-case name with dashes, as the CLI shows it ({@code movielens-csv}). */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * Picks the format of a file from its name ({@code u.data}, {@code *.base}/{@code *.test} of
     * MovieLens 100K, {@code *.dat}, {@code *.csv}) and, failing that, from its first non-blank
     * line: {@code ::} means {@link #MOVIELENS_DAT}, a comma {@link #MOVIELENS_CSV}, tabs and no spaces
     * {@link #MOVIELENS_100K}, three fields apart by spaces and tabs {@link #LIBMF}, other tabbed lines
     * {@link #MOVIELENS_100K}. Reads at most the
     * first 64 KiB; for a pipe or FIFO use {@link RatingsReader#read(Path, ReadOptions)}, which
     * detects from a prefix it then parses, instead of calling this first.
     *
     * @throws DataFormatException when the file is missing, unreadable, not text, or the first line fits none
     */
    public static RatingFormat detect(Path file) {
        String name = file.toString();
        byte[] head = new byte[RatingsReader.PREFIX];
        int n;
        try (InputStream in = RatingsReader.open(file)) {
            n = RatingsReader.readPrefix(in, head);
        } catch (NoSuchFileException e) {
            throw new DataFormatException(name, "no such file");
        } catch (IOException e) {
            throw RatingsReader.cannotRead(name, e);
        }
        RatingsReader.requireText(name, head, n);
        return detect(name, head, n);
    }

    /**
     * Detection from the first {@code n} bytes of a source called {@code name} (a path, or a label like
     * {@code <stdin>}; only its last path element counts for the name rules).
     */
    static RatingFormat detect(String name, byte[] head, int n) {
        String base = name.substring(name.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
        if (base.equals("u.data") || base.matches("u[a-z0-9]*\\.(base|test)")) {
            return MOVIELENS_100K;
        }
        String first = firstLine(head, n);
        if (first == null) {
            throw new DataFormatException(name, "no ratings found");
        }
        if (base.endsWith(".csv") && first.contains(",")) {
            return MOVIELENS_CSV;
        }
        if (first.contains("::")) {
            return MOVIELENS_DAT;
        }
        if (first.contains(",")) {
            return MOVIELENS_CSV;
        }
        if (first.contains("\t") && !first.contains(" ")) {
            return MOVIELENS_100K;
        }
        if (first.trim().split("[ \t]+").length == 3) {
            return LIBMF;
        }
        if (first.contains("\t")) {
            return MOVIELENS_100K;
        }
        throw new DataFormatException(name, firstLineNumber(head, n),
                "cannot tell the rating format from this line; give --format");
    }

    /** First non-blank line, without its line end ({@code \n}, {@code \r\n} or a lone {@code \r}); null if none. */
    private static String firstLine(byte[] head, int n) {
        String text = new String(head, 0, n, StandardCharsets.ISO_8859_1);
        if (text.startsWith("\u00EF\u00BB\u00BF")) {
            text = text.substring(3); // UTF-8 byte order mark
        }
        for (String line : text.split("\r\n|\r|\n")) {
            if (!line.isBlank()) {
                return line;
            }
        }
        return null;
    }

    /** The 1-based number of the first non-blank line (1 when there is none). */
    private static long firstLineNumber(byte[] head, int n) {
        String text = new String(head, 0, n, StandardCharsets.ISO_8859_1);
        String[] lines = text.split("\r\n|\r|\n", -1);
        for (int j = 0; j < lines.length; j++) {
            if (!lines[j].isBlank()) {
                return j + 1;
            }
        }
        return 1;
    }
}
