package dev.lfm.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reader through its public API, against hand-written inputs and the exact results and messages
 * they must give: line ends at read boundaries, field splitting, ids, ratings, limits, scale, header
 * detection and binary-input refusal.
 */
class RatingsReaderContractTest {
    private static final ReadOptions CSV = ReadOptions.of(RatingFormat.DELIMITED);

    /** Hands out at most one byte per read, so every boundary case of the line loop happens. */
    private static final class Trickle extends InputStream {
        private final byte[] b;
        private int p;

        Trickle(byte[] b) {
            this.b = b;
        }

        @Override
        public int read() {
            return p < b.length ? b[p++] & 0xff : -1;
        }

        @Override
        public int read(byte[] dst, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (p >= b.length) {
                return -1;
            }
            dst[off] = b[p++];
            return 1;
        }
    }

    private static Ratings read(String text, ReadOptions o) {
        return RatingsReader.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "f", o);
    }

    private static Ratings read(byte[] bytes, ReadOptions o) {
        return RatingsReader.read(new ByteArrayInputStream(bytes), "f", o);
    }

    private static Ratings trickle(byte[] bytes, ReadOptions o) {
        return RatingsReader.read(new Trickle(bytes), "f", -1, o, new IdMap(), new IdMap());
    }

    private static String dump(Ratings r) {
        StringBuilder sb = new StringBuilder();
        for (int n = 0; n < r.size(); n++) {
            sb.append(n == 0 ? "" : " ").append(r.userIds().externalId(r.user(n))).append(':')
                    .append(r.itemIds().externalId(r.item(n))).append('=').append(r.value(n));
        }
        return sb.toString();
    }

    private static String error(String text, ReadOptions o) {
        try {
            read(text, o);
        } catch (DataFormatException e) {
            return e.getMessage();
        }
        throw new AssertionError("no error for " + text);
    }

    // ------------------------------------------------------------------ line ends and read boundaries

    /** A padding of well-formed lines longer than the 64 KiB detection prefix. */
    private static String padding(int lines) {
        StringBuilder sb = new StringBuilder();
        for (int j = 0; j < lines; j++) {
            sb.append(j).append(",1,3\n");
        }
        return sb.toString();
    }

    @Test
    void lineEndsAcrossReadBoundaries() {
        String pad = padding(9000); // ~75 KB: the tail is read one byte at a time
        for (String end : new String[] {"\n", "\r\n", "\r"}) {
            String text = pad + "a1,7,4" + end + "a2,8,2" + end + "a3,9,5";
            String tail = text.replace("a", "100000");
            Ratings r = trickle(tail.getBytes(StandardCharsets.US_ASCII), CSV);
            assertThat(r.size()).as(end.replace("\r", "CR").replace("\n", "LF")).isEqualTo(9003);
            assertThat(r.value(9000)).isEqualTo(4f);
            assertThat(r.value(9002)).isEqualTo(5f);
            // line numbers count each line end once, also when \r and \n arrive in separate reads
            String bad = pad + "1,2,3" + end + "x,2,3" + end;
            assertThatThrownBy(() -> trickle(bad.getBytes(StandardCharsets.US_ASCII), CSV))
                    .hasMessage("f:9002: user id 'x' is not an integer");
        }
        // a lone \r as the very last byte ends the last line
        assertThat(trickle("1,2,3\r2,3,4\r".getBytes(StandardCharsets.US_ASCII), CSV).size()).isEqualTo(2);
        assertThat(dump(read("1,2,3\r\r\n\n2,3,4", CSV))).isEqualTo("1:2=3.0 2:3=4.0");
        assertThatThrownBy(() -> read("1,2,3\r\r\n\nbad", CSV)).hasMessageStartingWith("f:4: ");
        assertThatThrownBy(() -> trickle("1,2,3\r\n\r\nbad\r\n".getBytes(StandardCharsets.US_ASCII), CSV))
                .hasMessageStartingWith("f:3: ");
    }

    @Test
    void aLineLongerThanTheBufferIsReadWhole() {
        // 1.5 MiB of trailing spaces: the 1 MiB line buffer must grow, and the rating is "3"
        String text = "1,2,3" + " ".repeat(3 << 19) + "\n4,5,1\n";
        Ratings r = read(text, CSV);
        assertThat(dump(r)).isEqualTo("1:2=3.0 4:5=1.0");
    }

    @Test
    void byteOrderMarkIsDroppedOnlyAtTheStart() {
        assertThat(error("\uFEFF", CSV)).isEqualTo("f: no ratings found");
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] body = "1,2,3\n4,5,1\n".getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[bom.length + body.length];
        System.arraycopy(bom, 0, all, 0, 3);
        System.arraycopy(body, 0, all, 3, body.length);
        assertThat(dump(read(all, CSV))).isEqualTo("1:2=3.0 4:5=1.0");
        assertThat(dump(trickle(all, CSV))).isEqualTo("1:2=3.0 4:5=1.0");
        assertThat(dump(read("1,2,3\n".getBytes(StandardCharsets.US_ASCII), CSV))).isEqualTo("1:2=3.0");
        assertThat(dump(read("9,2,3".getBytes(StandardCharsets.US_ASCII), CSV))).isEqualTo("9:2=3.0");
    }

    @Test
    void manyRatingsFromAStreamGrowTheArraysAndKeepOrder() {
        StringBuilder sb = new StringBuilder();
        for (int j = 0; j < 5000; j++) {
            sb.append(j % 37).append(',').append(j).append(',').append(j % 5 + 1).append('\n');
        }
        Ratings r = read(sb.toString(), CSV);
        assertThat(r.size()).isEqualTo(5000);
        for (int j = 0; j < 5000; j++) {
            assertThat(r.itemIds().externalId(r.item(j))).isEqualTo(j);
            assertThat(r.userIds().externalId(r.user(j))).isEqualTo(j % 37);
            assertThat(r.value(j)).isEqualTo(j % 5 + 1);
        }
        assertThat(r.numUsers()).isEqualTo(37);
        assertThat(r.numItems()).isEqualTo(5000);
        // a small read does not keep a mostly empty backing array
        Ratings small = read("1,2,3\n2,3,4\n", CSV);
        assertThat(small.users().length).isLessThanOrEqualTo(2 + 2 / 8 + 1);
        assertThat(small.values().length).isLessThanOrEqualTo(3);
    }

    @Test
    void fileSizeHintAndFiles(@TempDir Path dir) throws IOException {
        String text = padding(3000);
        Path f = Files.writeString(dir.resolve("r.txt"), text);
        Ratings r = RatingsReader.read(f, CSV);
        assertThat(r.size()).isEqualTo(3000);
        assertThat(r.value(2999)).isEqualTo(3f);
        assertThatThrownBy(() -> RatingsReader.read(dir, CSV)).hasMessage(dir + ": cannot read: is a directory");
        assertThatThrownBy(() -> RatingsReader.read(dir.resolve("none.csv"), CSV))
                .hasMessage(dir.resolve("none.csv") + ": no such file");
        Path one = Files.writeString(dir.resolve("one.txt"), "5,6,7");
        assertThat(dump(RatingsReader.read(one, CSV))).isEqualTo("5:6=7.0");
    }

    // ------------------------------------------------------------------ fields

    @Test
    void columnsAndDelimiters() {
        // user in column 2, item in column 0, rating in column 1
        assertThat(dump(read("7,4.5,100,x\n8,1,200,y\n", ReadOptions.delimited(",", 2, 0, 1))))
                .isEqualTo("100:7=4.5 200:8=1.0");
        assertThat(dump(read("1::2::3.5::99\n", ReadOptions.delimited("::", 0, 1, 2)))).isEqualTo("1:2=3.5");
        assertThat(error("1:2::3::4\n", ReadOptions.delimited("::", 0, 1, 2)))
                .isEqualTo("f:1: user id '1:2' is not an integer");
        // a delimiter at the very end makes one more (empty) field
        assertThat(error("1::2::3::\n1::2::3\n", ReadOptions.delimited("::", 0, 1, 2)))
                .isEqualTo("f:2: 3 fields, but line 1 has 4 (a lost line break or a stray delimiter?)");
        assertThat(dump(read("1||2||3\n", ReadOptions.delimited("||", 0, 1, 2)))).isEqualTo("1:2=3.0");
        assertThat(error("1|2||3||4.5\n", ReadOptions.delimited("||", 1, 0, 2))).isEqualTo("f:1: item id '1|2' is not an integer");
        // whitespace: runs of spaces and tabs, leading and trailing ignored
        ReadOptions ws = ReadOptions.delimited(ReadOptions.WHITESPACE, 0, 1, 2);
        assertThat(dump(read("  1 \t 2   3.5  \n\t4\t5\t1\n", ws))).isEqualTo("1:2=3.5 4:5=1.0");
        assertThat(error("1 2 3\n1 2 3 4\n", ws))
                .isEqualTo("f:2: 4 fields, but line 1 has 3 (a lost line break or a stray delimiter?)");
        // spaces around delimited fields are trimmed
        assertThat(dump(read(" 12 ,\t7\t, 2.5 \n", CSV))).isEqualTo("12:7=2.5");
    }

    @Test
    void missingFieldsAndValues() {
        assertThat(error("1,2\n", CSV)).isEqualTo("f:1: missing field: found 2 fields, need 3 (user, item, rating)");
        assertThat(error("1\n", CSV)).isEqualTo("f:1: missing field: found 1 field, need 3 (user, item, rating)");
        assertThat(error("1,2,3\n1,2\n", ReadOptions.delimited(",", 0, 1, 3)))
                .isEqualTo("f:1: missing field: found 3 fields, need 4 (user, item, rating)");
        assertThat(error(" ,2,3\n", CSV)).isEqualTo("f:1: missing user id");
        assertThat(error("1,,3\n", CSV)).isEqualTo("f:1: missing item id");
        assertThat(error("1,2, \t\n", CSV)).isEqualTo("f:1: missing rating");
        assertThat(error("\n\n   \n", CSV)).isEqualTo("f: no ratings found");
        // an empty field between two tab delimiters
        ReadOptions tab = ReadOptions.delimited("\t", 0, 1, 2);
        assertThat(error("1\t\t3\n", tab)).isEqualTo("f:1: missing item id");
        assertThat(error("\t1\t3\n", tab)).isEqualTo("f:1: missing user id");
        assertThat(error("1\t2\t\t5\n", tab)).isEqualTo("f:1: missing rating");
    }

    @Test
    void idsAreNonNegativeLongs() {
        assertThat(dump(read("9223372036854775807,0,1\n", CSV))).isEqualTo("9223372036854775807:0=1.0");
        assertThat(error("9223372036854775808,0,1\n", CSV))
                .isEqualTo("f:1: user id '9223372036854775808' is too large");
        assertThat(error("1,92233720368547758070,1\n", CSV))
                .isEqualTo("f:1: item id '92233720368547758070' is too large");
        assertThat(error("-5,1,1\n", CSV)).isEqualTo("f:1: negative user id '-5'");
        assertThat(error("1,-0,1\n", CSV)).isEqualTo("f:1: negative item id '-0'");
        assertThat(error("-,1,1\n", CSV)).isEqualTo("f:1: user id '-' is not an integer");
        assertThat(error("1,-,1\n", CSV)).isEqualTo("f:1: item id '-' is not an integer");
        assertThat(error("1,-9,1\n", CSV)).isEqualTo("f:1: negative item id '-9'");
        assertThat(error("1,-09,1\n", CSV)).isEqualTo("f:1: negative item id '-09'");
        assertThat(error("-a,1,1\n", CSV)).isEqualTo("f:1: user id '-a' is not an integer");
        assertThat(error("1-,1,1\n", CSV)).isEqualTo("f:1: user id '1-' is not an integer");
        assertThat(error("1,2/,1\n", CSV)).isEqualTo("f:1: item id '2/' is not an integer");
        assertThat(error("1,2:,1\n", CSV)).isEqualTo("f:1: item id '2:' is not an integer");
        assertThat(error("1,-5x,1\n", CSV)).isEqualTo("f:1: item id '-5x' is not an integer");
        assertThat(error("1,0009,1\n1,09,2\n", CSV))
                .isEqualTo("f:2: duplicate rating for user 1, item 9 (first given on line 1; choose a duplicate policy: last or mean)");
    }

    @Test
    void ratingsAreFiniteAndWithinTheFloatLimit() {
        assertThat(dump(read("1,1,10000\n1,2,-10000\n1,3,1e4\n", CSV))).isEqualTo("1:1=10000.0 1:2=-10000.0 1:3=10000.0");
        assertThat(error("1,1,10000.001\n", CSV))
                .isEqualTo("f:1: rating '10000.001' is outside -10000..10000, the range lfm trains on in float32");
        assertThat(error("1,1,-1e30\n", CSV)).startsWith("f:1: rating '-1e30' is outside");
        assertThat(error("1,1,NaN\n", CSV)).isEqualTo("f:1: rating 'NaN' is not finite");
        assertThat(error("1,1,-inf\n", CSV)).isEqualTo("f:1: rating '-inf' is not finite");
        assertThat(error("1,1,+Infinity\n", CSV)).isEqualTo("f:1: rating '+Infinity' is not finite");
        assertThat(error("1,1,nanx\n", CSV)).isEqualTo("f:1: rating 'nanx' is not a number");
        assertThat(error("1,1,abc\n", CSV)).isEqualTo("f:1: rating 'abc' is not a number");
        assertThat(error("1,1,ab\u0001c\n", CSV)).isEqualTo("f:1: rating 'ab?c' is not a number");
        String long41 = "x".repeat(41);
        assertThat(error("1,1," + long41 + "\n", CSV)).isEqualTo("f:1: rating '" + "x".repeat(40) + "...' is not a number");
        String long40 = "y".repeat(40);
        assertThat(error("1,1," + long40 + "\n", CSV)).isEqualTo("f:1: rating '" + long40 + "' is not a number");
    }

    // ------------------------------------------------------------------ LIBMF ids and the id space

    @Test
    void libmfIdsAreIndicesBelowTheLimit() {
        ReadOptions libmf = ReadOptions.of(RatingFormat.LIBMF).withMaxDenseIds(10);
        Ratings r = read("0 9 1\n9 0 2\n", libmf);
        assertThat(r.numUsers()).isEqualTo(10);
        assertThat(r.numItems()).isEqualTo(10);
        assertThat(r.userIds().isIdentity()).isTrue();
        assertThat(r.userIds().size()).isEqualTo(10);
        assertThat(r.itemIds().size()).isEqualTo(10);
        assertThat(r.itemIds().isIdentity()).isTrue();
        assertThat(error("0 0 1\n10 0 1\n", libmf)).isEqualTo("f:2: user id 10 would make an id space of 11 users"
                + " (LIBMF ids are 0-based indices), more than the limit of 10 (if the ids are right, raise it with --max-ids)");
        assertThat(error("0 10 1\n", libmf)).startsWith("f:1: item id 10 would make an id space of 11 items");
        // against an id space of 3 users and 2 items that may not grow
        IdMap users = IdMap.identity(3);
        IdMap items = IdMap.identity(2);
        ReadOptions strict = libmf.withUnknownIds(UnknownIds.ERROR);
        Ratings known = RatingsReader.read(new ByteArrayInputStream("2 1 4\n0 0 1\n".getBytes()), "t", -1, strict,
                users, items);
        assertThat(known.numUsers()).isEqualTo(3);
        assertThat(known.numItems()).isEqualTo(2);
        assertThatThrownBy(() -> RatingsReader.read(new ByteArrayInputStream("3 1 4\n".getBytes()), "t", -1, strict,
                IdMap.identity(3), IdMap.identity(2))).hasMessage("t:1: unknown user id 3");
        assertThatThrownBy(() -> RatingsReader.read(new ByteArrayInputStream("0 2 4\n".getBytes()), "t", -1, strict,
                IdMap.identity(3), IdMap.identity(2))).hasMessage("t:1: unknown item id 2");
        // growing: the maps get the new indices
        IdMap u2 = IdMap.identity(2);
        IdMap i2 = IdMap.identity(2);
        Ratings grown = RatingsReader.read(new ByteArrayInputStream("4 1 4\n".getBytes()), "t", -1, libmf, u2, i2);
        assertThat(grown.numUsers()).isEqualTo(5);
        assertThat(grown.numItems()).isEqualTo(2);
        assertThat(u2.size()).isEqualTo(5);
        assertThat(u2.isIdentity()).isTrue();
        assertThatThrownBy(() -> RatingsReader.read(new ByteArrayInputStream("0 0 4\n".getBytes()), "t", -1, libmf,
                IdMap.of(new long[] {0, 5}), IdMap.identity(1)))
                .hasMessage("t: LIBMF ids are 0-based indices, but the user ids it is read against are not 0..n-1"
                        + " (index 1 is id 5): read it in the format of the training file");
        assertThatThrownBy(() -> RatingsReader.read(new ByteArrayInputStream("0 0 4\n".getBytes()), "t", -1, libmf,
                IdMap.identity(1), IdMap.of(new long[] {3})))
                .hasMessageContaining("the item ids it is read against are not 0..n-1 (index 0 is id 3)");
    }

    @Test
    void unknownIdsInAnExistingIdSpace() {
        IdMap users = IdMap.of(new long[] {10, 20});
        IdMap items = IdMap.of(new long[] {7});
        ReadOptions strict = CSV.withUnknownIds(UnknownIds.ERROR);
        Ratings r = RatingsReader.read(new ByteArrayInputStream("20,7,1\n10,7,2\n".getBytes()), "t", -1, strict, users,
                items);
        assertThat(r.users()).startsWith(1, 0);
        assertThatThrownBy(() -> RatingsReader.read(new ByteArrayInputStream("20,7,1\n30,7,2\n".getBytes()), "t", -1,
                strict, users, items)).hasMessage("t:2: unknown user id 30");
        assertThatThrownBy(() -> RatingsReader.read(new ByteArrayInputStream("20,8,1\n".getBytes()), "t", -1,
                strict, users, items)).hasMessage("t:1: unknown item id 8");
    }

    // ------------------------------------------------------------------ scale, duplicates, line numbers

    @Test
    void theGivenScaleMustHoldEveryRating() {
        assertThat(read("1,1,1\n1,2,5\n", CSV.withScale(1, 5)).maxRating()).isEqualTo(5f);
        Ratings half = read("1,1,2\n1,2,3\n", CSV.withScale(Float.NaN, 10));
        assertThat(half.minRating()).isEqualTo(2f);
        assertThat(half.maxRating()).isEqualTo(10f);
        Ratings other = read("1,1,2\n1,2,3\n", CSV.withScale(0, Float.NaN));
        assertThat(other.minRating()).isEqualTo(0f);
        assertThat(other.maxRating()).isEqualTo(3f);
        assertThat(error("1,1,0.5\n1,2,4\n", CSV.withScale(1, 5)))
                .isEqualTo("f: ratings run from 0.5 to 4.0, outside the given scale 1.0..5.0");
        assertThat(error("1,1,2\n1,2,5.5\n", CSV.withScale(1, 5)))
                .isEqualTo("f: ratings run from 2.0 to 5.5, outside the given scale 1.0..5.0");
    }

    @Test
    void duplicateLinesCountBlankAndHeaderLines() {
        // 10 blank lines, a header, then (1, 2) on lines 12 and 15
        String text = "\n".repeat(10) + "user,item,rating\n1,2,3\n1,3,4\n\n1,2,5\n";
        ReadOptions detect = CSV.withHeader(ReadOptions.Header.DETECT);
        assertThat(error(text, detect)).isEqualTo("f:15: duplicate rating for user 1, item 2 (first given on line 12;"
                + " choose a duplicate policy: last or mean)");
        assertThat(dump(read(text, detect.withDuplicates(DuplicatePolicy.LAST)))).isEqualTo("1:2=5.0 1:3=4.0");
        assertThat(dump(read(text, detect.withDuplicates(DuplicatePolicy.MEAN)))).isEqualTo("1:2=4.0 1:3=4.0");
        // sorted input with a repeat of the previous line
        assertThat(error("1,2,3\n1,2,4\n", CSV)).startsWith("f:2: duplicate rating for user 1, item 2 (first given on line 1;");
    }

    // ------------------------------------------------------------------ header

    @Test
    void headersAreRecognizedByTheirContent() {
        ReadOptions detect = CSV.withHeader(ReadOptions.Header.DETECT);
        assertThat(dump(read("userId,movieId,rating\n1,2,3\n", detect))).isEqualTo("1:2=3.0");
        assertThat(dump(read("\"user\",'item', rating \n1,2,3\n", detect))).isEqualTo("1:2=3.0");
        assertThat(dump(read("_u,\u00e9tem,Zed9\n1,2,3\n", detect))).isEqualTo("1:2=3.0");
        // first letters at both ends of each range, a byte >= 0x80, spaces inside names
        for (String h : new String[] {"A,a,z", "Z,zz,Alpha", "user id,movie id,rating", "\"user\" ,'item'\t,rating"}) {
            assertThat(dump(read(h + "\n1,2,3\n", detect))).as(h).isEqualTo("1:2=3.0");
        }
        byte[] high = {(byte) 0x80, 'u', ',', 'i', ',', 'r', '\n', '1', ',', '2', ',', '3', '\n'};
        assertThat(dump(read(high, detect))).isEqualTo("1:2=3.0");
        for (String h : new String[] {"@,item,rating", "[u,item,rating", "`u,item,rating", "{u,item,rating"}) {
            assertThat(error(h + "\n", detect)).as(h).startsWith("f:1: user id '");
        }
        assertThat(dump(read("\n  \nu,i,r\n1,2,3\n", detect))).isEqualTo("1:2=3.0");
        assertThat(error("user,,rating\n1,2,3\n", detect)).isEqualTo("f:1: user id 'user' is not an integer");
        assertThat(error("nan,item,rating\n", detect)).isEqualTo("f:1: user id 'nan' is not an integer");
        assertThat(error("user,Infinity,rating\n", detect)).isEqualTo("f:1: user id 'user' is not an integer");
        assertThat(error("user,it\"em,rating\n", detect)).startsWith("f:1: user id 'user' is not an integer");
        assertThat(error("user,1tem,rating\n", detect)).startsWith("f:1: user id 'user'");
        assertThat(error("user,it\u0001em,rating\n", detect)).startsWith("f:1: user id 'user'");
        assertThat(error("user,\"\",rating\n", detect)).startsWith("f:1: user id 'user'");
        assertThat(error("user,[x],rating\n", detect)).startsWith("f:1: user id 'user'");
        assertThat(error("user,item,rating\nuser,item,rating\n", detect)).startsWith("f:2: user id 'user'");
        // only the first line can be a header; SKIP drops it whatever it holds
        assertThat(dump(read("1,1,1\n1,2,3\n", CSV.withHeader(ReadOptions.Header.SKIP)))).isEqualTo("1:2=3.0");
        assertThat(error("user,item,rating\n", CSV)).isEqualTo("f:1: user id 'user' is not an integer");
        // whitespace-delimited headers
        ReadOptions ws = ReadOptions.delimited(ReadOptions.WHITESPACE, 0, 1, 2).withHeader(ReadOptions.Header.DETECT);
        assertThat(dump(read("  user \t item   rating  \n1 2 3\n", ws))).isEqualTo("1:2=3.0");
        assertThat(error("user item 5\n", ws)).isEqualTo("f:1: user id 'user' is not an integer");
        assertThat(dump(read("1 2 3\n", ws))).isEqualTo("1:2=3.0");
    }

    // ------------------------------------------------------------------ not text

    private static String refusal(byte[] head) {
        try {
            read(head, CSV);
        } catch (DataFormatException e) {
            return e.getMessage();
        }
        return "accepted";
    }

    private static byte[] bytes(int... b) {
        byte[] a = new byte[b.length];
        for (int j = 0; j < b.length; j++) {
            a[j] = (byte) b[j];
        }
        return a;
    }

    @Test
    void compressedAndBinaryInputsAreRefusedByName() {
        assertThat(refusal(bytes(0x1f, 0x8b))).isEqualTo("f: looks compressed (gzip); decompress it first");
        assertThat(refusal(bytes('P', 'K', 3, 4))).isEqualTo("f: looks compressed (zip); decompress it first");
        assertThat(refusal(bytes('B', 'Z', 'h', '1'))).isEqualTo("f: looks compressed (bzip2); decompress it first");
        assertThat(refusal(bytes('B', 'Z', 'h', '9'))).isEqualTo("f: looks compressed (bzip2); decompress it first");
        assertThat(refusal(bytes(0xfd, '7', 'z', 'X', 'Z', 0))).isEqualTo("f: looks compressed (xz); decompress it first");
        assertThat(refusal(bytes(0x28, 0xb5, 0x2f, 0xfd))).isEqualTo("f: looks compressed (zstd); decompress it first");
        assertThat(refusal(bytes(0xff, 0xfe, '1', 0))).isEqualTo("f: is UTF-16 text; save it as UTF-8");
        assertThat(refusal(bytes(0xfe, 0xff, 0, '1'))).isEqualTo("f: is UTF-16 text; save it as UTF-8");
        assertThat(refusal(bytes(0xff, 0xfe))).isEqualTo("f: is UTF-16 text; save it as UTF-8");
        assertThat(refusal(bytes(0xfe, 0xff))).isEqualTo("f: is UTF-16 text; save it as UTF-8");
        assertThat(refusal(bytes('1', ',', '2', ',', '3', 0))).isEqualTo("f: is not text (it holds NUL bytes)");
        // near misses are text (and then fail or pass as ratings)
        assertThat(refusal(bytes(0x1f, '1'))).startsWith("f:1: ");
        assertThat(refusal(bytes('P', 'K', 3, 5))).startsWith("f:1: ");
        assertThat(refusal(bytes('B', 'Z', 'h', '0'))).startsWith("f:1: ");
        assertThat(refusal(bytes('B', 'Z', 'h', ':'))).startsWith("f:1: ");
        assertThat(refusal(bytes(0xfd, '7', 'z', 'X', 'Z', '1'))).startsWith("f:1: ");
        assertThat(refusal(bytes(0x28, 0xb5, 0x2f, '1'))).startsWith("f:1: ");
        assertThat(refusal(bytes(0xff, '1'))).startsWith("f:1: ");
        assertThat(refusal(bytes(0xfe, '1'))).startsWith("f:1: ");
        assertThat(refusal(bytes('1', 0x1f))).startsWith("f:1: ");
    }

    @Test
    void manyControlBytesMeanNotText() {
        // more than max(8, n / 32) control bytes: 9 in a short input is binary, 8 is a bad line
        assertThat(refusal(("1,2,3" + "\u0001".repeat(9)).getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("f: is not text (9 control bytes in its first 14)");
        assertThat(refusal(("1,2,3" + "\u0001".repeat(8)).getBytes(StandardCharsets.US_ASCII))).startsWith("f:1: ");
        assertThat(refusal(("1,2,3" + "\u007f".repeat(9)).getBytes(StandardCharsets.US_ASCII)))
                .startsWith("f: is not text (9 control bytes");
        assertThat(refusal(("1,2,3" + "\u001f".repeat(9)).getBytes(StandardCharsets.US_ASCII)))
                .startsWith("f: is not text (9 control bytes");
        // tabs, line ends, form and vertical feeds are not control bytes here
        assertThat(refusal("1\t2\t3\n\r\n\f\u000b\t\t\t\t\t\t\t\t\t\n".getBytes(StandardCharsets.US_ASCII)))
                .doesNotStartWith("f: is not text");
        // a long input may hold up to n / 32 of them
        String pad = padding(100); // ~700 bytes: up to n / 32 = 21 allowed; the bad line then fails on its own
        byte[] many = (pad + "1,2,3" + "\u0002".repeat(12) + "\n").getBytes(StandardCharsets.US_ASCII);
        assertThat(refusal(many)).startsWith("f:101: ");
        int base = pad.length() + 6;
        int k = 9;
        while (k <= Math.max(8, (base + k) / 32)) {
            k++;
        }
        byte[] atLimit = (pad + "1,2,3" + "\u0002".repeat(k - 1) + "\n").getBytes(StandardCharsets.US_ASCII);
        assertThat(refusal(atLimit)).startsWith("f:101: ");
        byte[] over = (pad + "1,2,3" + "\u0002".repeat(k) + "\n").getBytes(StandardCharsets.US_ASCII);
        assertThat(refusal(over)).isEqualTo("f: is not text (" + k + " control bytes in its first " + over.length + ")");
    }
}
