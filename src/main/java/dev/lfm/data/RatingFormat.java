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
     * line: {@code ::} means {@link #MOVIELENS_DAT}, a comma {@link #MOVIELENS_CSV}, a tab
     * {@link #MOVIELENS_100K}, three whitespace-separated fields {@link #LIBMF}.
     *
     * @throws DataFormatException when the file is missing or unreadable, or the first line fits none
     */
    public static RatingFormat detect(Path file) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        String first = firstLine(file);
        if (name.equals("u.data") || name.matches("u[a-z0-9]*\\.(base|test)")) {
            return MOVIELENS_100K;
        }
        if (first == null) {
            throw new DataFormatException(file.toString(), "no ratings found");
        }
        if (name.endsWith(".csv") && first.contains(",")) {
            return MOVIELENS_CSV;
        }
        if (first.contains("::")) {
            return MOVIELENS_DAT;
        }
        if (first.contains(",")) {
            return MOVIELENS_CSV;
        }
        if (first.contains("\t")) {
            return MOVIELENS_100K;
        }
        if (first.trim().split("[ \t]+").length == 3) {
            return LIBMF;
        }
        throw new DataFormatException(file.toString(), 1,
                "cannot tell the rating format from this line; give --format");
    }

    /** First non-blank line (at most 64 KiB read), without its line end; null for a blank file. */
    private static String firstLine(Path file) {
        byte[] head = new byte[1 << 16];
        int n = 0;
        try (InputStream in = RatingsReader.open(file)) {
            int r;
            while (n < head.length && (r = in.read(head, n, head.length - n)) > 0) {
                n += r;
            }
        } catch (NoSuchFileException e) {
            throw new DataFormatException(file.toString(), "no such file");
        } catch (IOException e) {
            throw new DataFormatException(file.toString(), "cannot read: " + e.getMessage());
        }
        String text = new String(head, 0, n, StandardCharsets.ISO_8859_1);
        for (String line : text.split("\n")) {
            if (!line.isBlank()) {
                return line.replace("\r", "");
            }
        }
        return null;
    }
}
