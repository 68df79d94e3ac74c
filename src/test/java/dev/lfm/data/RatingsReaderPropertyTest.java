package dev.lfm.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Property-based tests of the readers: random valid files in every format round-trip exactly, and
 * random corruptions of them give either exactly the ratings an independent reference parser finds
 * in the corrupted text or one {@link DataFormatException} whose message starts with
 * {@code FILE:LINE:} (or {@code FILE:} for a whole-file problem); never another exception, never a
 * silent drop (fewer ratings than rating lines without an error), never a spurious error.
 *
 * <p>Plain JUnit 5 with a seeded {@link Random} (no property-testing library: jqwik 1.10's engine
 * carries an anti-AI-agent usage clause, and this code is written with an agent): try {@code t} of a
 * property uses seed {@code base + t}; a failure names that seed and a shrunk input (lines, then
 * bytes, removed while it still fails). Tries per property: 200 by default (a few seconds for all of
 * them); more with {@code mvn test -Dtest=RatingsReaderPropertyTest -Dlfm.propertyTries=20000},
 * another seed base with {@code -Dlfm.propertySeed=N}.
 */
class RatingsReaderPropertyTest {
    private static final int TRIES = Integer.getInteger("lfm.propertyTries", 200);
    private static final long SEED = Long.getLong("lfm.propertySeed", 13L);
    /** LIBMF id-space limit in these tests: a corruption that lengthens an id must not allocate gigabytes. */
    private static final int MAX_DENSE_IDS = 100_000;

    @TempDir
    Path dir;

    /** A file layout the generator writes and the reference parser reads. */
    record Layout(String fileName, RatingFormat format, String delimiter, int userCol, int itemCol, int ratingCol,
                  int numFields, boolean header) {
        boolean whitespace() {
            return delimiter.equals(ReadOptions.WHITESPACE);
        }

        ReadOptions options() {
            ReadOptions o = ReadOptions.of(format).withMaxDenseIds(MAX_DENSE_IDS);
            if (format == RatingFormat.DELIMITED) {
                o = ReadOptions.delimited(delimiter, userCol, itemCol, ratingCol)
                        .withHeader(header ? ReadOptions.Header.SKIP : ReadOptions.Header.NONE)
                        .withMaxDenseIds(MAX_DENSE_IDS);
            }
            return o;
        }

        /** Header handling as the reader applies it. */
        ReadOptions.Header headerMode() {
            return options().header() != null ? options().header() : format.header();
        }
    }

    /** One rating in file ids. */
    record R(long user, long item, float value) {
    }

    /** What the reference parser makes of a file: ratings and id-space size, or a rejection. */
    record Parsed(List<R> ratings, int numUsers, int numItems, String rejection) {
        static Parsed reject(String why) {
            return new Parsed(null, 0, 0, why);
        }
    }

    static Layout layout(Random rnd) {
        switch (rnd.nextInt(5)) {
            case 0:
                return new Layout("u.data", RatingFormat.MOVIELENS_100K, "\t", 0, 1, 2, 4, false);
            case 1:
                return new Layout("ratings.dat", RatingFormat.MOVIELENS_DAT, "::", 0, 1, 2, 4, false);
            case 2:
                return new Layout("ratings.csv", RatingFormat.MOVIELENS_CSV, ",", 0, 1, 2, 4, rnd.nextBoolean());
            case 3:
                return new Layout("train.txt", RatingFormat.LIBMF, ReadOptions.WHITESPACE, 0, 1, 2, 3, false);
            default:
                String[] delims = {";", "|", "\t", ";;", "::", ",", " "};
                int[] perm = {0, 1, 2, 3};
                for (int j = 3; j > 0; j--) {
                    int k = rnd.nextInt(j + 1);
                    int t = perm[j];
                    perm[j] = perm[k];
                    perm[k] = t;
                }
                return new Layout("x.txt", RatingFormat.DELIMITED, delims[rnd.nextInt(delims.length)], perm[0],
                        perm[1], perm[2], 4, rnd.nextBoolean());
        }
    }

