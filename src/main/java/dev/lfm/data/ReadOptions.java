package dev.lfm.data;

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
 */
public record ReadOptions(RatingFormat format, String delimiter, int userColumn, int itemColumn, int ratingColumn,
                          Header header, DuplicatePolicy duplicates, UnknownIds unknownIds,
                          float minRating, float maxRating) {

    /** The delimiter meaning "one or more spaces or tabs". */
    public static final String WHITESPACE = " ";

    /** Header handling. */
    public enum Header {
        /** There is no header: every non-blank line is a rating. */
        NONE,
        /** The first line is a header and is skipped. */
        SKIP,
        /** The first line is skipped when its user field does not start with a digit. */
        DETECT
    }

    public ReadOptions {
        if (format == null) {
            throw new IllegalArgumentException("format is required");
        }
        if (delimiter != null && delimiter.isEmpty()) {
            throw new IllegalArgumentException("delimiter must not be empty");
        }
        if (userColumn < 0 || itemColumn < 0 || ratingColumn < 0) {
            throw new IllegalArgumentException("columns are 0-based and non-negative");
        }
        if (userColumn == itemColumn || userColumn == ratingColumn || itemColumn == ratingColumn) {
            throw new IllegalArgumentException("user, item and rating columns must differ");
        }
        if (duplicates == null || unknownIds == null) {
            throw new IllegalArgumentException("duplicates and unknownIds are required");
        }
        if (!Float.isNaN(minRating) && !Float.isNaN(maxRating) && minRating >= maxRating) {
            throw new IllegalArgumentException("minRating must be below maxRating");
        }
    }

    /** Auto-detected format, duplicates refused, unknown ids added, scale from the data. */
    public static ReadOptions defaults() {
        return of(RatingFormat.AUTO);
    }

    /** Defaults for one format (for {@code DELIMITED}: comma, columns 0, 1, 2, no header). */
    public static ReadOptions of(RatingFormat format) {
        return new ReadOptions(format, ",", 0, 1, 2, null, DuplicatePolicy.ERROR, UnknownIds.ADD,
                Float.NaN, Float.NaN);
    }

    /** Generic delimited text with the given delimiter and 0-based columns. */
    public static ReadOptions delimited(String delimiter, int userColumn, int itemColumn, int ratingColumn) {
        return of(RatingFormat.DELIMITED).withDelimiter(delimiter).withColumns(userColumn, itemColumn, ratingColumn);
    }

    public ReadOptions withFormat(RatingFormat f) {
        return new ReadOptions(f, delimiter, userColumn, itemColumn, ratingColumn, header, duplicates, unknownIds,
                minRating, maxRating);
    }

    public ReadOptions withDelimiter(String d) {
        return new ReadOptions(format, d, userColumn, itemColumn, ratingColumn, header, duplicates, unknownIds,
                minRating, maxRating);
    }

    public ReadOptions withColumns(int user, int item, int rating) {
        return new ReadOptions(format, delimiter, user, item, rating, header, duplicates, unknownIds,
                minRating, maxRating);
    }

    public ReadOptions withHeader(Header h) {
        return new ReadOptions(format, delimiter, userColumn, itemColumn, ratingColumn, h, duplicates, unknownIds,
                minRating, maxRating);
    }

    public ReadOptions withDuplicates(DuplicatePolicy p) {
        return new ReadOptions(format, delimiter, userColumn, itemColumn, ratingColumn, header, p, unknownIds,
                minRating, maxRating);
    }

    public ReadOptions withUnknownIds(UnknownIds u) {
        return new ReadOptions(format, delimiter, userColumn, itemColumn, ratingColumn, header, duplicates, u,
                minRating, maxRating);
    }

    /** Fixes the rating scale instead of taking it from the data (NaN keeps the observed bound). */
    public ReadOptions withScale(float min, float max) {
        return new ReadOptions(format, delimiter, userColumn, itemColumn, ratingColumn, header, duplicates, unknownIds,
                min, max);
    }
}
