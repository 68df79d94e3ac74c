package dev.lfm.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Splits, Split, RatingFormat detection and DataFormatException against hand-computed results. */
class SplitsByHandTest {
    private static Ratings positions(int n) {
        int[] u = new int[n];
        int[] i = new int[n];
        float[] v = new float[n];
        for (int j = 0; j < n; j++) {
            u[j] = j % 7;
            i[j] = j;
            v[j] = j;
        }
        return new Ratings(7, n, u, i, v, n, null, null, 0, n);
    }

    @Test
    void sizesAreRoundedHalfUp() {
        // 10 ratings: test round(2.5) = 3, validation round(7 * 0.5) = round(3.5) = 4, train 3
        Split s = Splits.random(positions(10), 0.25, 0.5, 1);
        assertThat(s.test().size()).isEqualTo(3);
        assertThat(s.validation().size()).isEqualTo(4);
        assertThat(s.train().size()).isEqualTo(3);
        // 11 ratings: test round(1.1) = 1, validation round(10 * 0.34) = 3, train 7
        Split t = Splits.random(positions(11), 0.1, 0.34, 1);
        assertThat(t.test().size()).isEqualTo(1);
        assertThat(t.validation().size()).isEqualTo(3);
        assertThat(t.train().size()).isEqualTo(7);
        assertThat(t.train().users()).hasSize(7);
        assertThat(t.test().values()).hasSize(1);
        Split none = Splits.random(positions(10), 0, 0, 1);
        assertThat(none.train().size()).isEqualTo(10);
        assertThat(none.train().values()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    }

    @Test
    void partsCarryTheirRatingsWithTheSourceScaleAndIdSpace() {
        Ratings r = positions(50);
        Split s = Splits.random(r, 0.2, 0.25, 3);
        for (Ratings part : new Ratings[] {s.train(), s.validation(), s.test()}) {
            assertThat(part.numUsers()).isEqualTo(7);
            assertThat(part.numItems()).isEqualTo(50);
            assertThat(part.minRating()).isEqualTo(0f);
            assertThat(part.maxRating()).isEqualTo(50f);
            for (int j = 0; j < part.size(); j++) {
                int pos = (int) part.value(j);
                assertThat(part.item(j)).isEqualTo(pos);
                assertThat(part.user(j)).isEqualTo(pos % 7);
            }
        }
    }

    @Test
    void everyPositionIsEquallyLikelyToBeHeldOut() {
        int[] inTest = new int[20];
        int[] inVal = new int[20];
        for (long seed = 0; seed < 4000; seed++) {
            Split s = Splits.random(positions(20), 0.25, 0.2, seed);
            for (int j = 0; j < s.test().size(); j++) {
                inTest[(int) s.test().value(j)]++;
            }
            for (int j = 0; j < s.validation().size(); j++) {
                inVal[(int) s.validation().value(j)]++;
            }
        }
        // test: 5 of 20 (p = 0.25, 1000 expected); validation: 3 of 15 (p = 0.15, 600 expected)
        for (int j = 0; j < 20; j++) {
            assertThat(inTest[j]).isBetween(880, 1120);
            assertThat(inVal[j]).isBetween(500, 700);
        }
    }

    @Test
    void fractionsOutsideTheRangeAreRefused() {
        assertThatThrownBy(() -> Splits.random(positions(10), 0.2, 1.0, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("validation fraction must be in [0, 1), got 1.0");
        assertThatThrownBy(() -> Splits.random(positions(10), 0.2, Double.NaN, 1))
                .hasMessage("validation fraction must be in [0, 1), got NaN");
        assertThatThrownBy(() -> Splits.random(positions(10), -0.01, 0, 1))
                .hasMessage("test fraction must be in [0, 1), got -0.01");
        assertThatThrownBy(() -> Splits.random(positions(10), Double.NaN, 0, 1)).hasMessageContaining("test fraction");
        assertThat(Splits.random(positions(10), 0.99, 0.99, 1).test().size()).isEqualTo(10);
        assertThat(Splits.DEFAULT_TEST_FRACTION).isEqualTo(0.2);
        Split d = Splits.random(positions(10), 5);
        assertThat(d.test().size()).isEqualTo(2);
        assertThat(d.validation().size()).isZero();
        assertThat(d.test().values()).isEqualTo(Splits.random(positions(10), 0.2, 0, 5).test().values());
    }

    @Test
    void ofWidensToTheUnionIdSpaceAndScale() {
        IdMap users = IdMap.of(new long[] {1, 2, 3, 4, 5, 6});
        IdMap items = IdMap.of(new long[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
        // train knows 3 users x 4 items; the id maps already hold 6 users; test reaches item 8
        Ratings train = new Ratings(3, 4, new int[] {0, 1, 2, 0}, new int[] {0, 1, 2, 3}, new float[] {2, 3, 4, 5},
                4, users, items, 2, 5);
        Ratings test = new Ratings(5, 9, new int[] {4}, new int[] {8}, new float[] {0.5f}, 1, users, items, 0.5f, 4);
        Split s = Splits.of(train, test, 0.25, 7);
        assertThat(s.numUsers()).isEqualTo(6);
        assertThat(s.numItems()).isEqualTo(9);
        assertThat(s.train().size()).isEqualTo(3);
        assertThat(s.validation().size()).isEqualTo(1);
        assertThat(s.test().size()).isEqualTo(1);
        assertThat(s.test().value(0)).isEqualTo(0.5f);
        for (Ratings part : new Ratings[] {s.train(), s.validation(), s.test()}) {
            assertThat(part.minRating()).isEqualTo(0.5f);
            assertThat(part.maxRating()).isEqualTo(5f);
            assertThat(part.userIds()).isSameAs(users);
        }
        // the widest of each side wins: train's own counts
        IdMap u2 = IdMap.of(new long[] {1});
        IdMap i2 = IdMap.of(new long[] {1});
        Ratings wideTrain = new Ratings(4, 6, new int[] {3}, new int[] {5}, new float[] {1}, 1, u2, i2, 1, 3);
        Ratings narrowTest = new Ratings(2, 3, new int[] {1}, new int[] {2}, new float[] {6}, 1, u2, i2, 2, 6);
        Split w = Splits.of(wideTrain, narrowTest, 0, 7);
        assertThat(w.numUsers()).isEqualTo(4);
        assertThat(w.numItems()).isEqualTo(6);
        assertThat(w.test().maxRating()).isEqualTo(6f);
        assertThat(w.train().minRating()).isEqualTo(1f);
        // and the test set's
        Split t = Splits.of(narrowTest, wideTrain, 0, 7);
        assertThat(t.numUsers()).isEqualTo(4);
        assertThat(t.numItems()).isEqualTo(6);
        assertThatThrownBy(() -> Splits.of(train, new Ratings(6, 9, new int[0], new int[0], new float[0], 0,
                IdMap.of(new long[] {1}), items, 1, 5), 0, 1)).hasMessage("train and test must share id maps");
        assertThatThrownBy(() -> Splits.of(train, new Ratings(6, 9, new int[0], new int[0], new float[0], 0,
                users, IdMap.of(new long[] {1}), 1, 5), 0, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void splitRecordChecksOneIdSpace() {
        Ratings a = new Ratings(3, 4, new int[] {0}, new int[] {0}, new float[] {1}, 1, null, null, 1, 5);
        Ratings empty = new Ratings(3, 4, new int[0], new int[0], new float[0], 0, null, null, 1, 5);
        Split s = new Split(a, a, empty);
        assertThat(s.hasValidation()).isTrue();
        assertThat(new Split(a, empty, a).hasValidation()).isFalse();
        assertThat(s.toString()).isEqualTo("train 1, validation 1, test 0 (3 users x 4 items)");
        Ratings[] others = {
            new Ratings(2, 4, new int[0], new int[0], new float[0], 0, null, null, 1, 5),
            new Ratings(3, 5, new int[0], new int[0], new float[0], 0, null, null, 1, 5),
        };
        for (Ratings o : others) {
            assertThatThrownBy(() -> new Split(a, a, o)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new Split(a, o, a)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new Split(o, a, a)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    // ------------------------------------------------------------------ RatingFormat, DataFormatException

    private static RatingFormat detect(String name, String head) {
        byte[] b = head.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        return RatingFormat.detect(name, b, b.length);
    }

    @Test
    void detectionRules() {
        assertThat(detect("x/u.data", "1,2,3")).isEqualTo(RatingFormat.MOVIELENS_100K);
        assertThat(detect("ua.base", "1,2,3")).isEqualTo(RatingFormat.MOVIELENS_100K);
        assertThat(detect("u1.test", "")).isEqualTo(RatingFormat.MOVIELENS_100K);
        assertThat(detect("ratings.csv", "1::2::3,4")).isEqualTo(RatingFormat.MOVIELENS_CSV);
        assertThat(detect("ratings.CSV", "1::2::3")).isEqualTo(RatingFormat.MOVIELENS_DAT);
        assertThat(detect("r.txt", "1::2::3,4")).isEqualTo(RatingFormat.MOVIELENS_DAT);
        assertThat(detect("r.txt", "1,2,3")).isEqualTo(RatingFormat.MOVIELENS_CSV);
        assertThat(detect("r.txt", "1\t2\t3\t4")).isEqualTo(RatingFormat.MOVIELENS_100K);
        assertThat(detect("r.txt", "1\t2\t3")).isEqualTo(RatingFormat.MOVIELENS_100K);
        assertThat(detect("r.txt", "  0 5  3.5 ")).isEqualTo(RatingFormat.LIBMF);
        assertThat(detect("r.txt", "0\t5 3.5")).isEqualTo(RatingFormat.LIBMF);
        assertThat(detect("r.txt", "1\t2 3 4")).isEqualTo(RatingFormat.MOVIELENS_100K);
        assertThat(detect("r.txt", "\u00EF\u00BB\u00BF1,2,3")).isEqualTo(RatingFormat.MOVIELENS_CSV);
        assertThat(detect("r.txt", "\n  \r\n\r1::2::3")).isEqualTo(RatingFormat.MOVIELENS_DAT);
        assertThatThrownBy(() -> detect("r.txt", " \n\t\n")).isInstanceOf(DataFormatException.class)
                .hasMessage("r.txt: no ratings found");
        assertThatThrownBy(() -> detect("r.txt", "\n\r\n \rhello world\n"))
                .hasMessage("r.txt:4: cannot tell the rating format from this line; give --format");
        assertThatThrownBy(() -> detect("r.txt", "1 2 3 4"))
                .hasMessage("r.txt:1: cannot tell the rating format from this line; give --format");
    }

    @Test
    void formatNamesAndDefaults() {
        assertThat(RatingFormat.MOVIELENS_CSV.cliName()).isEqualTo("movielens-csv");
        assertThat(RatingFormat.MOVIELENS_100K.cliName()).isEqualTo("movielens-100k");
        assertThat(RatingFormat.LIBMF.cliName()).isEqualTo("libmf");
        assertThat(RatingFormat.LIBMF.denseIds()).isTrue();
        assertThat(RatingFormat.MOVIELENS_CSV.denseIds()).isFalse();
        assertThat(RatingFormat.MOVIELENS_DAT.delimiter()).isEqualTo("::");
        assertThat(RatingFormat.DELIMITED.delimiter()).isNull();
        assertThat(RatingFormat.MOVIELENS_CSV.header()).isEqualTo(ReadOptions.Header.DETECT);
        assertThat(RatingFormat.MOVIELENS_100K.header()).isEqualTo(ReadOptions.Header.NONE);
    }

    @Test
    void detectFromAFile(@TempDir Path dir) throws IOException {
        Path dat = Files.writeString(dir.resolve("r.txt"), "1::2::3::4\n");
        assertThat(RatingFormat.detect(dat)).isEqualTo(RatingFormat.MOVIELENS_DAT);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write("1,2,3\n".getBytes());
        }
        Path gz = Files.write(dir.resolve("r.gz.txt"), bytes.toByteArray());
        assertThatThrownBy(() -> RatingFormat.detect(gz)).isInstanceOf(DataFormatException.class)
                .hasMessageContaining("compressed");
        assertThatThrownBy(() -> RatingFormat.detect(dir.resolve("absent.csv")))
                .hasMessageEndingWith("absent.csv: no such file");
    }

    @Test
    void dataFormatExceptionNamesFileAndLine() {
        DataFormatException e = new DataFormatException("a.csv", 17, "bad");
        assertThat(e.getMessage()).isEqualTo("a.csv:17: bad");
        assertThat(e.file()).isEqualTo("a.csv");
        assertThat(e.line()).isEqualTo(17);
        assertThat(new DataFormatException("a.csv", 1, "bad").getMessage()).isEqualTo("a.csv:1: bad");
        DataFormatException whole = new DataFormatException("b.csv", "empty");
        assertThat(whole.getMessage()).isEqualTo("b.csv: empty");
        assertThat(whole.line()).isZero();
        assertThat(whole.file()).isEqualTo("b.csv");
    }

    @Test
    void seededSplitIsTheDocumentedShuffleOfPartLabels() {
        // round(n * f) labels 2, then round(rest * v) labels 1, shuffled by the project's Fisher–Yates
        int n = 30;
        byte[] part = new byte[n];
        java.util.Arrays.fill(part, 0, 6, (byte) 2);
        java.util.Arrays.fill(part, 6, 12, (byte) 1);
        SplittableRandom rnd = new SplittableRandom(99);
        for (int j = n - 1; j >= 1; j--) {
            int k = rnd.nextInt(j + 1);
            byte t = part[j];
            part[j] = part[k];
            part[k] = t;
        }
        StringBuilder expected = new StringBuilder();
        for (int j = 0; j < n; j++) {
            expected.append(part[j]);
        }
        Split s = Splits.random(positions(n), 0.2, 0.25, 99);
        char[] got = new char[n];
        for (int k = 0; k < 3; k++) {
            Ratings r = k == 0 ? s.train() : k == 1 ? s.validation() : s.test();
            for (int j = 0; j < r.size(); j++) {
                got[(int) r.value(j)] = (char) ('0' + k);
            }
        }
        assertThat(new String(got)).isEqualTo(expected.toString());
    }
}
