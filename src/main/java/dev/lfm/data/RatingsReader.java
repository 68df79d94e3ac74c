package dev.lfm.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads rating files into {@link Ratings}, streaming: bytes go through one buffer, numbers are
 * parsed by hand, and ratings land in growing primitive arrays (no object per line), so a
 * 100M-line file needs about 12 bytes per rating plus the id maps.
 *
 * <p>Ids are non-negative integers (up to 2^63-1) mapped to dense 0-based indices through
 * {@link IdMap}, in order of first appearance ({@link RatingFormat#LIBMF} keeps ids as indices).
 * Blank lines are skipped; a trailing {@code \r} (CRLF files) and a UTF-8 byte order mark are
 * ignored; fields after the rating (timestamps) are not parsed. Every problem becomes a
 * {@link DataFormatException} naming the file and line.
 */
public final class RatingsReader {
    private static final int MAX_LINE = 1 << 24;

    private RatingsReader() {
    }

    /** Reads a file, detecting its format, with default options. */
    public static Ratings read(Path file) {
        return read(file, ReadOptions.defaults());
    }

    /** Reads a file into a fresh id space. */
    public static Ratings read(Path file, ReadOptions options) {
        return read(file, options, new IdMap(), new IdMap());
    }

    /**
     * Reads a file into an existing id space (a test file sharing the training file's ids). Ids
     * not in the maps are added to them or refused, as {@link ReadOptions#unknownIds()} says; the
     * maps are updated in place, and the result's {@code numUsers}/{@code numItems} are the maps'
     * sizes after reading (widen the training set with {@link Ratings#withIdSpace}).
     */
    public static Ratings read(Path file, ReadOptions options, IdMap userIds, IdMap itemIds) {
        String name = file.toString();
        if (Files.isDirectory(file)) {
            throw new DataFormatException(name, "is a directory, not a rating file");
        }
        if (!Files.exists(file)) {
            throw new DataFormatException(name, "no such file");
        }
        RatingFormat format = options.format() == RatingFormat.AUTO ? RatingFormat.detect(file) : options.format();
        long sizeHint;
        try {
            sizeHint = Files.size(file);
        } catch (IOException e) {
            sizeHint = -1;
        }
        try (InputStream in = open(file)) {
            return read(in, name, sizeHint, options.withFormat(format), userIds, itemIds);
        } catch (NoSuchFileException e) {
            throw new DataFormatException(name, "no such file");
        } catch (AccessDeniedException e) {
            throw new DataFormatException(name, "permission denied");
        } catch (IOException e) {
            throw new DataFormatException(name, "cannot read: " + e.getMessage());
        }
    }

    /**
     * Reads from a stream (format must not be AUTO); {@code name} names the source in messages.
     *
     * @param sizeHint the input's length in bytes if known (sizes the arrays up front), else -1
     */
    public static Ratings read(InputStream in, String name, long sizeHint, ReadOptions options,
                               IdMap userIds, IdMap itemIds) throws IOException {
        if (options.format() == RatingFormat.AUTO) {
            throw new IllegalArgumentException("format AUTO needs a file");
        }
        return new Parser(in, name, sizeHint, options, userIds, itemIds).run();
    }

    static InputStream open(Path file) throws IOException {
        return Files.newInputStream(file);
    }

    /** One read: the buffer, the line loop and the growing arrays. */
    private static final class Parser {
        private final InputStream in;
        private final String name;
        private final long sizeHint;
        private final IdMap userIds;
        private final IdMap itemIds;
        private final boolean dense;
        private final UnknownIds unknown;
        private final DuplicatePolicy duplicates;
        private final byte[] delim;
        private final boolean whitespace;
        private final int userCol;
        private final int itemCol;
        private final int ratingCol;
        private final int maxCol;
        private ReadOptions.Header header;
        private final float scaleMin;
        private final float scaleMax;

        private int[] users = new int[0];
        private int[] items = new int[0];
        private float[] values = new float[0];
        private int n;
        private long lineNo;
        /** Line numbers of lines that hold no rating (header, blank), ascending. */
        private long[] skipped = new long[8];
        private int numSkipped;
        private int maxUser = -1;
        private int maxItem = -1;
        private final int[] fieldStart = new int[3];
        private final int[] fieldEnd = new int[3];

        Parser(InputStream in, String name, long sizeHint, ReadOptions o, IdMap userIds, IdMap itemIds) {
            this.in = in;
            this.name = name;
            this.sizeHint = sizeHint;
            this.userIds = userIds;
            this.itemIds = itemIds;
            RatingFormat f = o.format();
            this.dense = f.denseIds();
            this.unknown = o.unknownIds();
            this.duplicates = o.duplicates();
            String d = f.delimiter() != null ? f.delimiter() : o.delimiter() != null ? o.delimiter() : ",";
            this.whitespace = d.equals(ReadOptions.WHITESPACE);
            this.delim = d.getBytes(StandardCharsets.UTF_8);
            boolean custom = f == RatingFormat.DELIMITED;
            this.userCol = custom ? o.userColumn() : 0;
            this.itemCol = custom ? o.itemColumn() : 1;
            this.ratingCol = custom ? o.ratingColumn() : 2;
            this.maxCol = Math.max(userCol, Math.max(itemCol, ratingCol));
            this.header = o.header() != null ? o.header() : f.header();
            this.scaleMin = o.minRating();
            this.scaleMax = o.maxRating();
            if (dense) {
                requireIdentity(userIds, "user");
                requireIdentity(itemIds, "item");
                maxUser = userIds.size() - 1;
                maxItem = itemIds.size() - 1;
            }
        }

        private static void requireIdentity(IdMap m, String what) {
            for (int j = 0; j < m.size(); j++) {
                if (m.externalId(j) != j) {
                    throw new IllegalArgumentException("LIBMF ids are indices: the " + what + " id map must be 0..n-1");
                }
            }
        }

        Ratings run() throws IOException {
            byte[] buf = new byte[1 << 20];
            int start = 0;
            int end = 0;
            int scan = 0;
            boolean eof = false;
            boolean first = true;
            while (true) {
                int nl = -1;
                for (int j = scan; j < end; j++) {
                    if (buf[j] == '\n') {
                        nl = j;
                        break;
                    }
                }
                if (nl < 0) {
                    scan = end;
                    if (eof) {
                        if (start < end) {
                            lineNo++;
                            line(buf, start, end);
                        }
                        break;
                    }
                    if (start > 0) {
                        System.arraycopy(buf, start, buf, 0, end - start);
                        scan -= start;
                        end -= start;
                        start = 0;
                    }
                    if (end == buf.length) {
                        if (buf.length >= MAX_LINE) {
                            throw new DataFormatException(name, lineNo + 1, "line longer than " + MAX_LINE + " bytes");
                        }
                        buf = Arrays.copyOf(buf, buf.length * 2);
                    }
                    int r = in.read(buf, end, buf.length - end);
                    if (r < 0) {
                        eof = true;
                    } else {
                        end += r;
                    }
                    if (first && end >= 3) {
                        first = false;
                        if ((buf[0] & 0xff) == 0xEF && (buf[1] & 0xff) == 0xBB && (buf[2] & 0xff) == 0xBF) {
                            start = 3;
                            scan = 3;
                        }
                        if (users.length == 0) {
                            allocate(buf, start, end);
                        }
                    }
                    continue;
                }
                lineNo++;
                line(buf, start, nl);
                start = nl + 1;
                scan = start;
            }
            if (n == 0) {
                throw new DataFormatException(name, "no ratings found");
            }
            return finish();
        }

        /** Sizes the arrays from the file size and the first chunk's line length. */
        private void allocate(byte[] buf, int start, int end) {
            int lines = 0;
            for (int j = start; j < end; j++) {
                if (buf[j] == '\n') {
                    lines++;
                }
            }
            long expected = 1024;
            if (sizeHint > 0 && lines > 0) {
                double perLine = (double) (end - start) / lines;
                expected = (long) (sizeHint / perLine * 1.05) + 16;
            }
            grow((int) Math.min(expected, Integer.MAX_VALUE - 16));
        }

        private void grow(int capacity) {
            users = Arrays.copyOf(users, capacity);
            items = Arrays.copyOf(items, capacity);
            values = Arrays.copyOf(values, capacity);
        }

        private void skip() {
            if (numSkipped == skipped.length) {
                skipped = Arrays.copyOf(skipped, numSkipped * 2);
            }
            skipped[numSkipped++] = lineNo;
        }

        private void line(byte[] b, int s, int e) {
            if (e > s && b[e - 1] == '\r') {
                e--;
            }
            int t = s;
            while (t < e && (b[t] == ' ' || b[t] == '\t')) {
                t++;
            }
            if (t == e) {
                skip();
                return;
            }
            int found = fields(b, s, e);
            if (header != ReadOptions.Header.NONE) {
                ReadOptions.Header h = header;
                header = ReadOptions.Header.NONE;
                if (h == ReadOptions.Header.SKIP || (h == ReadOptions.Header.DETECT && !userFieldStartsWithDigit(b, found))) {
                    skip();
                    return;
                }
            }
            if (found <= maxCol) {
                throw error("missing field: found " + found + " field" + (found == 1 ? "" : "s")
                        + ", need " + (maxCol + 1) + " (user, item, rating)");
            }
            long uid = parseId(b, fieldStart[0], fieldEnd[0], "user");
            long iid = parseId(b, fieldStart[1], fieldEnd[1], "item");
            float v = parseRating(b, fieldStart[2], fieldEnd[2]);
            int u = index(uid, userIds, "user", true);
            int i = index(iid, itemIds, "item", false);
            if (n == users.length) {
                if (n >= Integer.MAX_VALUE - 16) {
                    throw error("more than " + (Integer.MAX_VALUE - 16) + " ratings in one file");
                }
                grow((int) Math.min(Integer.MAX_VALUE - 16L, Math.max(1024, n + (n >> 1))));
            }
            users[n] = u;
            items[n] = i;
            values[n] = v;
            n++;
        }

        private boolean userFieldStartsWithDigit(byte[] b, int found) {
            if (found <= userCol) {
                return false;
            }
            int t = fieldStart[0];
            while (t < fieldEnd[0] && (b[t] == ' ' || b[t] == '\t')) {
                t++;
            }
            return t < fieldEnd[0] && b[t] >= '0' && b[t] <= '9';
        }

        /** Splits the line; records the user, item and rating fields; returns the number of fields seen. */
        private int fields(byte[] b, int s, int e) {
            int col = 0;
            int p = s;
            if (whitespace) {
                while (p < e && (b[p] == ' ' || b[p] == '\t')) {
                    p++;
                }
            }
            while (true) {
                int fs = p;
                int fe;
                int next;
                if (whitespace) {
                    while (p < e && b[p] != ' ' && b[p] != '\t') {
                        p++;
                    }
                    fe = p;
                    while (p < e && (b[p] == ' ' || b[p] == '\t')) {
                        p++;
                    }
                    next = p < e ? p : -1;
                } else {
                    int at = find(b, p, e);
                    fe = at < 0 ? e : at;
                    next = at < 0 ? -1 : at + delim.length;
                }
                if (col == userCol) {
                    fieldStart[0] = fs;
                    fieldEnd[0] = fe;
                } else if (col == itemCol) {
                    fieldStart[1] = fs;
                    fieldEnd[1] = fe;
                } else if (col == ratingCol) {
                    fieldStart[2] = fs;
                    fieldEnd[2] = fe;
                }
                col++;
                if (next < 0 || col > maxCol) {
                    return col;
                }
                p = next;
            }
        }

        private int find(byte[] b, int from, int e) {
            byte d0 = delim[0];
            outer:
            for (int j = from; j <= e - delim.length; j++) {
                if (b[j] == d0) {
                    for (int k = 1; k < delim.length; k++) {
                        if (b[j + k] != delim[k]) {
                            continue outer;
                        }
                    }
                    return j;
                }
            }
            return -1;
        }

        private int index(long id, IdMap map, String what, boolean user) {
            if (dense) {
                if (id > Integer.MAX_VALUE - 16) {
                    throw error(what + " id " + id + " is too large for an index");
                }
                int idx = (int) id;
                int max = user ? maxUser : maxItem;
                if (idx > max) {
                    if (unknown == UnknownIds.ERROR) {
                        throw error("unknown " + what + " id " + id);
                    }
                    if (user) {
                        maxUser = idx;
                    } else {
                        maxItem = idx;
                    }
                }
                return idx;
            }
            int idx = map.indexOf(id, unknown == UnknownIds.ADD);
            if (idx < 0) {
                throw error("unknown " + what + " id " + id);
            }
            return idx;
        }

        private long parseId(byte[] b, int s, int e, String what) {
            while (s < e && (b[s] == ' ' || b[s] == '\t')) {
                s++;
            }
            while (e > s && (b[e - 1] == ' ' || b[e - 1] == '\t')) {
                e--;
            }
            if (s == e) {
                throw error("missing " + what + " id");
            }
            long x = 0;
            for (int j = s; j < e; j++) {
                int c = b[j] - '0';
                if (c < 0 || c > 9) {
                    if (j == s && b[j] == '-' && e - s > 1 && allDigits(b, s + 1, e)) {
                        throw error("negative " + what + " id '" + text(b, s, e) + "'");
                    }
                    throw error(what + " id '" + text(b, s, e) + "' is not an integer");
                }
                if (x > (Long.MAX_VALUE - c) / 10) {
                    throw error(what + " id '" + text(b, s, e) + "' is too large");
                }
                x = x * 10 + c;
            }
            return x;
        }

        private static boolean allDigits(byte[] b, int s, int e) {
            for (int j = s; j < e; j++) {
                if (b[j] < '0' || b[j] > '9') {
                    return false;
                }
            }
            return true;
        }

        private float parseRating(byte[] b, int s, int e) {
            while (s < e && (b[s] == ' ' || b[s] == '\t')) {
                s++;
            }
            while (e > s && (b[e - 1] == ' ' || b[e - 1] == '\t')) {
                e--;
            }
            if (s == e) {
                throw error("missing rating");
            }
            double v = Numbers.parseDecimal(b, s, e);
            if (Double.isNaN(v)) {
                String t = text(b, s, e);
                String bare = t.replaceFirst("^[+-]", "").toLowerCase(java.util.Locale.ROOT);
                if (bare.equals("nan") || bare.equals("inf") || bare.equals("infinity")) {
                    throw error("rating '" + t + "' is not finite");
                }
                throw error("rating '" + t + "' is not a number");
            }
            float f = (float) v;
            if (Float.isInfinite(f)) {
                throw error("rating '" + text(b, s, e) + "' is not finite");
            }
            return f;
        }

        /** The field as text for a message: printable ASCII, at most 40 characters. */
        private static String text(byte[] b, int s, int e) {
            String t = new String(b, s, Math.min(e - s, 40), StandardCharsets.UTF_8);
            t = t.replaceAll("[\\p{Cntrl}]", "?");
            return e - s > 40 ? t + "..." : t;
        }

        private DataFormatException error(String detail) {
            return new DataFormatException(name, lineNo, detail);
        }

        private Ratings finish() {
            int numUsers = dense ? maxUser + 1 : userIds.size();
            int numItems = dense ? maxItem + 1 : itemIds.size();
            if (dense) {
                for (int j = userIds.size(); j < numUsers; j++) {
                    userIds.add(j);
                }
                for (int j = itemIds.size(); j < numItems; j++) {
                    itemIds.add(j);
                }
            }
            n = Duplicates.resolve(users, items, values, n, numItems, duplicates, this::lineOf, name, userIds, itemIds);
            float lo = Float.POSITIVE_INFINITY;
            float hi = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                lo = Math.min(lo, values[j]);
                hi = Math.max(hi, values[j]);
            }
            float min = Float.isNaN(scaleMin) ? lo : scaleMin;
            float max = Float.isNaN(scaleMax) ? hi : scaleMax;
            if (lo < min || hi > max) {
                throw new DataFormatException(name, "ratings run from " + lo + " to " + hi
                        + ", outside the given scale " + min + ".." + max);
            }
            if (users.length - n > users.length / 8) {
                users = Arrays.copyOf(users, n);
                items = Arrays.copyOf(items, n);
                values = Arrays.copyOf(values, n);
            }
            return new Ratings(numUsers, numItems, users, items, values, n, userIds, itemIds, min, max);
        }

        /** The 1-based line number of the rating at position {@code p} (before duplicate removal). */
        long lineOf(int p) {
            long line = p + 1L;
            for (int j = 0; j < numSkipped && skipped[j] <= line; j++) {
                line++;
            }
            return line;
        }
    }
}
