package dev.lfm.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The parallel read against the sequential one: on random valid and corrupted files (the generators
 * of {@link RatingsReaderPropertyTest}), cut at random places (inside a {@code \r\n}, inside the
 * header, at the very start and end, several cuts in one line), read into fresh or pre-filled id
 * maps with every unknown-id and duplicate policy, both give the same ratings in the same order,
 * the same id maps, or the same one-line error (file, line and text). Seeds as in the property
 * test ({@code -Dlfm.propertyTries}, {@code -Dlfm.propertySeed}).
 */
class ChunkedReaderTest {
    private static final int TRIES = Integer.getInteger("lfm.propertyTries", 200);
    private static final long SEED = Long.getLong("lfm.propertySeed", 13L);

    @TempDir
    Path dir;

    private static ProgressMeter silent() {
        return new ProgressMeter("test", -1, true, false, new PrintStream(new java.io.ByteArrayOutputStream()),
                System::nanoTime);
    }

    /** A result to compare: the arrays, sizes, id maps and scale, or the error message. */
    private static String outcome(Ratings r, IdMap users, IdMap items) {
        int n = r.size();
        return n + " " + r.numUsers() + "x" + r.numItems()
                + " u" + Arrays.toString(Arrays.copyOf(r.users(), n))
                + " i" + Arrays.toString(Arrays.copyOf(r.items(), n))
                + " v" + Arrays.toString(Arrays.copyOf(r.values(), n))
                + " U" + Arrays.toString(users.toArray()) + " I" + Arrays.toString(items.toArray())
                + " " + r.minRating() + ".." + r.maxRating() + " same maps " + (r.userIds() == users && r.itemIds() == items);
    }

    private static String error(RuntimeException e) {
        return e instanceof DataFormatException ? "error " + e.getMessage() : "not a DataFormatException: " + e;
    }

    /** Cut positions that probe the boundary rules. */
    private static long[] cuts(Random rnd, byte[] b) {
        TreeSet<Long> cuts = new TreeSet<>();
        int count = 1 + rnd.nextInt(6);
        int firstEnd = 0;
        while (firstEnd < b.length && b[firstEnd] != '\n' && b[firstEnd] != '\r') {
            firstEnd++;
        }
        for (int j = 0; j < count; j++) {
            long at;
            switch (rnd.nextInt(6)) {
                case 0 -> { // between the \r and \n of a line end, where there is one
                    int from = rnd.nextInt(b.length + 1);
                    int p = from;
                    while (p + 1 < b.length && !(b[p] == '\r' && b[p + 1] == '\n')) {
                        p++;
                    }
                    at = p + 1 < b.length ? p + 1 : from;
                }
                case 1 -> at = 1 + rnd.nextInt(Math.max(1, firstEnd)); // inside the first line (a header)
                case 2 -> at = rnd.nextBoolean() ? 0 : b.length;
                case 3 -> { // right after a line end
                    int p = rnd.nextInt(b.length + 1);
                    while (p < b.length && b[p] != '\n' && b[p] != '\r') {
                        p++;
                    }
                    at = Math.min(b.length, p + 1);
                }
                default -> at = rnd.nextInt(b.length + 1);
            }
            cuts.add(at);
        }
        return cuts.stream().mapToLong(Long::longValue).toArray();
    }

    @Test
    void parallelReadsGiveTheSequentialResultOrError() throws IOException {
        int errors = 0;
        int parallelPieces = 0;
        for (int t = 0; t < TRIES; t++) {
            long seed = SEED + t;
            Random rnd = new Random(seed * 31 + 7);
            RatingsReaderPropertyTest.Layout l = RatingsReaderPropertyTest.layout(rnd);
            byte[] bytes = RatingsReaderPropertyTest.validFile(rnd, l, new ArrayList<>());
            if (rnd.nextInt(3) > 0) {
                bytes = RatingsReaderPropertyTest.corrupt(rnd, bytes, l);
            }
            ReadOptions o = rnd.nextInt(4) == 0 && l.format() != RatingFormat.DELIMITED
                    ? ReadOptions.defaults().withMaxDenseIds(100_000) : l.options();
            o = o.withDuplicates(DuplicatePolicy.values()[rnd.nextInt(DuplicatePolicy.values().length)]);
            boolean prefilled = rnd.nextInt(3) == 0;
            if (prefilled) {
                o = o.withUnknownIds(rnd.nextBoolean() ? UnknownIds.ADD : UnknownIds.ERROR);
            }
            long[] known = new long[rnd.nextInt(6)];
            for (int j = 0; j < known.length; j++) {
                known[j] = j; // 0..n-1: valid for LIBMF's index ids too
            }
            Path f = dir.resolve(l.fileName());
            Files.write(f, bytes);
            String expected;
            IdMap su = IdMap.of(prefilled ? known : new long[0]);
            IdMap si = IdMap.of(prefilled ? known : new long[0]);
            try {
                expected = outcome(RatingsReader.read(new ByteArrayInputStream(bytes), f.toString(), bytes.length, o, su, si),
                        su, si);
            } catch (RuntimeException e) {
                expected = error(e);
                errors++;
            }
            long[] cuts = bytes.length == 0 ? new long[] {0} : cuts(rnd, bytes);
            int threads = 1 + rnd.nextInt(3);
            IdMap pu = IdMap.of(prefilled ? known : new long[0]);
            IdMap pi = IdMap.of(prefilled ? known : new long[0]);
            String got;
            try {
                Ratings r = ChunkedReader.read(f, f.toString(), bytes.length, o, pu, pi, cuts, threads, silent());
                got = r == null ? "null (sequential fallback)" : outcome(r, pu, pi);
            } catch (RuntimeException e) {
                got = error(e);
            }
            try (FileChannel ch = FileChannel.open(f)) {
                parallelPieces += ChunkedReader.bounds(ch, bytes.length, cuts).length - 1;
            }
            if (!got.equals(expected)) {
                throw new AssertionError("seed " + seed + " (-Dlfm.propertySeed=" + seed + " -Dlfm.propertyTries=1), " + l
                        + ", " + o + ", cuts " + Arrays.toString(cuts) + ", " + threads + " threads\n  input: "
                        + new String(bytes, StandardCharsets.ISO_8859_1).replace("\r", "\\r").replace("\n", "\\n\n")
                        + "\n  sequential: " + expected + "\n  parallel:   " + got);
            }
        }
        assertThat(errors).as("both outcomes exercised").isBetween(TRIES / 10, TRIES - TRIES / 10);
        assertThat(parallelPieces).as("files really cut").isGreaterThan(TRIES * 2);
    }