    private static String ratingText(Random rnd) {
        switch (rnd.nextInt(7)) {
            case 0:
                return Integer.toString(1 + rnd.nextInt(5));
            case 1:
                return (1 + rnd.nextInt(9)) / 2 + "." + (rnd.nextBoolean() ? "5" : "0");
            case 2:
                return String.format(java.util.Locale.ROOT, "%.3f", rnd.nextDouble() * 20 - 10);
            case 3:
                return (rnd.nextInt(90) + 10) / 10.0 + "e" + (rnd.nextInt(5) - 2);
            case 4:
                return (rnd.nextBoolean() ? "+" : "-") + rnd.nextInt(10000);
            case 5:
                return "." + rnd.nextInt(100);
            default:
                return rnd.nextInt(10001) + ".";
        }
    }

    private static long id(Random rnd, boolean dense) {
        if (dense) {
            return rnd.nextInt(rnd.nextBoolean() ? 8 : 300);
        }
        return switch (rnd.nextInt(4)) {
            case 0 -> rnd.nextInt(10);
            case 1 -> rnd.nextInt(100_000);
            case 2 -> Long.MAX_VALUE - rnd.nextInt(5);
            default -> rnd.nextLong() >>> 1;
        };
    }

    /** A valid file for the layout, and the ratings it holds. */
    static byte[] validFile(Random rnd, Layout l, List<R> out) {
        int n = 1 + rnd.nextInt(rnd.nextInt(10) == 0 ? 400 : 40);
        String[] ends = {"\n", "\r\n", "\r"};
        String end = ends[rnd.nextInt(3)];
        boolean mixed = rnd.nextInt(8) == 0;
        boolean pad = !l.whitespace() && rnd.nextInt(4) == 0;
        StringBuilder sb = new StringBuilder();
        if (rnd.nextInt(10) == 0) {
            sb.append('\uFEFF');
        }
        if (l.header()) {
            String[] names = new String[l.numFields()];
            String[] base = {"userId", "movieId", "rating", "timestamp"};
            int other = 3;
            for (int c = 0; c < l.numFields(); c++) {
                names[c] = c == l.userCol() ? base[0] : c == l.itemCol() ? base[1] : c == l.ratingCol() ? base[2]
                        : base[other];
            }
            String d = l.whitespace() ? " " : l.delimiter();
            sb.append(String.join(d, names)).append(end);
        }
        Set<Long> pairs = new HashSet<>();
        while (out.size() < n) {
            long u = id(rnd, l.format().denseIds());
            long i = id(rnd, l.format().denseIds());
            if (!pairs.add(u * 1_000_003L ^ i * 31)) {
                continue;
            }
            String v = ratingText(rnd);
            out.add(new R(u, i, (float) Double.parseDouble(v)));
            String[] f = new String[l.numFields()];
            for (int c = 0; c < f.length; c++) {
                f[c] = c == l.userCol() ? Long.toString(u) : c == l.itemCol() ? Long.toString(i)
                        : c == l.ratingCol() ? v : Integer.toString(800_000_000 + rnd.nextInt(100_000_000));
                if (pad && rnd.nextInt(4) == 0) {
                    f[c] = " " + f[c] + (rnd.nextBoolean() && !l.delimiter().contains("\t") ? "\t" : "");
                }
            }
            if (l.whitespace()) {
                for (int c = 0; c < f.length; c++) {
                    sb.append(c > 0 ? (rnd.nextInt(4) == 0 ? " \t " : " ") : (rnd.nextInt(8) == 0 ? "  " : ""));
                    sb.append(f[c]);
                }
            } else {
                sb.append(String.join(l.delimiter(), f));
            }
            sb.append(mixed ? ends[rnd.nextInt(3)] : end);
            if (rnd.nextInt(15) == 0) {
                sb.append(rnd.nextBoolean() ? "" : " \t").append(end);
            }
        }
        if (rnd.nextInt(5) == 0) {
            int cut = sb.length();
            while (cut > 0 && (sb.charAt(cut - 1) == '\n' || sb.charAt(cut - 1) == '\r')) {
                cut--;
            }
            sb.setLength(cut);
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    // ---- the reference parser: String-based, written from the documented rules, not from the reader

    private static final Pattern LINE_END = Pattern.compile("\r\n|\r|\n");
    private static final Pattern DIGITS = Pattern.compile("[0-9]+");
    private static final Pattern DECIMAL = Pattern.compile("[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?");
    private static final Pattern NON_FINITE = Pattern.compile("(?i)[+-]?(nan|inf|infinity)");

    private static String trimSpaces(String s) {
        int a = 0;
        int b = s.length();
        while (a < b && (s.charAt(a) == ' ' || s.charAt(a) == '\t')) {
            a++;
        }
        while (b > a && (s.charAt(b - 1) == ' ' || s.charAt(b - 1) == '\t')) {
            b--;
        }
        return s.substring(a, b);
    }

    private static String[] split(Layout l, String line) {
        if (l.whitespace()) {
            return trimSpaces(line).split("[ \t]+");
        }
        return line.split(Pattern.quote(l.delimiter()), -1);
    }

    private static boolean isName(String f) {
        String t = trimSpaces(f);
        if (t.length() >= 2 && (t.charAt(0) == '"' || t.charAt(0) == '\'') && t.charAt(t.length() - 1) == t.charAt(0)) {
            t = t.substring(1, t.length() - 1);
        }
        if (t.isEmpty()) {
            return false;
        }
        char c0 = t.charAt(0);
        if (!(Character.isLetter(c0) && c0 < 0x80 || c0 == '_' || c0 >= 0x80)) {
            return false;
        }
        for (char c : t.toCharArray()) {
            if (c < 0x20 || c == 0x7f || c == '"') {
                return false;
            }
        }
        return !NON_FINITE.matcher(t).matches();
    }

    static Parsed reference(Layout l, byte[] bytes, int maxDenseIds) {
        int prefix = Math.min(bytes.length, RatingsReader.PREFIX);
        int control = 0;
        for (int j = 0; j < prefix; j++) {
            int c = bytes[j] & 0xff;
            if (c == 0) {
                return Parsed.reject("NUL byte");
            }
            if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x0b) || c == 0x7f) {
                control++;
            }
        }
        if (control > Math.max(8, prefix / 32)) {
            return Parsed.reject("control bytes");
        }
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        if (text.startsWith("\u00EF\u00BB\u00BF")) {
            text = text.substring(3);
        }
        String[] lines = LINE_END.split(text, -1);
        int numLines = lines.length;
        if (numLines > 0 && lines[numLines - 1].isEmpty()) {
            numLines--;
        }
        ReadOptions.Header header = l.headerMode();
        boolean first = true;
        int fields = 0;
        int maxCol = Math.max(l.userCol(), Math.max(l.itemCol(), l.ratingCol()));
        List<R> out = new ArrayList<>();
        Map<Long, Integer> users = new LinkedHashMap<>();
        Map<Long, Integer> items = new LinkedHashMap<>();
        Set<List<Long>> pairs = new HashSet<>();
        long maxUser = -1;
        long maxItem = -1;
        for (int j = 0; j < numLines; j++) {
            String line = lines[j];
            if (trimSpaces(line).isEmpty()) {
                continue;
            }
            String[] f = split(l, line);
            if (first) {
                first = false;
                if (header == ReadOptions.Header.SKIP) {
                    continue;
                }
                if (header == ReadOptions.Header.DETECT) {
                    boolean names = true;
                    for (String x : f) {
                        names &= isName(x);
                    }
                    if (names) {
                        continue;
                    }
                }
            }
            if (f.length <= maxCol) {
                return Parsed.reject("line " + (j + 1) + ": missing field");
            }
            String u = trimSpaces(f[l.userCol()]);
            String i = trimSpaces(f[l.itemCol()]);
            String v = trimSpaces(f[l.ratingCol()]);
            if (!DIGITS.matcher(u).matches() || !DIGITS.matcher(i).matches() || !DECIMAL.matcher(v).matches()) {
                return Parsed.reject("line " + (j + 1) + ": bad field");
            }
            long uid;
            long iid;
            try {
                uid = Long.parseLong(u);
                iid = Long.parseLong(i);
            } catch (NumberFormatException e) {
                return Parsed.reject("line " + (j + 1) + ": id too large");
            }
            double value = Double.parseDouble(v);
            if (!(Math.abs(value) <= 1e4)) {
                return Parsed.reject("line " + (j + 1) + ": rating out of range");
            }
            if (fields == 0) {
                fields = f.length;
            } else if (f.length != fields) {
                return Parsed.reject("line " + (j + 1) + ": field count");
            }
            if (l.format().denseIds() && (uid >= maxDenseIds || iid >= maxDenseIds)) {
                return Parsed.reject("line " + (j + 1) + ": id space");
            }
            if (!pairs.add(List.of(uid, iid))) {
                return Parsed.reject("line " + (j + 1) + ": duplicate");
            }
            users.putIfAbsent(uid, users.size());
            items.putIfAbsent(iid, items.size());
            maxUser = Math.max(maxUser, uid);
            maxItem = Math.max(maxItem, iid);
            out.add(new R(uid, iid, (float) value));
        }
        if (out.isEmpty()) {
            return Parsed.reject("no ratings");
        }
        boolean dense = l.format().denseIds();
        return new Parsed(out, dense ? (int) maxUser + 1 : users.size(), dense ? (int) maxItem + 1 : items.size(), null);
    }

