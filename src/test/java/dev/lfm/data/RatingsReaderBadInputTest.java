package dev.lfm.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.lfm.LfmException;
import dev.lfm.TestData;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Inputs from the issue-13 campaign that used to lose data silently or end in a stack trace. */
class RatingsReaderBadInputTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        return write(name, text.getBytes(StandardCharsets.UTF_8));
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path f = dir.resolve(name);
        Files.write(f, bytes);
        return f;
    }

    private static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A header-less CSV of {@code lines} ratings (about 12 bytes a line). */
    private static String csv(int lines) {
        StringBuilder sb = new StringBuilder();
        for (int j = 0; j < lines; j++) {
            sb.append(j % 97).append(',').append(j).append(',').append(j % 9 * 0.5 + 0.5).append('\n');
        }
        return sb.toString();
    }

    // 1. non-seekable input: format detected from a prefix that is then replayed

    @Test
    void streamLosesNothingToFormatDetection() {
        String text = "userId,movieId,rating,timestamp\n" + csv(20_000).replace("\n", ",1\n");
        Ratings r = RatingsReader.read(stream(text), RatingsReader.STDIN_NAME, ReadOptions.defaults());
        assertThat(r.size()).isEqualTo(20_000);
        assertThat(r.userIds().externalId(r.user(0))).isEqualTo(0);
        assertThat(r.itemIds().externalId(r.item(19_999))).isEqualTo(19_999);
        Ratings small = RatingsReader.read(stream("1,2,3\n4,5,1.5\n"), "<stdin>", ReadOptions.defaults());
        assertThat(small.size()).isEqualTo(2);
        assertThatThrownBy(() -> RatingsReader.read(stream("1,2,3\n1,x,3\n"), "<stdin>", ReadOptions.defaults()))
                .isInstanceOf(DataFormatException.class).hasMessage("<stdin>:2: item id 'x' is not an integer");
    }

    @Test
    void fifoIsReadOnceAndFully() throws Exception {
        Path fifo = dir.resolve("ratings.fifo");
        Process mk;
        try {
            mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        } catch (IOException e) {
            Assumptions.abort("mkfifo not available: " + e.getMessage());
            return;
        }
        Assumptions.assumeTrue(mk.waitFor() == 0, "mkfifo failed");
        String text = csv(30_000);
        Thread writer = new Thread(() -> {
            try (OutputStream out = Files.newOutputStream(fifo)) {
                out.write(text.getBytes(StandardCharsets.US_ASCII));
            } catch (IOException ignored) {
                // the reader side reports what it got
            }
        });
        writer.setDaemon(true);
        writer.start();
        Ratings r = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> RatingsReader.read(fifo));
        assertThat(r.size()).isEqualTo(30_000);
    }

    @Test
    void movieLensThroughAStreamMatchesTheFile() throws IOException {
        Path f = TestData.movieLensSmall();
        try (InputStream in = Files.newInputStream(f)) {
            Ratings r = RatingsReader.read(in, "<stdin>", ReadOptions.defaults());
            assertThat(r.size()).isEqualTo(100836);
            assertThat(r.numUsers()).isEqualTo(610);
        }
    }

    // 2. a header is recognised by its content, never by a line that fails to parse

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            -1,5,4.0     | :1: negative user id '-1'
            +1,5,4.0     | :1: user id '+1' is not an integer
            ,5,4.0       | :1: missing user id
            "1","5","4.0" | :1: user id '"1"' is not an integer
            1,5,abc      | :1: rating 'abc' is not a number
            x1,5,4.0     | :1: user id 'x1' is not an integer
            """)
    void badFirstLineIsAnErrorNotAHeader(String first, String message) throws IOException {
        Path f = write("ratings.csv", first + "\n1,1,4.0\n1,2,3.0\n");
        assertThatThrownBy(() -> RatingsReader.read(f)).isInstanceOf(DataFormatException.class)
                .hasMessage(f + message);
    }

    @Test
    void headersAreRecognisedByTheirNames() throws IOException {
        for (String h : new String[] {"userId,movieId,rating,timestamp", "\"userId\",\"movieId\",\"rating\"",
                "user, item ,score", "user_id,item_id,rating"}) {
            Path f = write("h.csv", h + "\n1,1,4.0\n1,2,3.0\n");
            assertThat(RatingsReader.read(f).size()).as(h).isEqualTo(2);
        }
    }

    @Test
    void detectionSkipsTheBomAndKnowsTabbedLibmf() throws IOException {
        assertThat(RatingFormat.detect(write("a.txt", "\uFEFF  1 \t 2 3.5\n"))).isEqualTo(RatingFormat.LIBMF);
        assertThat(RatingFormat.detect(write("b.txt", "1\t2\t3\t4\n"))).isEqualTo(RatingFormat.MOVIELENS_100K);
        assertThat(RatingFormat.detect(write("c.txt", "1 2\t3 4 5\n"))).isEqualTo(RatingFormat.MOVIELENS_100K);
    }

    // 3. a lone CR ends a line (old Mac files); CRLF stays one line end

    @Test
    void crOnlyLineEnds() throws IOException {
        Path f = write("mac.csv", "userId,movieId,rating\r1,1,4\r1,2,3.5\r\r2,1,5\r");
        Ratings r = RatingsReader.read(f);
        assertThat(r.size()).isEqualTo(3);
        assertThat(r.value(2)).isEqualTo(5f);
        Path bad = write("mac2.csv", "1,1,4\r1,2,3.5\r\n\r\n2,1,x\r3,3,3");
        assertThatThrownBy(() -> RatingsReader.read(bad)).hasMessage(bad + ":4: rating 'x' is not a number");
        Ratings s = RatingsReader.read(stream("0 0 1\r1 1 2\r"), "<stdin>", ReadOptions.defaults());
        assertThat(s.size()).isEqualTo(2);
    }

    @Test
    void crAtABufferBoundaryBeforeLf() throws IOException {
        // a CRLF split across two reads must stay one line end
        String text = csv(200_000).replace("\n", "\r\n") + "1,1,x\r\n";
        InputStream trickle = new InputStream() {
            private final byte[] b = text.getBytes(StandardCharsets.US_ASCII);
            private int p;

            @Override
            public int read() {
                return p < b.length ? b[p++] : -1;
            }

            @Override
            public int read(byte[] out, int off, int len) {
                if (p >= b.length) {
                    return -1;
                }
                int n = Math.min(Math.min(len, 7919), b.length - p);
                System.arraycopy(b, p, out, off, n);
                p += n;
                return n;
            }
        };
        assertThatThrownBy(() -> RatingsReader.read(trickle, "t", ReadOptions.of(RatingFormat.MOVIELENS_CSV)))
                .hasMessage("t:200001: rating 'x' is not a number");
    }

    // 4. ratings that cannot be trained on in float32

    @ParameterizedTest
    @CsvSource({"1e30", "1e19", "1e6", "-1e6", "10000.5", "1e39", "1e400"})
    void absurdRatingsAreRefused(String v) throws IOException {
        Path f = write("r.csv", "1,1,4\n1,2," + v + "\n");
        assertThatThrownBy(() -> RatingsReader.read(f)).isInstanceOf(DataFormatException.class)
                .hasMessage(f + ":2: rating '" + v + "' is outside -10000..10000, the range lfm trains on in float32");
    }

    @Test
    void ratingsAtTheLimitAreKept() throws IOException {
        Ratings r = RatingsReader.read(write("r.csv", "1,1,10000\n1,2,-10000\n"));
        assertThat(r.minRating()).isEqualTo(-10000f);
        assertThat(r.maxRating()).isEqualTo(10000f);
    }

    // 5. user-caused option and id-space errors are one clear line

    @Test
    void emptyDelimiterIsAUserError() {
        assertThatThrownBy(() -> ReadOptions.delimited("", 0, 1, 2)).isInstanceOf(LfmException.class)
                .isNotInstanceOf(IllegalArgumentException.class)
                .hasMessage("the delimiter is empty: give one or more characters (',' ';' '::', a tab)");
        assertThatThrownBy(() -> ReadOptions.delimited("a\nb", 0, 1, 2)).isInstanceOf(LfmException.class)
                .hasMessage("the delimiter must not contain a line break");
    }

    @Test
    void libmfAgainstNonIndexIdsIsOneLine() throws IOException {
        IdMap users = IdMap.of(new long[] {10, 20, 30});
        IdMap items = IdMap.of(new long[] {10, 20, 30});
        Path f = write("t.txt", "1 1 4\n2 2 3\n");
        assertThatThrownBy(() -> RatingsReader.read(f, ReadOptions.of(RatingFormat.LIBMF), users, items))
                .isInstanceOf(DataFormatException.class)
                .hasMessage(f + ": LIBMF ids are 0-based indices, but the user ids it is read against are not "
                        + "0..n-1 (index 0 is id 10): read it in the format of the training file");
    }

    @Test
    void hugeLibmfIdIsRefusedBeforeAllocating() throws IOException {
        Path f = write("typo.txt", "0 0 4\n100000000 2 3\n1 1 5\n");
        assertThatThrownBy(() -> RatingsReader.read(f)).isInstanceOf(DataFormatException.class)
                .hasMessage(f + ":2: user id 100000000 would make an id space of 100000001 users (LIBMF ids are "
                        + "0-based indices), more than the limit of 67108864 (if the ids are right, raise it with --max-ids)");
        Path g = write("small.txt", "0 0 4\n1 9 3\n");
        ReadOptions tight = ReadOptions.of(RatingFormat.LIBMF).withMaxDenseIds(9);
        assertThatThrownBy(() -> RatingsReader.read(g, tight))
                .hasMessage(g + ":2: item id 9 would make an id space of 10 items (LIBMF ids are 0-based indices), "
                        + "more than the limit of 9 (if the ids are right, raise it with --max-ids)");
        assertThat(RatingsReader.read(g, tight.withMaxDenseIds(10)).numItems()).isEqualTo(10);
        assertThatThrownBy(() -> ReadOptions.defaults().withMaxDenseIds(0)).isInstanceOf(LfmException.class);
    }

    // 11. compressed, binary and unreadable files

    @Test
    void compressedAndBinaryFilesAreNamedNotPrinted() throws IOException {
        Path gz = dir.resolve("ratings.csv.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(csv(100).getBytes(StandardCharsets.US_ASCII));
        }
        assertThatThrownBy(() -> RatingsReader.read(gz)).hasMessage(gz + ": looks compressed (gzip); decompress it first");
        assertThatThrownBy(() -> RatingsReader.read(gz, ReadOptions.of(RatingFormat.MOVIELENS_CSV)))
                .hasMessage(gz + ": looks compressed (gzip); decompress it first");
        Path zip = write("r.zip", new byte[] {'P', 'K', 3, 4, 20, 0, 0, 0, 8, 0});
        assertThatThrownBy(() -> RatingsReader.read(zip)).hasMessage(zip + ": looks compressed (zip); decompress it first");
        byte[] elf = new byte[300];
        elf[0] = 0x7f;
        elf[1] = 'E';
        elf[2] = 'L';
        elf[3] = 'F';
        elf[4] = 2;
        Path bin = write("bin.dat", elf);
        assertThatThrownBy(() -> RatingsReader.read(bin, ReadOptions.of(RatingFormat.LIBMF)))
                .hasMessage(bin + ": is not text (it holds NUL bytes)");
        Path u16 = write("u16.csv", "\uFEFF1,1,4\n".getBytes(StandardCharsets.UTF_16LE));
        assertThatThrownBy(() -> RatingsReader.read(u16)).hasMessage(u16 + ": is UTF-16 text; save it as UTF-8");
    }

    @Test
    void oddBytesInALineAreNotPrintedRaw() throws IOException {
        Path f = write("r.csv", "1,1,4\n1,2,4\u0007\u00e9\uFFFD\n".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> RatingsReader.read(f)).hasMessage(f + ":2: rating '4?é?' is not a number");
    }

    @Test
    void unreadableFilesSayWhy() throws IOException {
        assertThatThrownBy(() -> RatingsReader.read(dir)).isInstanceOf(DataFormatException.class)
                .hasMessage(dir + ": cannot read: is a directory");
        InputStream failing = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("Input/output error");
            }
        };
        assertThatThrownBy(() -> RatingsReader.read(failing, "<stdin>", ReadOptions.defaults()))
                .isInstanceOf(DataFormatException.class).hasMessage("<stdin>: cannot read: Input/output error");
        Path locked = write("locked.csv", "1,1,4\n");
        Assumptions.assumeTrue(locked.toFile().setReadable(false, false) && !Files.isReadable(locked),
                "running as root: permission bits are not enforced");
        assertThatThrownBy(() -> RatingsReader.read(locked)).hasMessage(locked + ": cannot read: permission denied");
    }

    // lines merged by a lost line break are not read as one rating with extra fields

    @Test
    void fieldCountMustStaySteady() throws IOException {
        Path f = write("ratings.csv", "userId,movieId,rating,timestamp\n1,1,4.0,964982703\n1,3,4.5,9649812471,6,4.0,964982224\n");
        assertThatThrownBy(() -> RatingsReader.read(f))
                .hasMessage(f + ":3: 7 fields, but line 2 has 4 (a lost line break or a stray delimiter?)");
        Path g = write("u.txt", "0 0 4\n1 1 51 2 3\n");
        assertThatThrownBy(() -> RatingsReader.read(g))
                .hasMessage(g + ":2: 5 fields, but line 1 has 3 (a lost line break or a stray delimiter?)");
    }
}
