package dev.lfm.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RecommendationFilesTest {
    private static void same(float x, int digits) {
        String expected = String.format(Locale.ROOT, "%." + digits + "f", x);
        assertThat(RecommendationFiles.fixed(new StringBuilder(), x, digits).toString()).as("%s", x).isEqualTo(expected);
    }

    @Test
    void fixedDecimalsAreWhatTheFormatterWrites() {
        float[] edge = {0f, -0f, 1f, -1f, 0.5f, 4.99995f, 5.000049f, 0.000005f, -0.000005f, 0.00005f, 0.25f, 1e-7f,
            -1e-7f, 3.1415927f, 99999.99f, 123456.78f, 9.99999e8f, 2e9f, -3e9f, Float.NaN, Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY, Float.MIN_VALUE, Float.MAX_VALUE};
        for (float x : edge) {
            same(x, 5);
            same(x, 4);
        }
        SplittableRandom rnd = new SplittableRandom(7);
        for (int n = 0; n < 50_000; n++) {
            float x = (float) (rnd.nextDouble(-12, 12) * Math.pow(10, rnd.nextInt(-6, 4)));
            same(x, 5);
            same(x, 4);
            // values on a half-unit grid, where rounding direction matters
            float h = (float) (Math.round(rnd.nextDouble(-6, 6) * 2e5) / 2e5);
            same(h, 5);
            same(h, 4);
        }
    }
}