    // ---- corruptions

    private static final byte[] ALPHABET = "0123456789,;:|\t \n\r-+.eE\"'xX_".getBytes(StandardCharsets.US_ASCII);

    static byte[] corrupt(Random rnd, byte[] b, Layout l) {
        List<Byte> x = new ArrayList<>(b.length + 16);
        for (byte v : b) {
            x.add(v);
        }
        int edits = 1 + rnd.nextInt(3);
        for (int e = 0; e < edits; e++) {
            int at = x.isEmpty() ? 0 : rnd.nextInt(x.size());
            switch (rnd.nextInt(9)) {
                case 0 -> { // delete a run of bytes
                    int len = 1 + rnd.nextInt(rnd.nextBoolean() ? 2 : 12);
                    for (int k = 0; k < len && at < x.size(); k++) {
                        x.remove(at);
                    }
                }
                case 1 -> { // insert bytes (mostly ones that mean something here)
                    int len = 1 + rnd.nextInt(3);
                    for (int k = 0; k < len; k++) {
                        x.add(Math.min(at, x.size()), rnd.nextInt(10) == 0 ? (byte) rnd.nextInt(256)
                                : ALPHABET[rnd.nextInt(ALPHABET.length)]);
                    }
                }
                case 2 -> { // replace a byte
                    if (!x.isEmpty()) {
                        x.set(at, rnd.nextInt(8) == 0 ? (byte) rnd.nextInt(256) : ALPHABET[rnd.nextInt(ALPHABET.length)]);
                    }
                }
                case 3 -> { // truncate
                    while (x.size() > at) {
                        x.remove(x.size() - 1);
                    }
                }
                case 4, 5 -> { // duplicate, drop or move a line
                    String s = bytesToString(x);
                    String[] lines = s.split("(?<=\n)|(?<=\r)(?!\n)", -1);
                    List<String> ls = new ArrayList<>(List.of(lines));
                    if (!ls.isEmpty()) {
                        int p = rnd.nextInt(ls.size());
                        int op = rnd.nextInt(3);
                        if (op == 0) {
                            ls.add(rnd.nextInt(ls.size() + 1), ls.get(p));
                        } else if (op == 1) {
                            ls.remove(p);
                        } else {
                            String m = ls.remove(p);
                            ls.add(rnd.nextInt(ls.size() + 1), m);
                        }
                    }
                    x = stringToBytes(String.join("", ls));
                }
                case 6 -> { // swap a delimiter for another
                    String s = bytesToString(x);
                    String[] ds = {",", "\t", "::", ";", " ", "|"};
                    String d = l.whitespace() ? " " : l.delimiter();
                    int p = s.indexOf(d, at < s.length() ? at : 0);
                    if (p >= 0) {
                        s = s.substring(0, p) + ds[rnd.nextInt(ds.length)] + s.substring(p + d.length());
                    }
                    x = stringToBytes(s);
                }
                default -> { // change line ends
                    String s = bytesToString(x);
                    s = switch (rnd.nextInt(5)) {
                        case 0 -> s.replace("\r\n", "\n").replace('\r', '\n');
                        case 1 -> s.replace("\r\n", "\n").replace("\n", "\r\n");
                        case 2 -> s.replace("\r\n", "\n").replace('\n', '\r');
                        case 3 -> s.replaceFirst("\r\n|\r|\n", "");
                        default -> s.replaceFirst("\n", "\n\r");
                    };
                    x = stringToBytes(s);
                }
            }
        }
        byte[] r = new byte[x.size()];
        for (int j = 0; j < r.length; j++) {
            r[j] = x.get(j);
        }
        return r;
    }

