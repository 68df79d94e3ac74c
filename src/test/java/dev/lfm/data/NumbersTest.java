package dev.lfm.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** {@link Numbers#parseDecimal} against hand values and against {@link Double#parseDouble} (correct rounding). */
class NumbersTest {
    private static double parse(String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        return Numbers.parseDecimal(b, 0, b.length);
    }

    @Test
    void handValues() {
        assertThat(parse("3.5")).isEqualTo(3.5);
        assertThat(parse("-2")).isEqualTo(-2.0);
        assertThat(parse("+4")).isEqualTo(4.0);
        assertThat(parse("0")).isEqualTo(0.0);
        assertThat(Double.doubleToRawLongBits(parse("-0"))).isEqualTo(Double.doubleToRawLongBits(-0.0));
        assertThat(parse(".5")).isEqualTo(0.5);
        assertThat(parse("5.")).isEqualTo(5.0);
        assertThat(parse("1e3")).isEqualTo(1000.0);
        assertThat(parse("1E-2")).isEqualTo(0.01);
        assertThat(parse("2.5e+1")).isEqualTo(25.0);
        assertThat(parse("-7.25E2")).isEqualTo(-725.0);
        assertThat(parse("1e0005")).isEqualTo(1e5);
        assertThat(parse("2e12")).isEqualTo(2e12);
        assertThat(parse("3e-7")).isEqualTo(3e-7);
        assertThat(parse("1e22")).isEqualTo(1e22);
        assertThat(parse("1e-22")).isEqualTo(1e-22);
        assertThat(parse("1e23")).isEqualTo(1e23);
        assertThat(parse("1e-23")).isEqualTo(1e-23);
        assertThat(parse("4.5e-30")).isEqualTo(4.5e-30);
        assertThat(parse("1e400000")).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(parse("-1e99999999999")).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(parse("1e-400000")).isEqualTo(0.0);
        assertThat(parse("0000000000000000000000001.5")).isEqualTo(1.5);
        assertThat(parse("0.000000000000000000001")).isEqualTo(1e-21);
        assertThat(parse("9007199254740993")).isEqualTo(9007199254740992.0);
        assertThat(parse("123456789012345678901234567890")).isEqualTo(1.2345678901234568e29);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-", "+", ".", "-.", "e5", ".e5", "1e", "1e+", "1e-", "1x", "1.2.3", " 1", "1 ",
            "--1", "+-1", "1e5.0", "1ee5", "NaN", "Infinity", "0x10", "1,5", "1e+-5"})
    void notOfTheFormIsNaN(String s) {
        assertThat(parse(s)).isNaN();
    }

    @Test
    void onlyTheGivenRangeIsRead() {
        byte[] b = "xx3.25yy1e2".getBytes(StandardCharsets.US_ASCII);
        assertThat(Numbers.parseDecimal(b, 2, 6)).isEqualTo(3.25);
        assertThat(Numbers.parseDecimal(b, 8, 11)).isEqualTo(100.0);
        assertThat(Numbers.parseDecimal(b, 2, 5)).isEqualTo(3.2);
        assertThat(Numbers.parseDecimal(b, 2, 2)).isNaN();
        byte[] c = "12e3".getBytes(StandardCharsets.US_ASCII);
        assertThat(Numbers.parseDecimal(c, 0, 2)).isEqualTo(12.0);
        assertThat(Numbers.parseDecimal(c, 0, 3)).isNaN();
        byte[] d = "-5.".getBytes(StandardCharsets.US_ASCII);
        assertThat(Numbers.parseDecimal(d, 0, 1)).isNaN();
        assertThat(Numbers.parseDecimal(d, 1, 3)).isEqualTo(5.0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"9999999999999999999", "-9999999999999999999", "0.9999999999999999999",
            "9.999999999999999999", "99999999999999999999", "1234567890123456789012", "12345678901234567",
            "1234567890123456.7", "123456789012345678.9", "0.1234567890123456789012345", "9.8765432109876543210e-5",
            "1.000000000000000000000001", "98765432109876543210987654321", "0.000000000000000000000000000012345",
            "4.35", "0.1", "0.3", "2.675", "1.005", "123.456e-10", "9223372036854775807", "9223372036854775808"})
    void longAndTrickyNumbersAreCorrectlyRounded(String s) {
        assertThat(parse(s)).isEqualTo(Double.parseDouble(s));
    }

    @Test
    void randomDecimalsAreCorrectlyRounded() {
        SplittableRandom rnd = new SplittableRandom(2024);
        for (int t = 0; t < 20_000; t++) {
            StringBuilder sb = new StringBuilder();
            if (rnd.nextInt(4) == 0) {
                sb.append('-');
            }
            int intDigits = rnd.nextInt(21);
            int fracDigits = rnd.nextInt(21);
            if (intDigits == 0 && fracDigits == 0) {
                intDigits = 1;
            }
            for (int j = 0; j < intDigits; j++) {
                sb.append((char) ('0' + rnd.nextInt(10)));
            }
            if (fracDigits > 0 || rnd.nextBoolean()) {
                sb.append('.');
                for (int j = 0; j < fracDigits; j++) {
                    sb.append((char) ('0' + rnd.nextInt(10)));
                }
            }
            if (rnd.nextInt(3) == 0) {
                sb.append(rnd.nextBoolean() ? 'e' : 'E');
                int r = rnd.nextInt(3);
                sb.append(r == 0 ? "-" : r == 1 ? "+" : "");
                sb.append(rnd.nextInt(40));
            }
            String s = sb.toString();
            assertThat(parse(s)).as(s).isEqualTo(Double.parseDouble(s));
        }
    }

    @Test
    void leadingZerosAndExponentsThatCancel() {
        // the fraction's leading zeros move the decimal scale without counting as significant digits,
        // so an exponent can bring the scale back into the exactly representable range
        assertThat(parse("0." + "0".repeat(95) + "1e1")).isEqualTo(1e-95);
        assertThat(parse("0." + "0".repeat(95) + "1e96")).isEqualTo(1.0);
        assertThat(parse("0." + "0".repeat(95) + "25e+97")).isEqualTo(25.0);
        SplittableRandom rnd = new SplittableRandom(7);
        for (int t = 0; t < 5000; t++) {
            int zeros = rnd.nextInt(130);
            String s = "0." + "0".repeat(zeros) + (1 + rnd.nextInt(999_999)) + "e" + (rnd.nextBoolean() ? "" : "-")
                    + rnd.nextInt(140);
            assertThat(parse(s)).as(s).isEqualTo(Double.parseDouble(s));
        }
    }

    @Test
    void ratingLikeValuesAreExact() {
        for (int j = 0; j <= 1000; j++) {
            String s = String.format(Locale.ROOT, "%d.%03d", j / 200, (j * 7) % 1000);
            assertThat(parse(s)).as(s).isEqualTo(Double.parseDouble(s));
        }
    }
}
