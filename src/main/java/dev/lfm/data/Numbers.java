package dev.lfm.data;

import java.nio.charset.StandardCharsets;

/** Hand-written number parsing on bytes (no String per field). */
final class Numbers {
    private static final double[] POW10 = new double[23];

    static {
        double p = 1;
        for (int j = 0; j < POW10.length; j++) {
            POW10[j] = p;
            p *= 10;
        }
    }

    private Numbers() {
    }

    /**
     * Parses {@code [+-]? digits [. digits] ([eE] [+-]? digits)?} (at least one digit before the
     * exponent) in {@code b[s, e)}; NaN when the text is not of that form. Correctly rounded to
     * double when at most 18 significant digits and a decimal exponent within ±22 (every rating
     * file in practice); otherwise falls back to {@link Double#parseDouble}.
     */
    static double parseDecimal(byte[] b, int s, int e) {
        int p = s;
        boolean neg = false;
        if (p < e && (b[p] == '+' || b[p] == '-')) {
            neg = b[p] == '-';
            p++;
        }
        long m = 0;
        int digits = 0;
        int significant = 0;
        int scale = 0;
        boolean exact = true;
        while (p < e && b[p] >= '0' && b[p] <= '9') {
            if (significant < 18) {
                m = m * 10 + (b[p] - '0');
                if (m != 0) {
                    significant++;
                }
            } else {
                exact = false;
                scale++;
            }
            digits++;
            p++;
        }
        if (p < e && b[p] == '.') {
            p++;
            while (p < e && b[p] >= '0' && b[p] <= '9') {
                if (significant < 18) {
                    m = m * 10 + (b[p] - '0');
                    if (m != 0) {
                        significant++;
                    }
                    scale--;
                } else {
                    exact = false;
                }
                digits++;
                p++;
            }
        }
        if (digits == 0) {
            return Double.NaN;
        }
        if (p < e && (b[p] == 'e' || b[p] == 'E')) {
            p++;
            boolean eneg = false;
            if (p < e && (b[p] == '+' || b[p] == '-')) {
                eneg = b[p] == '-';
                p++;
            }
            int x = 0;
            int ed = 0;
            while (p < e && b[p] >= '0' && b[p] <= '9') {
                if (x < 100_000) {
                    x = x * 10 + (b[p] - '0');
                }
                ed++;
                p++;
            }
            if (ed == 0) {
                return Double.NaN;
            }
            scale += eneg ? -x : x;
        }
        if (p != e) {
            return Double.NaN;
        }
        double v;
        if (exact && m < (1L << 53) && scale >= -22 && scale <= 22) {
            v = scale >= 0 ? m * POW10[scale] : m / POW10[-scale];
        } else {
            v = Double.parseDouble(new String(b, s, e - s, StandardCharsets.US_ASCII));
            return v;
        }
        return neg ? -v : v;
    }
}