    private static String bytesToString(List<Byte> x) {
        byte[] b = new byte[x.size()];
        for (int j = 0; j < b.length; j++) {
            b[j] = x.get(j);
        }
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    private static List<Byte> stringToBytes(String s) {
        List<Byte> x = new ArrayList<>(s.length());
        for (byte v : s.getBytes(StandardCharsets.ISO_8859_1)) {
            x.add(v);
        }
        return x;
    }

    // ---- checks

    private static List<R> ratingsOf(Ratings r) {
        List<R> out = new ArrayList<>(r.size());
        for (int n = 0; n < r.size(); n++) {
            out.add(new R(r.userIds().externalId(r.user(n)), r.itemIds().externalId(r.item(n)), r.value(n)));
        }
        return out;
    }

    /** Null when the reader agrees with the reference on {@code bytes}; else what went wrong. */
    private String check(Layout l, byte[] bytes, boolean auto) throws IOException {
        Path f = dir.resolve(l.fileName());
        Files.write(f, bytes);
        Layout ref = l;
        ReadOptions options = l.options();
        if (auto) {
            RatingFormat detected;
            try {
                detected = RatingFormat.detect(f);
            } catch (DataFormatException e) {
                return wellFormed(f, e, bytes);
            }
            options = ReadOptions.defaults().withMaxDenseIds(MAX_DENSE_IDS);
            ref = new Layout(l.fileName(), detected, detected.delimiter(), 0, 1, 2, 0, false);
        }
        Parsed expected = reference(ref, bytes, MAX_DENSE_IDS);
        Ratings got;
        try {
            got = RatingsReader.read(f, options);
        } catch (DataFormatException e) {
            String bad = wellFormed(f, e, bytes);
            if (bad != null) {
                return bad;
            }
            if (expected.rejection() == null && !isTextCheck(e)) {
                return "reader refused what the reference accepts: " + e.getMessage();
            }
            return null;
        } catch (RuntimeException e) {
            return "not a DataFormatException: " + e;
        }
        if (expected.rejection() != null) {
            return "reader accepted (" + got.size() + " ratings) what the reference refuses: " + expected.rejection();
        }
        List<R> actual = ratingsOf(got);
        if (!actual.equals(expected.ratings())) {
            return "ratings differ: reader " + actual.size() + ", reference " + expected.ratings().size()
                    + (actual.size() < expected.ratings().size() ? " (silent drop)" : "");
        }
        if (got.numUsers() != expected.numUsers() || got.numItems() != expected.numItems()) {
            return "id space differs: " + got.numUsers() + "x" + got.numItems() + " vs " + expected.numUsers() + "x"
                    + expected.numItems();
        }
        return null;
    }

    private static boolean isTextCheck(DataFormatException e) {
        return e.line() == 0 && (e.getMessage().contains("compressed") || e.getMessage().contains("UTF-16"));
    }

    private static String wellFormed(Path f, DataFormatException e, byte[] bytes) {
        String m = e.getMessage();
        if (e.line() > 0) {
            long lines = LINE_END.split(new String(bytes, StandardCharsets.ISO_8859_1), -1).length;
            if (!m.startsWith(f + ":" + e.line() + ": ") || e.line() > lines) {
                return "bad FILE:LINE: message (line " + e.line() + " of " + lines + "): " + m;
            }
        } else if (!m.startsWith(f + ": ")) {
            return "message does not start with FILE: " + m;
        }
        if (m.contains("\n") || m.contains("\r") || m.chars().anyMatch(c -> c < 0x20)) {
            return "message is not one printable line: " + m;
        }
        return null;
    }

    /** Removes lines, then single bytes, while {@code check} still fails. */
    private byte[] shrink(Layout l, byte[] b, boolean auto) throws IOException {
        boolean progress = true;
        int budget = 400;
        while (progress && budget > 0) {
            progress = false;
            for (int cut = b.length - 1; cut >= 0 && budget > 0; cut--) {
                int from = cut;
                while (from > 0 && b[from - 1] != '\n') {
                    from--;
                }
                byte[] c = remove(b, from, cut + 1);
                budget--;
                if (c.length < b.length && check(l, c, auto) != null) {
                    b = c;
                    progress = true;
                    cut = Math.min(cut, b.length);
                }
                cut = from;
            }
        }
        for (int j = b.length - 1; j >= 0 && budget > 0; j--, budget--) {
            byte[] c = remove(b, j, j + 1);
            if (check(l, c, auto) != null) {
                b = c;
            }
        }
        return b;
    }

    private static byte[] remove(byte[] b, int from, int to) {
        byte[] c = new byte[b.length - (to - from)];
        System.arraycopy(b, 0, c, 0, from);
        System.arraycopy(b, to, c, from, b.length - to);
        return c;
    }

    private static String show(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte v : b) {
            if (sb.length() > 1500) {
                return sb + "... (" + b.length + " bytes)";
            }
            int c = v & 0xff;
            if (c == '\n') {
                sb.append("\\n");
            } else if (c == '\r') {
                sb.append("\\r");
            } else if (c == '\t') {
                sb.append("\\t");
            } else if (c < 0x20 || c >= 0x7f) {
                sb.append(String.format("\\x%02x", c));
            } else {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    private void fail(long seed, Layout l, byte[] bytes, boolean auto, String why) throws IOException {
        byte[] small = shrink(l, bytes, auto);
        throw new AssertionError("seed " + seed + " (-Dlfm.propertySeed=" + seed + " -Dlfm.propertyTries=1), " + l
                + (auto ? ", format auto" : "") + ": " + why + "\n  input:  " + show(bytes) + "\n  shrunk: " + show(small)
                + "\n  shrunk fails with: " + check(l, small, auto));
    }

    // ---- the properties

    @Test
    void validFilesRoundTripInEveryFormat() throws IOException {
        Map<RatingFormat, Integer> seen = new HashMap<>();
        for (int t = 0; t < TRIES; t++) {
            long seed = SEED + t;
            Random rnd = new Random(seed * 31);
            Layout l = layout(rnd);
            seen.merge(l.format(), 1, Integer::sum);
            List<R> expected = new ArrayList<>();
            byte[] bytes = validFile(rnd, l, expected);
            String why = check(l, bytes, false);
            try {
                if (why == null && !ratingsOf(RatingsReader.read(dir.resolve(l.fileName()), l.options())).equals(expected)) {
                    why = "round trip differs from the generated ratings";
                }
                // the same bytes through a stream, in small reads: the prefix is replayed, not lost
                InputStream trickle = new ByteArrayInputStream(bytes) {
                    @Override
                    public synchronized int read(byte[] b, int off, int len) {
                        return super.read(b, off, Math.min(len, 1 + (int) (seed % 13)));
                    }
                };
                if (why == null && !ratingsOf(RatingsReader.read(trickle, "<stdin>", l.options())).equals(expected)) {
                    why = "stream read differs from the generated ratings";
                }
                if (why == null && l.format() != RatingFormat.DELIMITED) {
                    Ratings auto = RatingsReader.read(dir.resolve(l.fileName()),
                            ReadOptions.defaults().withMaxDenseIds(MAX_DENSE_IDS));
                    if (!ratingsOf(auto).equals(expected)) {
                        why = "auto-detected read differs from the generated ratings";
                    }
                }
            } catch (RuntimeException e) {
                why = e.toString();
            }
            if (why != null) {
                fail(seed, l, bytes, false, why);
            }
        }
        assertThat(seen.keySet()).as("every format generated").hasSize(TRIES >= 50 ? 5 : seen.size());
    }

    @Test
    void corruptionsGiveTheSameRatingsOrOneFileLineError() throws IOException {
        int errors = 0;
        for (int t = 0; t < TRIES; t++) {
            long seed = SEED + t;
            Random rnd = new Random(seed * 31 + 1);
            Layout l = layout(rnd);
            byte[] bytes = corrupt(rnd, validFile(rnd, l, new ArrayList<>()), l);
            String why = check(l, bytes, false);
            if (why != null) {
                fail(seed, l, bytes, false, why);
            }
            if (reference(l, bytes, MAX_DENSE_IDS).rejection() != null) {
                errors++;
            }
        }
        // the corruptions must exercise both outcomes
        assertThat(errors).isBetween(TRIES / 10, TRIES - TRIES / 20);
    }

    @Test
    void corruptionsWithAutoDetectionToo() throws IOException {
        for (int t = 0; t < TRIES; t++) {
            long seed = SEED + t;
            Random rnd = new Random(seed * 31 + 2);
            Layout l = layout(rnd);
            if (l.format() == RatingFormat.DELIMITED) {
                continue;
            }
            byte[] bytes = corrupt(rnd, validFile(rnd, l, new ArrayList<>()), l);
            String why = check(l, bytes, true);
            if (why != null) {
                fail(seed, l, bytes, true, why);
            }
        }
    }
}
