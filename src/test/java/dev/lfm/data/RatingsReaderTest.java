package dev.lfm.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.lfm.TestData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RatingsReaderTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path f = dir.resolve(name);
        Files.write(f, text.getBytes(StandardCharsets.UTF_8));
        return f;
    }

    /** The ratings as "userId:itemId=value" in file ids, in stored order. */
    private static String dump(Ratings r) {
        StringBuilder sb = new StringBuilder();
        for (int n = 0; n < r.size(); n++) {
            if (n > 0) {
                sb.append(' ');
            }
            sb.append(r.userIds().externalId(r.user(n))).append(':').append(r.itemIds().externalId(r.item(n)))
                    .append('=').append(r.value(n));
        }
        return sb.toString();
    }

    @Test
    void readsMovieLens100k() throws IOException {
        Path f = write("u.data", "196\t242\t3\t881250949\n186\t302\t3\t891717742\n196\t377\t1\t878887116\n");
        Ratings r = RatingsReader.read(f);
        assertThat(dump(r)).isEqualTo("196:242=3.0 186:302=3.0 196:377=1.0");
        assertThat(r.numUsers()).isEqualTo(2);
        assertThat(r.numItems()).isEqualTo(3);
        assertThat(r.user(0)).isEqualTo(r.user(2));
        assertThat(r.minRating()).isEqualTo(1f);
        assertThat(r.maxRating()).isEqualTo(3f);
        assertThat(RatingFormat.detect(f)).isEqualTo(RatingFormat.MOVIELENS_100K);
    }

    @Test
    void readsMovieLensDat() throws IOException {
        Path f = write("ratings.dat", "1::1193::5::978300760\n1::661::3::978302109\n2::1193::4::978300275\n");
        Ratings r = RatingsReader.read(f);
        assertThat(RatingFormat.detect(f)).isEqualTo(RatingFormat.MOVIELENS_DAT);
        assertThat(dump(r)).isEqualTo("1:1193=5.0 1:661=3.0 2:1193=4.0");
        assertThat(r.numItems()).isEqualTo(2);
    }

    @Test
    void readsMovieLensCsvWithCrlf() throws IOException {
        Path f = write("ratings.csv", "userId,movieId,rating,timestamp\r\n1,1,4.0,964982703\r\n1,3,4.5,964981247\r\n"
                + "\r\n7,3,0.5,964982224\r\n");
        Ratings r = RatingsReader.read(f);
        assertThat(RatingFormat.detect(f)).isEqualTo(RatingFormat.MOVIELENS_CSV);
        assertThat(dump(r)).isEqualTo("1:1=4.0 1:3=4.5 7:3=0.5");
        assertThat(r.minRating()).isEqualTo(0.5f);
        assertThat(r.maxRating()).isEqualTo(4.5f);
    }

    @Test
    void csvWithoutHeaderAndWithoutFinalNewlineAndBom() throws IOException {
        Path f = write("r.csv", "\uFEFF10,20,1.25\n11,20,2");
        assertThat(dump(RatingsReader.read(f))).isEqualTo("10:20=1.25 11:20=2.0");
    }

    @Test
    void readsLibmfKeepingIds() throws IOException {
        Path f = write("train.txt", "0 0 0.5\n3  1\t2.5\n  2 4 -1e0\n");
        Ratings r = RatingsReader.read(f);
        assertThat(RatingFormat.detect(f)).isEqualTo(RatingFormat.LIBMF);
        assertThat(r.numUsers()).isEqualTo(4);
        assertThat(r.numItems()).isEqualTo(5);
        assertThat(r.user(1)).isEqualTo(3);
        assertThat(r.item(2)).isEqualTo(4);
        assertThat(r.value(2)).isEqualTo(-1f);
        assertThat(r.userIds().externalId(2)).isEqualTo(2);
    }

    @Test
    void libmfTestFileSharesIndexSpace() throws IOException {
        Ratings train = RatingsReader.read(write("tr.txt", "0 0 1\n1 1 2\n"));
        Path test = write("te.txt", "5 1 3\n");
        Ratings t = RatingsReader.read(test, ReadOptions.of(RatingFormat.LIBMF), train.userIds(), train.itemIds());
        assertThat(t.user(0)).isEqualTo(5);
        assertThat(t.numUsers()).isEqualTo(6);
        assertThat(train.userIds().size()).isEqualTo(6);
        assertThatThrownBy(() -> RatingsReader.read(write("te2.txt", "0 9 3\n"),
                ReadOptions.of(RatingFormat.LIBMF).withUnknownIds(UnknownIds.ERROR), train.userIds(), train.itemIds()))
                .isInstanceOf(DataFormatException.class).hasMessageEndingWith("te2.txt:1: unknown item id 9");
    }

    @Test
    void readsGenericDelimitedWithColumnsAndHeader() throws IOException {
        Path f = write("x.psv", "ts|rating|item|user\n99|4.5|7|12\n98|2|8|12\n");
        ReadOptions o = ReadOptions.delimited("|", 3, 2, 1).withHeader(ReadOptions.Header.SKIP);
        assertThat(dump(RatingsReader.read(f, o))).isEqualTo("12:7=4.5 12:8=2.0");
        Path g = write("x.txt", "1;;2;;3\n4;;5;;6\n");
        assertThat(dump(RatingsReader.read(g, ReadOptions.delimited(";;", 0, 1, 2)))).isEqualTo("1:2=3.0 4:5=6.0");
    }

    @Test
    void largeIdsAndManyLinesAcrossBufferBoundaries() throws IOException {
        StringBuilder sb = new StringBuilder();
        int lines = 120_000;
        for (int j = 0; j < lines; j++) {
            sb.append(9_000_000_000_000L + j % 5000).append(',').append(j).append(',').append(j % 10 * 0.5).append('\n');
        }
        Ratings r = RatingsReader.read(write("big.csv", sb.toString()));
        assertThat(r.size()).isEqualTo(lines);
        assertThat(r.numUsers()).isEqualTo(5000);
        assertThat(r.userIds().externalId(r.user(lines - 1))).isEqualTo(9_000_000_000_000L + (lines - 1) % 5000);
        assertThat(r.value(lines - 1)).isEqualTo((lines - 1) % 10 * 0.5f);
        assertThat(r.mean()).isCloseTo(2.25, within(1e-9));
    }

    @Test
    void parsesDecimalsExactly() {
        String[] texts = {"3", "3.5", "0.1", "-2.75", "+1", "1e3", "2.5E-2", "4.", ".5", "123456789.123456789",
                "0.000000000000000000000000001", "3.4028235e38"};
        for (String t : texts) {
            byte[] b = t.getBytes(StandardCharsets.US_ASCII);
            assertThat(Numbers.parseDecimal(b, 0, b.length)).as(t).isEqualTo(Double.parseDouble(t));
        }
        for (String t : new String[] {"", "-", ".", "e3", "1e", "1.2.3", "abc", "1,5", "0x10", "NaN", "1f"}) {
            byte[] b = t.getBytes(StandardCharsets.US_ASCII);
            assertThat(Numbers.parseDecimal(b, 0, b.length)).as(t).isNaN();
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            1,2,abc             | ratings.csv:3: rating 'abc' is not a number
            1,2,NaN             | ratings.csv:3: rating 'NaN' is not finite
            1,2,-Infinity       | ratings.csv:3: rating '-Infinity' is not finite
            1,2,1e39            | ratings.csv:3: rating '1e39' is outside -10000..10000, the range lfm trains on in float32
            1,2                 | ratings.csv:3: missing field: found 2 fields, need 3 (user, item, rating)
            1,2,                | ratings.csv:3: missing rating
            ,2,3                | ratings.csv:3: missing user id
            -4,2,3              | ratings.csv:3: negative user id '-4'
            4,-2,3              | ratings.csv:3: negative item id '-2'
            4.5,2,3             | ratings.csv:3: user id '4.5' is not an integer
            4,x2,3              | ratings.csv:3: item id 'x2' is not an integer
            99999999999999999999,2,3 | ratings.csv:3: user id '99999999999999999999' is too large
            """)
    void badLinesNameFileAndLine(String bad, String message) throws IOException {
        Path f = write("ratings.csv", "userId,movieId,rating,timestamp\r\n1,1,4.0,1\r\n" + bad + "\r\n5,5,5,5\r\n");
        assertThatThrownBy(() -> RatingsReader.read(f))
                .isInstanceOf(DataFormatException.class)
                .hasMessage(f + message.substring("ratings.csv".length()))
                .satisfies(e -> assertThat(((DataFormatException) e).line()).isEqualTo(3));
    }

    @Test
    void emptyMissingAndHeaderOnlyFiles() throws IOException {
        Path empty = write("ratings.csv", "");
        assertThatThrownBy(() -> RatingsReader.read(empty)).isInstanceOf(DataFormatException.class)
                .hasMessage(empty + ": no ratings found");
        Path headerOnly = write("h.csv", "userId,movieId,rating,timestamp\r\n\r\n");
        assertThatThrownBy(() -> RatingsReader.read(headerOnly, ReadOptions.of(RatingFormat.MOVIELENS_CSV)))
                .hasMessage(headerOnly + ": no ratings found");
        Path missing = dir.resolve("nope").resolve("ratings.csv");
        assertThatThrownBy(() -> RatingsReader.read(missing)).isInstanceOf(DataFormatException.class)
                .hasMessage(missing + ": no such file");
        assertThatThrownBy(() -> RatingsReader.read(missing, ReadOptions.of(RatingFormat.MOVIELENS_CSV)))
                .hasMessage(missing + ": no such file");
        assertThatThrownBy(() -> RatingsReader.read(dir)).hasMessageContaining("is a directory");
    }

    @Test
    void wrongDelimiterIsAMissingField() throws IOException {
        Path f = write("u.data", "1 2 3 4\n");
        assertThatThrownBy(() -> RatingsReader.read(f)).hasMessage(f + ":1: missing field: found 1 field, need 3 (user, item, rating)");
    }

    @Test
    void duplicatePolicies() throws IOException {
        Path f = write("d.csv", "userId,movieId,rating\n1,10,1\n2,10,5\n1,11,2\n\n1,10,4\n1,10,3.5\n");
        assertThatThrownBy(() -> RatingsReader.read(f)).isInstanceOf(DataFormatException.class)
                .hasMessageStartingWith(f + ":6: duplicate rating for user 1, item 10 (first given on line 2");
        Ratings last = RatingsReader.read(f, ReadOptions.defaults().withDuplicates(DuplicatePolicy.LAST));
        assertThat(dump(last)).isEqualTo("1:10=3.5 2:10=5.0 1:11=2.0");
        Ratings mean = RatingsReader.read(f, ReadOptions.defaults().withDuplicates(DuplicatePolicy.MEAN));
        assertThat(dump(mean)).isEqualTo("1:10=2.8333333 2:10=5.0 1:11=2.0");
        assertThat(mean.minRating()).isEqualTo(2f);
    }

    @Test
    void duplicatesInSortedOrderAreCaught() throws IOException {
        Path f = write("s.csv", "1,1,1\n1,2,1\n1,2,2\n2,1,3\n");
        assertThatThrownBy(() -> RatingsReader.read(f)).hasMessageStartingWith(f + ":3: duplicate rating for user 1, item 2 (first given on line 2");
    }

    @Test
    void sharedIdSpaceAddOrRefuse() throws IOException {
        Ratings train = RatingsReader.read(write("train.csv", "5,50,1\n6,60,2\n"));
        Ratings test = RatingsReader.read(write("test.csv", "6,50,3\n7,50,4\n"), ReadOptions.defaults(),
                train.userIds(), train.itemIds());
        assertThat(test.numUsers()).isEqualTo(3);
        assertThat(test.user(0)).isEqualTo(train.user(1));
        assertThat(test.item(0)).isEqualTo(train.item(0));
        assertThat(test.userIds().externalId(test.user(1))).isEqualTo(7);
        Path refused = write("test2.csv", "6,60,3\n8,50,4\n");
        assertThatThrownBy(() -> RatingsReader.read(refused, ReadOptions.defaults().withUnknownIds(UnknownIds.ERROR),
                train.userIds(), train.itemIds())).hasMessage(refused + ":2: unknown user id 8");
    }

    @Test
    void scaleOverride() throws IOException {
        Path f = write("s.csv", "1,1,2\n2,2,4\n");
        Ratings r = RatingsReader.read(f, ReadOptions.defaults().withScale(1, 5));
        assertThat(r.minRating()).isEqualTo(1f);
        assertThat(r.maxRating()).isEqualTo(5f);
        assertThatThrownBy(() -> RatingsReader.read(f, ReadOptions.defaults().withScale(1, 3)))
                .hasMessage(f + ": ratings run from 2.0 to 4.0, outside the given scale 1.0..3.0");
    }

    @Test
    void idMapRoundTrip() {
        IdMap m = new IdMap(4);
        long[] ids = {7, 0, Long.MAX_VALUE, 123456789012L, 3};
        for (int j = 0; j < 1000; j++) {
            m.add(j * 1_000_003L);
        }
        for (long id : ids) {
            m.add(id);
        }
        for (int j = 0; j < m.size(); j++) {
            assertThat(m.indexOf(m.externalId(j))).isEqualTo(j);
        }
        assertThat(m.indexOf(42)).isEqualTo(-1);
        assertThat(m.add(Long.MAX_VALUE)).isEqualTo(m.indexOf(Long.MAX_VALUE));
        IdMap copy = IdMap.of(m.toArray());
        assertThat(copy.size()).isEqualTo(m.size());
        assertThat(copy.toArray()).isEqualTo(m.toArray());
        assertThat(IdMap.identity(5).isIdentity()).isTrue();
        assertThat(m.isIdentity()).isFalse();
    }

    @Test
    void movieLensLatestSmall() {
        Ratings r = RatingsReader.read(TestData.movieLensSmall());
        assertThat(r.size()).isEqualTo(100836);
        assertThat(r.numUsers()).isEqualTo(610);
        assertThat(r.numItems()).isEqualTo(9724);
        assertThat(r.mean()).isCloseTo(3.5016, within(5e-5));
        assertThat(r.minRating()).isEqualTo(0.5f);
        assertThat(r.maxRating()).isEqualTo(5f);
    }
}
