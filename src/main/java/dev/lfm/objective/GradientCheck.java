package dev.lfm.objective;

import dev.lfm.data.Ratings;
import dev.lfm.model.FactorModel;
import java.util.SplittableRandom;

/**
 * Verifies {@link Reference#gradient} against central differences of {@link Reference#loss}:
 * (L(θ + h e_j) − L(θ − h e_j)) / 2h for every parameter (small problems) or a random sample.
 *
 * <p>The check runs in double precision on a double copy of the parameters. Perturbing θ_j
 * changes only the terms of L that contain it (the ratings of its row and the row's penalty), so
 * the difference is computed on those terms alone: mathematically the same number as the
 * difference of the full sums, without the cancellation error of subtracting two large totals.
 * Relative error: |analytic − numeric| / max(|analytic|, |numeric|, 1e-8).
 *
 * <p>L restricted to one parameter is a quadratic (r̂ is linear in each single parameter), so the
 * central difference is exact up to rounding for any h; a moderate h (1e-3) keeps the rounding
 * error of the difference far below 1e-6 relative.
 */
public final class GradientCheck {
    /** The largest relative error found and where. */
    public record Result(double maxRelativeError, String worstParameter, double analytic, double numeric,
                         long checked) {
    }

    private final FactorModel model;
    private final Ratings train;
    private final Objective obj;
    private final double[] p;
    private final double[] q;
    private final double[] bu;
    private final double[] bi;
    private final int[] nu;
    private final int[] ni;
    private final int[][] byUser;
    private final int[][] byItem;

    /** The analytic gradient being verified: {p, q, userBias, itemBias} in double. */
    public interface Analytic {
        double[][] gradient(FactorModel model, Ratings train, Objective obj);
    }

    private final Analytic analyticGradient;

    /** Checks {@link Reference#gradient}. */
    public GradientCheck(FactorModel model, Ratings train, Objective obj) {
        this(model, train, obj, Reference::gradient);
    }

    /** Checks another implementation of the analytic gradient against the same differences. */
    public GradientCheck(FactorModel model, Ratings train, Objective obj, Analytic analyticGradient) {
        this.analyticGradient = analyticGradient;
        this.model = model;
        this.train = train;
        this.obj = obj;
        this.p = toDouble(model.p);
        this.q = toDouble(model.q);
        this.bu = toDouble(model.userBias);
        this.bi = toDouble(model.itemBias);
        this.nu = train.userCounts();
        this.ni = train.itemCounts();
        this.byUser = group(train.users(), nu, train.size());
        this.byItem = group(train.items(), ni, train.size());
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int j = 0; j < f.length; j++) {
            d[j] = f[j];
        }
        return d;
    }

    private static int[][] group(int[] rows, int[] counts, int n) {
        int[][] g = new int[counts.length][];
        int[] fill = new int[counts.length];
        for (int r = 0; r < counts.length; r++) {
            g[r] = new int[counts[r]];
        }
        for (int j = 0; j < n; j++) {
            g[rows[j]][fill[rows[j]]++] = j;
        }
        return g;
    }

    /**
     * Checks every parameter when there are at most {@code sample} of them, otherwise
     * {@code sample} parameters drawn at random (seeded).
     */
    public Result run(long sample, long seed, double h) {
        FactorModel dm = model;
        double[][] g = analytic();
        int k = dm.rank;
        long total = (long) p.length + q.length + (obj.biases() ? bu.length + bi.length : 0);
        boolean all = total <= sample;
        SplittableRandom rnd = new SplittableRandom(seed);
        double worst = -1;
        String where = "";
        double wa = 0;
        double wn = 0;
        long count = all ? total : sample;
        for (long s = 0; s < count; s++) {
            long j = all ? s : rnd.nextLong(total);
            int kind;
            int idx;
            if (j < p.length) {
                kind = 0;
                idx = (int) j;
            } else if (j < p.length + q.length) {
                kind = 1;
                idx = (int) (j - p.length);
            } else if (j < p.length + q.length + bu.length) {
                kind = 2;
                idx = (int) (j - p.length - q.length);
            } else {
                kind = 3;
                idx = (int) (j - p.length - q.length - bu.length);
            }
            double[] arr = kind == 0 ? p : kind == 1 ? q : kind == 2 ? bu : bi;
            double old = arr[idx];
            double step = h * Math.max(1, Math.abs(old));
            arr[idx] = old + step;
            double plus = localLoss(kind, idx);
            arr[idx] = old - step;
            double minus = localLoss(kind, idx);
            arr[idx] = old;
            double numeric = (plus - minus) / (2 * step);
            double a = g[kind][idx];
            double rel = Math.abs(a - numeric) / Math.max(Math.max(Math.abs(a), Math.abs(numeric)), 1e-8);
            if (rel > worst) {
                worst = rel;
                wa = a;
                wn = numeric;
                String[] names = {"P", "Q", "b_user", "b_item"};
                where = kind < 2 ? names[kind] + "[" + (idx / k) + "][" + (idx % k) + "]" : names[kind] + "[" + idx + "]";
            }
        }
        return new Result(worst, where, wa, wn, count);
    }

    private double[][] analytic() {
        return analyticGradient.gradient(model.copy(), train, obj);
    }

    /** The terms of L that contain a parameter of the given row. */
    private double localLoss(int kind, int idx) {
        int k = model.rank;
        boolean userSide = kind == 0 || kind == 2;
        int row = kind < 2 ? idx / k : idx;
        int[] ratings = userSide ? byUser[row] : byItem[row];
        double s = 0;
        for (int n : ratings) {
            double e = train.value(n) - predict(train.user(n), train.item(n));
            s += e * e;
        }
        double c = obj.regularization().coefficient(userSide ? nu[row] : ni[row]);
        double[] f = userSide ? p : q;
        double norm = 0;
        for (int j = 0; j < k; j++) {
            norm += f[row * k + j] * f[row * k + j];
        }
        s += obj.lambda() * c * norm;
        if (obj.biases()) {
            double b = userSide ? bu[row] : bi[row];
            s += obj.lambdaBias() * c * b * b;
        }
        return s;
    }

    private double predict(int u, int i) {
        int k = model.rank;
        double s = model.mu;
        if (obj.biases()) {
            s += bu[u] + bi[i];
        }
        for (int j = 0; j < k; j++) {
            s += p[u * k + j] * q[i * k + j];
        }
        return s;
    }
}
