package dev.lfm.data;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.LongFunction;
import java.util.regex.Pattern;

/**
 * Reads rating files into {@link Ratings}, streaming: bytes go through one buffer, numbers are
 * parsed by hand, and ratings land in growing primitive arrays (no object per line), so a
 * 100M-line file needs about 12 bytes per rating plus the id maps.
 *
 * <p>Every source is opened once and read once, front to back: the format is detected from a
 * buffered prefix (64 KiB) that the parser then replays, so pipes ({@code <(cat f)}), FIFOs and
 * standard input ({@link #STDIN}, {@code -}) read exactly like files. A regular file of
 * {@link ChunkedReader#MIN_PARALLEL_BYTES} or more is read on every core instead, cut at line ends
 * ({@link ChunkedReader}), with the same result, error included.
 *
 * <p>Ids are non-negative integers (up to 2^63-1) mapped to dense 0-based indices through
 * {@link IdMap}, in order of first appearance ({@link RatingFormat#LIBMF} keeps ids as indices, up to
 * {@link ReadOptions#maxDenseIds()}). Line ends are {@code \n}, {@code \r\n} or a lone {@code \r}
 * (old Mac files); blank lines are skipped; a UTF-8 byte order mark is ignored. Every rating line
 * has the same number of fields as the first (a lost line break is an error, not one rating with
 * extra fields); fields after the rating (timestamps) are counted but not parsed. A rating must be
 * a finite decimal with |r| &lt;= {@link #MAX_ABS_RATING}. Every problem becomes a
 * {@link DataFormatException} naming the file and, where one is to blame, the line.
 */
public final class RatingsReader {
    private static final int MAX_LINE = 1 << 24;
    /** Bytes read ahead for format detection and the text check, then parsed like the rest. */
    static final int PREFIX = 1 << 16;

    /**
     * Largest |rating| accepted: 10^4. Training keeps ratings, residuals and factors in float32
     * (24-bit significand): at 10^4 a float still resolves steps of 0.001, a squared residual is
     * below 4·10^8, and a sum of them over 2^31 ratings stays below 10^18, far from float overflow
     * (3.4·10^38) and exact enough in the double accumulators; every rating scale in use (0.5–5
     * stars, Jester's −10..10, 0–100 scores) lies far inside. A value beyond it (1e6, 1e19, 1e30) is
     * a broken file or the wrong column, and would only surface later as divergence.
     */
    public static final float MAX_ABS_RATING = 1e4f;

    /** The path that means standard input ({@code --data -}). */
    public static final Path STDIN = Path.of("-");

