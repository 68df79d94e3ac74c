package dev.lfm.data;

import dev.lfm.LfmException;

/**
 * How to read a rating file. Start from {@link #defaults()} (auto-detected format) or
 * {@link #of(RatingFormat)} and adjust with the {@code with*} methods.
 *
 * @param format       file layout; {@link RatingFormat#AUTO} detects it
 * @param delimiter    field delimiter for {@link RatingFormat#DELIMITED} (any string; a single space,
 *                     {@link #WHITESPACE}, means runs of spaces and tabs); ignored by formats that fix one
 * @param userColumn   0-based column of the user id ({@code DELIMITED} only; the others use 0)
 * @param itemColumn   0-based column of the item id ({@code DELIMITED} only; the others use 1)
 * @param ratingColumn 0-based column of the rating ({@code DELIMITED} only; the others use 2)
 * @param header       whether the first line is a header; {@code null} takes the format's default
 * @param duplicates   what to do with a (user, item) pair rated twice
 * @param unknownIds   what to do with ids missing from the id maps passed to the reader
 * @param minRating    lowest value of the rating scale; NaN takes the smallest rating in the file
 * @param maxRating    highest value of the rating scale; NaN takes the largest rating in the file
 * @param maxDenseIds  largest id space (ids per side) a format with 0-based index ids ({@link RatingFormat#LIBMF})
 *                     may open: such ids are array indices, so one typo'd id like 100000000 would otherwise
 *                     allocate gigabytes; {@link #DEFAULT_MAX_DENSE_IDS} unless raised
 *
 * <p>Values a user can get wrong (an empty delimiter, clashing columns, a bad limit) are refused with an
 * {@link LfmException} of one line; {@code null} where a value is required is a programming error
 * ({@link IllegalArgumentException}).
 */
