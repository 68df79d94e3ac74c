import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.SplittableRandom;

/**
 * Writes a "row col value" text file (0-based ids, one rating a line, no duplicate pairs) for
 * bench/peers.sh: USERS users with RATINGS/USERS ratings each, user u's items at
 * (o_u + j·s) mod ITEMS (s coprime with ITEMS, so distinct), value = 3 + a_u·b_i + noise on a
 * planted rank-2 structure, rounded to 3 decimals. Usage: java GenRatings.java OUT USERS ITEMS RATINGS [SEED]
 */
public class GenRatings {
    public static void main(String[] args) throws IOException {
        String out = args[0];
        int users = Integer.parseInt(args[1]);
        int items = Integer.parseInt(args[2]);
        long ratings = Long.parseLong(args[3]);
        long seed = args.length > 4 ? Long.parseLong(args[4]) : 42;
        SplittableRandom rnd = new SplittableRandom(seed);
        float[][] a = new float[users][2];
        float[][] b = new float[items][2];
        for (float[] x : a) { x[0] = (float) rnd.nextGaussian(); x[1] = (float) rnd.nextGaussian(); }
        for (float[] x : b) { x[0] = (float) rnd.nextGaussian(); x[1] = (float) rnd.nextGaussian(); }
        int stride = 7919;
        while (gcd(stride, items) != 1) {
            stride += 2;
        }
        long per = ratings / users;
        long extra = ratings % users;
        byte[] buf = new byte[64];
        try (OutputStream os = new BufferedOutputStream(new FileOutputStream(out), 1 << 20)) {
            for (int u = 0; u < users; u++) {
                long n = Math.min(items, per + (u < extra ? 1 : 0));
                int o = rnd.nextInt(items);
                for (long j = 0; j < n; j++) {
                    int i = (int) ((o + j * stride) % items);
                    double v = 3 + 0.5 * (a[u][0] * b[i][0] + a[u][1] * b[i][1]) + 0.25 * rnd.nextGaussian();
                    v = Math.max(1, Math.min(5, v));
                    int len = 0;
                    len = put(buf, len, u);
                    buf[len++] = ' ';
                    len = put(buf, len, i);
                    buf[len++] = ' ';
                    long milli = Math.round(v * 1000);
                    len = put(buf, len, milli / 1000);
                    buf[len++] = '.';
                    long frac = milli % 1000;
                    buf[len++] = (byte) ('0' + frac / 100);
                    buf[len++] = (byte) ('0' + frac / 10 % 10);
                    buf[len++] = (byte) ('0' + frac % 10);
                    buf[len++] = '\n';
                    os.write(buf, 0, len);
                }
            }
        }
    }

    private static int put(byte[] buf, int len, long x) {
        String s = Long.toString(x);
        for (int c = 0; c < s.length(); c++) {
            buf[len++] = (byte) s.charAt(c);
        }
        return len;
    }

    private static int gcd(int x, int y) {
        return y == 0 ? x : gcd(y, x % y);
    }
}