    @Test
    void cutsMoveToTheNextLineStartAndTakeCrLfWhole() throws IOException {
        byte[] b = "ab\r\ncd\ref\n\ngh".getBytes(StandardCharsets.US_ASCII);
        Path f = dir.resolve("cuts.txt");
        Files.write(f, b);
        try (FileChannel ch = FileChannel.open(f)) {
            long[] expected = {0, 4, 4, 4, 4, 7, 7, 7, 10, 10, 10, 11, 13, 13, 13};
            for (int t = 0; t < expected.length; t++) {
                assertThat(ChunkedReader.lineStartAtOrAfter(ch, t, b.length)).as("cut at %d", t).isEqualTo(expected[t]);
            }
            assertThat(ChunkedReader.bounds(ch, b.length, new long[] {0, 3, 4, 5, 13})).containsExactly(0, 4, 7, 13);
        }
    }

    @Test
    void aLineLongerThanTheSearchWindowFallsBackToTheSequentialRead() throws IOException {
        Path f = dir.resolve("long.txt");
        byte[] b = new byte[(1 << 24) + 64];
        Arrays.fill(b, (byte) '1');
        b[b.length - 1] = '\n';
        Files.write(f, b);
        try (FileChannel ch = FileChannel.open(f)) {
            assertThat(ChunkedReader.lineStartAtOrAfter(ch, 10, b.length)).isEqualTo(-1);
        }
        assertThat(ChunkedReader.read(f, f.toString(), b.length, ReadOptions.of(RatingFormat.LIBMF), new IdMap(),
                new IdMap(), new long[] {10}, 2, silent())).isNull();
        assertThatThrownBy(() -> RatingsReader.read(f, ReadOptions.of(RatingFormat.LIBMF)))
                .isInstanceOf(DataFormatException.class).hasMessage(f + ":1: line longer than 16777216 bytes");
    }

    /** A file above the parallel threshold, read through the public entry point, cut the default way. */
    @Test
    void aLargeFileReadsInParallelAsSequentially() throws IOException {
        Random rnd = new Random(5);
        StringBuilder sb = new StringBuilder("userId,movieId,rating,timestamp\r\n");
        List<String> lines = new ArrayList<>();
        for (int u = 0; sb.length() < ChunkedReader.MIN_PARALLEL_BYTES + (1 << 20); u++) {
            for (int j = 0; j < 20; j++) {
                sb.append(1_000_000 + u * 7L).append(',').append(rnd.nextInt(50_000) * 3L + j % 3).append(',')
                        .append(1 + rnd.nextInt(9) / 2.0).append(',').append(900_000_000 + rnd.nextInt(1000))
                        .append(rnd.nextInt(50) == 0 ? "\n\n" : "\r\n");
            }
        }
        byte[] bytes = sb.toString().getBytes(StandardCharsets.US_ASCII);
        Path f = dir.resolve("ratings.csv");
        Files.write(f, bytes);
        ReadOptions o = ReadOptions.defaults().withDuplicates(DuplicatePolicy.LAST);
        IdMap su = new IdMap();
        IdMap si = new IdMap();
        String expected = outcome(RatingsReader.read(new ByteArrayInputStream(bytes), f.toString(), -1, o, su, si), su, si);
        IdMap pu = new IdMap();
        IdMap pi = new IdMap();
        Ratings r = ChunkedReader.read(f, f.toString(), bytes.length, o, pu, pi, 3, silent());
        assertThat(r).as("read in parallel").isNotNull();
        assertThat(outcome(r, pu, pi)).isEqualTo(expected);
        // a bad line deep in the file: the same FILE:LINE as the sequential read
        int at = bytes.length * 3 / 4;
        while (bytes[at] != '\n') {
            at++;
        }
        byte[] bad = Arrays.copyOf(bytes, bytes.length);
        bad[at + 3] = 'x';
        Files.write(f, bad);
        String seq = error(assertThrows(() -> RatingsReader.read(new ByteArrayInputStream(bad), f.toString(), o)));
        String par = error(assertThrows(() -> ChunkedReader.read(f, f.toString(), bad.length, o, new IdMap(),
                new IdMap(), 3, silent())));
        assertThat(seq).contains(":" + (lineOfByte(bad, at + 3)) + ": ");
        assertThat(par).isEqualTo(seq);
    }

    private static long lineOfByte(byte[] b, int at) {
        long line = 1;
        for (int j = 0; j < at; j++) {
            if (b[j] == '\n' || (b[j] == '\r' && b[j + 1] != '\n')) {
                line++;
            }
        }
        return line;
    }

    private interface Read {
        Object run() throws IOException;
    }

    private static RuntimeException assertThrows(Read r) throws IOException {
        try {
            r.run();
        } catch (RuntimeException e) {
            return e;
        }
        throw new AssertionError("no error");
    }
}