public record ReadOptions(RatingFormat format, String delimiter, int userColumn, int itemColumn, int ratingColumn,
                          Header header, DuplicatePolicy duplicates, UnknownIds unknownIds,
                          float minRating, float maxRating, int maxDenseIds) {

    /** The delimiter meaning "one or more spaces or tabs". */
    public static final String WHITESPACE = " ";

    /**
     * Default {@link #maxDenseIds}: 2^26 = 67,108,864 ids a side, above every public rating set
     * (Netflix: 480k users; Yahoo! Music: 1M users, 625k items) while a typo'd id is caught before
     * its id space (about 60 bytes an id in the id maps, plus the factors) is allocated.
     */
    public static final int DEFAULT_MAX_DENSE_IDS = 1 << 26;

    /** The largest {@link #maxDenseIds} allowed (arrays are int-indexed). */
    public static final int MAX_DENSE_IDS_LIMIT = Integer.MAX_VALUE - 16;

    /** Header handling. */
    public enum Header {
        /** There is no header: every non-blank line is a rating. */
        NONE,
        /** The first line is a header and is skipped. */
        SKIP,
        /**
         * The first non-blank line is skipped when it reads as a header: every field a name (starts with a
         * letter, optionally quoted, not NaN/Inf), like {@code userId,movieId,rating,timestamp}. A line
         * that merely fails to parse as a rating ({@code -1,5,4.0}, {@code "1","5","4"}) is an error.
         */
        DETECT
    }

    public ReadOptions {
        if (format == null) {
            throw new IllegalArgumentException("format is required");
        }
        if (delimiter != null && delimiter.isEmpty()) {
            throw new LfmException("the delimiter is empty: give one or more characters (',' ';' '::', a tab)");
        }
        if (delimiter != null && (delimiter.indexOf('\n') >= 0 || delimiter.indexOf('\r') >= 0)) {
            throw new LfmException("the delimiter must not contain a line break");
        }
        if (userColumn < 0 || itemColumn < 0 || ratingColumn < 0) {
            throw new LfmException("columns are 0-based and non-negative (got user " + userColumn + ", item "
                    + itemColumn + ", rating " + ratingColumn + ")");
        }
        if (userColumn == itemColumn || userColumn == ratingColumn || itemColumn == ratingColumn) {
            throw new LfmException("user, item and rating columns must differ (got " + userColumn + ", "
                    + itemColumn + ", " + ratingColumn + ")");
        }
        if (maxDenseIds < 1 || maxDenseIds > MAX_DENSE_IDS_LIMIT) {
            throw new LfmException("the id-space limit must be in 1.." + MAX_DENSE_IDS_LIMIT + " (got " + maxDenseIds + ")");
        }
        if (duplicates == null || unknownIds == null) {
            throw new IllegalArgumentException("duplicates and unknownIds are required");
        }
        if (!Float.isNaN(minRating) && !Float.isNaN(maxRating) && minRating >= maxRating) {
            throw new LfmException("the lowest rating of the scale must be below the highest (got " + minRating
                    + ".." + maxRating + ")");
        }
    }

    /** Auto-detected format, duplicates refused, unknown ids added, scale from the data. */
    public static ReadOptions defaults() {
        return of(RatingFormat.AUTO);
    }

    /** Defaults for one format (for {@code DELIMITED}: comma, columns 0, 1, 2, no header). */
    public static ReadOptions of(RatingFormat format) {
        return new ReadOptions(format, ",", 0, 1, 2, null, DuplicatePolicy.ERROR, UnknownIds.ADD,
                Float.NaN, Float.NaN, DEFAULT_MAX_DENSE_IDS);
    }

    /** Generic delimited text with the given delimiter and 0-based columns. */
    public static ReadOptions delimited(String delimiter, int userColumn, int itemColumn, int ratingColumn) {
        return of(RatingFormat.DELIMITED).withDelimiter(delimiter).withColumns(userColumn, itemColumn, ratingColumn);
    }

    public ReadOptions withFormat(RatingFormat f) {
        return new ReadOptions(f, delimiter, userColumn, itemColumn, ratingColumn, header, duplicates, unknownIds,
                minRating, maxRating, maxDenseIds);
    }

    public ReadOptions withDelimiter(String d) {
        return new ReadOptions(format, d, userColumn, itemColumn, ratingColumn, header, duplicates, unknownIds,
                minRating, maxRating, maxDenseIds);
    }

    public ReadOptions withColumns(int user, int item, int rating) {
        return new ReadOptions(format, delimiter, user, item, rating, header, duplicates, unknownIds,
                minRating, maxRating, maxDenseIds);
    }

    public ReadOptions withHeader(Header h) {
        return new ReadOptions(format, delimiter, userColumn, itemColumn, ratingColumn, h, duplicates, unknownIds,
                minRating, maxRating, maxDenseIds);
    }

    public ReadOptions withDuplicates(DuplicatePolicy p) {
        return new ReadOptions(format, delimiter, userColumn, itemColumn, ratingColumn, header, p, unknownIds,
                minRating, maxRating, maxDenseIds);
    }

    public ReadOptions withUnknownIds(UnknownIds u) {
        return new ReadOptions(format, delimiter, userColumn, itemColumn, ratingColumn, header, duplicates, u,
                minRating, maxRating, maxDenseIds);
    }

    /** Fixes the rating scale instead of taking it from the data (NaN keeps the observed bound). */
    public ReadOptions withScale(float min, float max) {
        return new ReadOptions(format, delimiter, userColumn, itemColumn, ratingColumn, header, duplicates, unknownIds,
                min, max, maxDenseIds);
    }

    /** Raises (or lowers) the id-space limit of formats whose ids are 0-based indices ({@link RatingFormat#LIBMF}). */
    public ReadOptions withMaxDenseIds(int limit) {
        return new ReadOptions(format, delimiter, userColumn, itemColumn, ratingColumn, header, duplicates, unknownIds,
                minRating, maxRating, limit);
    }
}