    /** How standard input is named in messages. */
    public static final String STDIN_NAME = "<stdin>";

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
     *
     * <p>The path {@code -} ({@link #STDIN}) reads standard input, named {@code <stdin>} in messages
     * (a file really called {@code -} is {@code ./-}). Pipes and FIFOs are read once, like files.
     */
    public static Ratings read(Path file, ReadOptions options, IdMap userIds, IdMap itemIds) {
        Path shown = file.getFileName();
        String what = "reading " + (file.toString().equals(STDIN.toString()) ? STDIN_NAME : shown != null ? shown : file);
        return read(file, options, userIds, itemIds, size -> ProgressMeter.bytes(what, size));
    }

    /**
     * As {@link #read(Path, ReadOptions, IdMap, IdMap)}, the bytes read counted by the meter that
     * {@code meterFor} makes for the input's size (-1: unknown), closed (its line erased) before
     * this returns or throws.
     */
    static Ratings read(Path file, ReadOptions options, IdMap userIds, IdMap itemIds, LongFunction<ProgressMeter> meterFor) {
        if (file.toString().equals(STDIN.toString())) {
            try (ProgressMeter meter = meterFor.apply(-1)) {
                return read(new Counted(System.in, meter, false), STDIN_NAME, -1, options, userIds, itemIds);
            }
        }
        String name = file.toString();
        if (Files.isDirectory(file)) {
            throw new DataFormatException(name, "cannot read: is a directory");
        }
        long sizeHint = -1;
        if (Files.isRegularFile(file)) {
            try {
                sizeHint = Files.size(file);
            } catch (IOException e) {
                sizeHint = -1;
            }
        }
        try (ProgressMeter meter = meterFor.apply(sizeHint)) {
            if (sizeHint > 0) {
                // a regular file: on every thread, cut at line ends (null: not worth it, read it in one)
                Ratings r = ChunkedReader.read(file, name, sizeHint, options, userIds, itemIds, meter);
                if (r != null) {
                    return r;
                }
            }
            try (InputStream in = new Counted(open(file), meter, true)) {
                return read(in, name, sizeHint, options, userIds, itemIds);
            }
        } catch (IOException e) {
            throw cannotRead(name, e);
        }
    }

    /** A stream that tells a {@link ProgressMeter} the bytes read from it; closes its source only if {@code owned}. */
    private static final class Counted extends FilterInputStream {
        private final ProgressMeter meter;
        private final boolean owned;

        Counted(InputStream in, ProgressMeter meter, boolean owned) {
            super(in);
            this.meter = meter;
            this.owned = owned;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int r = in.read(b, off, len);
            if (r > 0) {
                meter.add(r);
            }
            return r;
        }

        @Override
        public int read() throws IOException {
            int r = in.read();
            if (r >= 0) {
                meter.add(1);
            }
            return r;
        }

        @Override
        public void close() throws IOException {
            if (owned) {
                in.close();
            }
        }
    }

    /** Reads a stream (standard input, a socket, a decompressor) into a fresh id space; see {@link #read(InputStream, String, long, ReadOptions, IdMap, IdMap)}. */
    public static Ratings read(InputStream in, String name, ReadOptions options) {
        return read(in, name, -1, options, new IdMap(), new IdMap());
    }

    /**
     * Reads a stream to its end (it is not closed). The format may be {@link RatingFormat#AUTO}: it
     * is detected from the first 64 KiB, which are then parsed like the rest; {@code name} names the
     * source in messages and, for detection, its last path element counts like a file name
     * ({@code u.data}, {@code *.csv}).
     *
     * @param sizeHint the input's length in bytes if known (sizes the arrays up front), else -1
     * @throws DataFormatException for anything wrong with the input, a failed read included
     */
    public static Ratings read(InputStream in, String name, long sizeHint, ReadOptions options,
                               IdMap userIds, IdMap itemIds) {
        try {
            byte[] head = new byte[PREFIX];
            int n = readPrefix(in, head);
            requireText(name, head, n);
            RatingFormat format = options.format() == RatingFormat.AUTO
                    ? RatingFormat.detect(name, head, n) : options.format();
            InputStream all = new SequenceInputStream(new ByteArrayInputStream(head, 0, n), in);
            return new Parser(all, name, sizeHint, options.withFormat(format), userIds, itemIds).run();
        } catch (IOException e) {
            throw cannotRead(name, e);
        }
    }

    static InputStream open(Path file) throws IOException {
        return Files.newInputStream(file);
    }

    /** Fills {@code head} from {@code in} until it is full or the input ends; returns the bytes read. */
    static int readPrefix(InputStream in, byte[] head) throws IOException {
        int n = 0;
        int r;
        while (n < head.length && (r = in.read(head, n, head.length - n)) >= 0) {
            n += r;
        }
        return n;
    }

    /** "FILE: cannot read: REASON" (or "no such file") for an I/O failure. */
    static DataFormatException cannotRead(String name, IOException e) {
        if (e instanceof NoSuchFileException) {
            return new DataFormatException(name, "no such file");
        }
        if (e instanceof AccessDeniedException) {
            return new DataFormatException(name, "cannot read: permission denied");
        }
        String reason = e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : e.getMessage();
        if (reason == null || reason.isBlank() || reason.equals(name)) {
            reason = e.getClass().getSimpleName();
        }
        return new DataFormatException(name, "cannot read: " + reason);
    }

    /**
     * Refuses input that is not a text file, judged from its first bytes: compressed archives by
     * their magic numbers, UTF-16 by its byte order mark, binary data by NUL bytes or by many control
     * bytes. (A stray control byte inside a line is left to the line's own error, which names it.)
     */
    static void requireText(String name, byte[] b, int n) {
        String kind = null;
        if (n >= 2 && (b[0] & 0xff) == 0x1f && (b[1] & 0xff) == 0x8b) {
            kind = "gzip";
        } else if (n >= 4 && b[0] == 'P' && b[1] == 'K' && b[2] == 3 && b[3] == 4) {
            kind = "zip";
        } else if (n >= 4 && b[0] == 'B' && b[1] == 'Z' && b[2] == 'h' && b[3] >= '1' && b[3] <= '9') {
            kind = "bzip2";
        } else if (n >= 6 && (b[0] & 0xff) == 0xfd && b[1] == '7' && b[2] == 'z' && b[3] == 'X' && b[4] == 'Z'
                && b[5] == 0) {
            kind = "xz";
        } else if (n >= 4 && (b[0] & 0xff) == 0x28 && (b[1] & 0xff) == 0xb5 && (b[2] & 0xff) == 0x2f
                && (b[3] & 0xff) == 0xfd) {
            kind = "zstd";
        }
        if (kind != null) {
            throw new DataFormatException(name, "looks compressed (" + kind + "); decompress it first");
        }
        if (n >= 2 && (((b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xfe) || ((b[0] & 0xff) == 0xfe && (b[1] & 0xff) == 0xff))) {
            throw new DataFormatException(name, "is UTF-16 text; save it as UTF-8");
        }
        int control = 0;
        for (int j = 0; j < n; j++) {
            int c = b[j] & 0xff;
            if (c == 0) {
                throw new DataFormatException(name, "is not text (it holds NUL bytes)");
            }
            if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x0b) || c == 0x7f) {
                control++;
            }
        }
        if (control > Math.max(8, n / 32)) {
            throw new DataFormatException(name, "is not text (" + control + " control bytes in its first " + n + ")");
        }
    }

    /** One read: the buffer, the line loop and the growing arrays. */
    static final class Parser {
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
        ReadOptions.Header header;
        private final float scaleMin;
        private final float scaleMax;
        private final int maxDenseIds;
        /** Field count of the first rating line, which every rating line must match (0 before it). */
        int expectedFields;
        long expectedFieldsLine;
        /** True when this parser reads from the start of the input (a UTF-8 byte order mark may come first). */
        private final boolean fileStart;

        int[] users = new int[0];
        int[] items = new int[0];
        float[] values = new float[0];
        int n;
        /** Lines read so far (the number of the current line while it is parsed). */
        long lineNo;
        /** Lines of the input before this parser's piece, added to line numbers in messages (0 when unknown yet). */
        long lineBase;
        /** Line numbers of lines that hold no rating (header, blank), ascending. */
        long[] skipped = new long[8];
        int numSkipped;
        int maxUser = -1;
        int maxItem = -1;
        private final int[] fieldStart = new int[3];
        private final int[] fieldEnd = new int[3];
        /** Start of the field after the one {@link #fieldEnd(byte[], int, int)} found, -1 at the line's end. */
        private int nextField;

        Parser(InputStream in, String name, long sizeHint, ReadOptions o, IdMap userIds, IdMap itemIds) {
            this(in, name, sizeHint, o, userIds, itemIds, true);
        }

        /**
         * A parser of {@code in}, which is the whole input ({@code fileStart}) or a piece of it that
         * starts at a line's start (then no byte order mark is looked for).
         */
        Parser(InputStream in, String name, long sizeHint, ReadOptions o, IdMap userIds, IdMap itemIds,
               boolean fileStart) {
            this.in = in;
            this.fileStart = fileStart;
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
            this.maxDenseIds = o.maxDenseIds();
            if (dense) {
                requireIdentity(userIds, "user");
                requireIdentity(itemIds, "item");
                maxUser = userIds.size() - 1;
                maxItem = itemIds.size() - 1;
            }
        }

        /** The user id map this parser adds to (a piece-local one in a parallel read). */
        IdMap userIdsOfPiece() {
            return userIds;
        }

        /** The item id map this parser adds to. */
        IdMap itemIdsOfPiece() {
            return itemIds;
        }

        /** LIBMF ids are indices: they can only be read against an id space whose ids are 0..n-1. */
        private void requireIdentity(IdMap m, String what) {
            for (int j = 0; j < m.size(); j++) {
                if (m.externalId(j) != j) {
                    throw new DataFormatException(name, "LIBMF ids are 0-based indices, but the " + what
                            + " ids it is read against are not 0..n-1 (index " + j + " is id " + m.externalId(j)
                            + "): read it in the format of the training file");
                }
            }
        }

        Ratings run() throws IOException {
            parse();
            if (n == 0) {
                throw new DataFormatException(name, "no ratings found");
            }
            return finish();
        }

        /**
         * Continues where {@code before} (the piece of the input just before this one) left off: its
         * header decision and the field count of the first rating line (line numbers stay this
         * piece's own, from 1).
         */
        void continueAfter(Parser before) {
            header = before.header;
            expectedFields = before.expectedFields;
            expectedFieldsLine = before.expectedFieldsLine;
        }

        /** Parses the lines of the input into the arrays; {@link #finish} makes them ratings. */
        void parse() throws IOException {
            byte[] buf = new byte[1 << 20];
            int start = 0;
            int end = 0;
            int scan = 0;
            boolean eof = false;
            boolean first = fileStart;
            while (true) {
                // a line ends at \n, \r\n or a lone \r; a \r last in the buffer waits for the next byte
                int nl = -1;
                int next = -1;
                int j = scan;
                for (; j < end; j++) {
                    byte c = buf[j];
                    if (c == '\n') {
                        nl = j;
                        next = j + 1;
                        break;
                    }
                    if (c == '\r') {
                        if (j + 1 < end) {
                            nl = j;
                            next = buf[j + 1] == '\n' ? j + 2 : j + 1;
                        } else if (eof) {
                            nl = j;
                            next = j + 1;
                        }
                        break;
                    }
                }
                if (nl < 0) {
                    scan = j;
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
                            throw new DataFormatException(name, lineBase + lineNo + 1, "line longer than " + MAX_LINE + " bytes");
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
                    }
                    if (users.length == 0 && !first && end > 0) {
                        allocate(buf, start, end);
                    }
                    continue;
                }
                lineNo++;
                line(buf, start, nl);
                start = next;
                scan = start;
            }
        }

        /** Sizes the arrays from the file size and the first chunk's line length. */
        private void allocate(byte[] buf, int start, int end) {
            int lines = 0;
            for (int j = start; j < end; j++) {
                if (buf[j] == '\n' || (buf[j] == '\r' && (j + 1 == end || buf[j + 1] != '\n'))) {
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
            if (skipBlanks(b, s, e) == e) {
                skip();
                return;
            }
            int found = fields(b, s, e);
            if (header != ReadOptions.Header.NONE) {
                ReadOptions.Header h = header;
                header = ReadOptions.Header.NONE;
                if (h == ReadOptions.Header.SKIP || (h == ReadOptions.Header.DETECT && isHeader(b, s, e))) {
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
            if (expectedFields == 0) {
                expectedFields = found;
                expectedFieldsLine = lineBase + lineNo;
            } else if (found != expectedFields) {
                throw error(found + " fields, but line " + expectedFieldsLine + " has " + expectedFields
                        + " (a lost line break or a stray delimiter?)");
            }
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

        private static final Pattern NOT_A_NAME = Pattern.compile("(?i)[+-]?(nan|inf|infinity)");

        /**
         * True when every field of the line is a name: after spaces and one pair of quotes, it starts
         * with a letter (or '_' or a non-ASCII byte), holds no control byte and is not NaN/Inf. Such a
         * line cannot be a rating; any other line is parsed as one (and fails loudly if it is not).
         */
        private boolean isHeader(byte[] b, int s, int e) {
            int p = whitespace ? skipBlanks(b, s, e) : s;
            while (true) {
                int fe = fieldEnd(b, p, e);
                if (!isName(b, p, fe)) {
                    return false;
                }
                if (nextField < 0) {
                    return true;
                }
                p = nextField;
            }
        }

        private static int skipBlanks(byte[] b, int p, int e) {
            while (p < e && (b[p] == ' ' || b[p] == '\t')) {
                p++;
            }
            return p;
        }

        /**
         * The end of the field that starts at {@code p} (a line's fields are split by the delimiter,
         * or by runs of spaces and tabs); sets {@link #nextField} to the start of the next one, or
         * -1 when this one is the line's last.
         */
        private int fieldEnd(byte[] b, int p, int e) {
            if (whitespace) {
                int q = p;
                while (q < e && b[q] != ' ' && b[q] != '\t') {
                    q++;
                }
                int next = skipBlanks(b, q, e);
                nextField = next < e ? next : -1;
                return q;
            }
            int at = find(b, p, e);
            nextField = at < 0 ? -1 : at + delim.length;
            return at < 0 ? e : at;
        }

        private static boolean isName(byte[] b, int s, int e) {
            while (s < e && (b[s] == ' ' || b[s] == '\t')) {
                s++;
            }
            while (e > s && (b[e - 1] == ' ' || b[e - 1] == '\t')) {
                e--;
            }
            if (e - s >= 2 && (b[s] == '"' || b[s] == '\'') && b[e - 1] == b[s]) {
                s++;
                e--;
            }
            if (s == e) {
                return false;
            }
            int c0 = b[s] & 0xff;
            if (!((c0 >= 'A' && c0 <= 'Z') || (c0 >= 'a' && c0 <= 'z') || c0 == '_' || c0 >= 0x80)) {
                return false;
            }
            for (int j = s; j < e; j++) {
                int c = b[j] & 0xff;
                if (c < 0x20 || c == 0x7f || c == '"') {
                    return false;
                }
            }
            return !NOT_A_NAME.matcher(new String(b, s, e - s, StandardCharsets.ISO_8859_1)).matches();
        }

        /** Splits the line; records the user, item and rating fields; returns the number of fields seen. */
        private int fields(byte[] b, int s, int e) {
            int col = 0;
            int p = whitespace ? skipBlanks(b, s, e) : s;
            while (true) {
                int fs = p;
                int fe = fieldEnd(b, p, e);
                int next = nextField;
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
                if (next < 0) {
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
                if (id >= maxDenseIds) {
                    throw error(what + " id " + id + " would make an id space of " + (id + 1) + " " + what
                            + "s (LIBMF ids are 0-based indices), more than the limit of " + maxDenseIds
                            + " (if the ids are right, raise it with --max-ids)");
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
            if (!(Math.abs(v) <= MAX_ABS_RATING)) {
                throw error("rating '" + text(b, s, e) + "' is outside -" + (int) MAX_ABS_RATING + ".."
                        + (int) MAX_ABS_RATING + ", the range lfm trains on in float32");
            }
            return (float) v;
        }

        /**
         * The field as text for a message, at most 40 bytes of it: UTF-8 letters as they are, control,
         * format, private, unassigned and malformed characters as '?', so no raw byte reaches a terminal.
         */
        private static String text(byte[] b, int s, int e) {
            String t = new String(b, s, Math.min(e - s, 40), StandardCharsets.UTF_8);
            t = t.replaceAll("[\\p{Cc}\\p{Cf}\\p{Co}\\p{Cn}\\p{Cs}\\p{Zl}\\p{Zp}\\uFFFD]", "?");
            return e - s > 40 ? t + "..." : t;
        }

        private DataFormatException error(String detail) {
            return new DataFormatException(name, lineBase + lineNo, detail);
        }

        Ratings finish() {
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
