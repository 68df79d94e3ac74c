package dev.lfm.data;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * A planted low-rank rating problem with a known answer.
 *
 * <p>Recipe: U (users × r) and V (items × r) have entries ~ N(0, 1), r the true rank; the clean
 * rating of (u, i) is U_u·V_i min-max scaled to [1, 5]; the observed rating is the clean one plus
 * Gaussian noise N(0, σ²), clipped to [1, 5]. Every user and every item has at least 2 ratings.
 *
 * <p>Which entries are observed: the dense matrix is never built. Each user gets 2 ratings plus
 * a share of the remaining {@code numRatings − 2·numUsers} assigned to users uniformly at random
 * (so the total is exact, and each entry is observed with probability ≈ {@code density}); the
 * user's items are distinct, drawn by Floyd's algorithm. Items left with fewer than 2 ratings then
 * get ratings from random users. U·Vᵀ is computed only on the observed pairs.
 *
 * <p>Scaling: when the dense matrix is small ({@code numUsers·numItems ≤ }
 * {@value #DENSE_SCALING_CELLS} cells) the min and max of U·Vᵀ over <em>all</em> cells define the
 * scaling, exactly as in the dense seed recipe; above that, the min and max over the
 * <em>observed</em> entries are used (which makes the observed clean values span [1, 5] exactly).
 *
 * <p>Reproducible: the same {@link Config} gives identical ratings on any number of threads, since
 * every user's items come from a stream seeded by (seed, user) and the noise from streams seeded by
 * (seed, block of positions). The planted factors are kept, so {@link #clean(int, int)} gives the
 * noise-free value of any pair and {@link #noiseRmse(Ratings)} the noise floor of a rating set: the
 * RMSE of the true model, which no trained model can beat on average.
 */
public final class SyntheticRatings {
    /** Dense matrices up to this many cells are scaled by their exact dense min and max. */
    public static final long DENSE_SCALING_CELLS = 20_000_000L;
    public static final float MIN_RATING = 1f;
    public static final float MAX_RATING = 5f;
    /** Default noise σ. */
    public static final double DEFAULT_NOISE = 0.25;
    /** Default seed. */
    public static final long DEFAULT_SEED = 42;

    private static final int USERS_PER_CHUNK = 1024;
    private static final int NOISE_BLOCK = 1 << 16;

    /**
     * Problem size and recipe parameters. Give either {@code numRatings} (&gt; 0) or
     * {@code density} (then {@code numRatings = round(density·numUsers·numItems)}, at least
     * {@code 2·max(numUsers, numItems)}).
     *
     * @param noise σ of the Gaussian noise added to the clean ratings
     */
    public record Config(int numUsers, int numItems, int rank, long numRatings, double density, double noise,
                         long seed) {
        public Config {
            if (numUsers < 2 || numItems < 2) {
                throw new IllegalArgumentException("need at least 2 users and 2 items");
            }
            if (rank < 1) {
                throw new IllegalArgumentException("rank must be >= 1");
            }
            if (!(noise >= 0) || Double.isInfinite(noise)) {
                throw new IllegalArgumentException("noise must be >= 0");
            }
            if (numRatings <= 0 && !(density > 0 && density <= 1)) {
                throw new IllegalArgumentException("give numRatings > 0 or a density in (0, 1]");
            }
        }

        /** Each entry observed with probability {@code density}; σ 0.25, seed 42. */
        public static Config ofDensity(int numUsers, int numItems, int rank, double density) {
            return new Config(numUsers, numItems, rank, 0, density, DEFAULT_NOISE, DEFAULT_SEED);
        }

        /** Exactly {@code numRatings} observed entries (plus any needed to give every row and column 2). */
        public static Config ofCount(int numUsers, int numItems, int rank, long numRatings) {
            return new Config(numUsers, numItems, rank, numRatings, 0, DEFAULT_NOISE, DEFAULT_SEED);
        }

        public Config withNoise(double sigma) {
            return new Config(numUsers, numItems, rank, numRatings, density, sigma, seed);
        }

        public Config withSeed(long s) {
            return new Config(numUsers, numItems, rank, numRatings, density, noise, s);
        }

        public Config withRank(int r) {
            return new Config(numUsers, numItems, r, numRatings, density, noise, seed);
        }

        /** The number of ratings to draw before the per-item minimum is enforced. */
        public long targetRatings() {
            long cells = (long) numUsers * numItems;
            long n = numRatings > 0 ? numRatings : Math.round(density * cells);
            n = Math.max(n, 2L * Math.max(numUsers, numItems));
            if (n > cells) {
                throw new IllegalArgumentException(n + " ratings do not fit in " + numUsers + " x " + numItems);
            }
            if (n > Integer.MAX_VALUE - 16 - 2L * numItems) {
                throw new IllegalArgumentException("at most ~2^31 ratings");
            }
            return n;
        }

        /** Fraction of cells observed. */
        public double observedDensity() {
            return (double) targetRatings() / ((double) numUsers * numItems);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%d users x %d items, %d ratings, true rank %d, noise %.3g, seed %d",
                    numUsers, numItems, targetRatings(), rank, noise, seed);
        }
    }

    /** Named problems: {@code small} for tests, {@code default} for {@code lfm train} with no data, {@code netflix}. */
    public enum Preset {
        /** 600 users × 400 items, 24,000 ratings (10%), true rank 4: fast enough for unit tests. */
        SMALL(Config.ofCount(600, 400, 4, 24_000)),
        /** 50,000 users × 10,000 items, 5M ratings (1%), true rank 8, σ 0.25: {@code lfm train} without data. */
        DEFAULT(Config.ofCount(50_000, 10_000, 8, 5_000_000)),
        /** Netflix-prize size: 480,000 users × 18,000 items, 100M ratings, true rank 8, σ 0.25. */
        NETFLIX(Config.ofCount(480_000, 18_000, 8, 100_000_000));

        private final Config config;

        Preset(Config config) {
            this.config = config;
        }

        public Config config() {
            return config;
        }

        /** The lower-case name the CLI uses. */
        public String cliName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Config config;
    private final Ratings ratings;
    private final float[] u;
    private final float[] v;
    private final double lo;
    private final double hi;
    private final boolean denseScaling;

    private SyntheticRatings(Config config, Ratings ratings, float[] u, float[] v, double lo, double hi,
                             boolean denseScaling) {
        this.config = config;
        this.ratings = ratings;
        this.u = u;
        this.v = v;
        this.lo = lo;
        this.hi = hi;
        this.denseScaling = denseScaling;
    }

    /** Generates a preset problem. */
    public static SyntheticRatings generate(Preset preset) {
        return generate(preset.config());
    }

    /** Generates the problem (multithreaded on the common fork-join pool; deterministic). */
    public static SyntheticRatings generate(Config c) {
        final int numUsers = c.numUsers();
        final int numItems = c.numItems();
        final int k = c.rank();
        final long seed = c.seed();
        SplittableRandom root = new SplittableRandom(seed);
        float[] uf = gaussianMatrix(numUsers, k, root.split());
        float[] vf = gaussianMatrix(numItems, k, root.split());

        int n = (int) c.targetRatings();
        int[] counts = userCounts(numUsers, numItems, n, root.split());
        long[] offsets = new long[numUsers + 1];
        for (int x = 0; x < numUsers; x++) {
            offsets[x + 1] = offsets[x] + counts[x];
        }
        final int[] drawnUsers = new int[n];
        final int[] drawnItems = new int[n];
        final float[] drawnValues = new float[n];
        int numChunks = (numUsers + USERS_PER_CHUNK - 1) / USERS_PER_CHUNK;
        double[] chunkLo = new double[numChunks];
        double[] chunkHi = new double[numChunks];
        ThreadLocal<long[]> bits = ThreadLocal.withInitial(() -> new long[(numItems + 63) >>> 6]);
        ThreadLocal<int[]> scratch = ThreadLocal.withInitial(() -> new int[16]);
        IntStream.range(0, numChunks).parallel().forEach(ch -> {
            long[] set = bits.get();
            double mn = Double.POSITIVE_INFINITY;
            double mx = Double.NEGATIVE_INFINITY;
            int end = Math.min(numUsers, (ch + 1) * USERS_PER_CHUNK);
            for (int x = ch * USERS_PER_CHUNK; x < end; x++) {
                int off = (int) offsets[x];
                int cnt = counts[x];
                int[] tmp = scratch.get();
                if (tmp.length < cnt) {
                    tmp = new int[Math.max(cnt, tmp.length * 2)];
                    scratch.set(tmp);
                }
                sampleItems(new SplittableRandom(mix(seed, x)), numItems, cnt, set, tmp, drawnItems, off);
                for (int j = off; j < off + cnt; j++) {
                    drawnUsers[j] = x;
                    double d = dot(uf, vf, k, x, drawnItems[j]);
                    drawnValues[j] = (float) d;
                    mn = Math.min(mn, d);
                    mx = Math.max(mx, d);
                }
            }
            chunkLo[ch] = mn;
            chunkHi[ch] = mx;
        });

        int[] users = drawnUsers;
        int[] items = drawnItems;
        float[] values = drawnValues;
        int[] itemCounts = new int[numItems];
        for (int j = 0; j < n; j++) {
            itemCounts[items[j]]++;
        }
        int extra = 0;
        for (int i = 0; i < numItems; i++) {
            extra += Math.max(0, 2 - itemCounts[i]);
        }
        double lo = Arrays.stream(chunkLo).min().orElse(0);
        double hi = Arrays.stream(chunkHi).max().orElse(1);
        if (extra > 0) {
            users = Arrays.copyOf(users, n + extra);
            items = Arrays.copyOf(items, n + extra);
            values = Arrays.copyOf(values, n + extra);
            SplittableRandom rnd = root.split();
            int w = n;
            for (int i = 0; i < numItems; i++) {
                int first = -1;
                for (int need = 2 - itemCounts[i]; need > 0; need--) {
                    int x;
                    do {
                        x = rnd.nextInt(numUsers);
                    } while (x == first || rates(items, (int) offsets[x], counts[x], i));
                    first = x;
                    users[w] = x;
                    items[w] = i;
                    double d = dot(uf, vf, k, x, i);
                    values[w] = (float) d;
                    lo = Math.min(lo, d);
                    hi = Math.max(hi, d);
                    w++;
                }
            }
            n = w;
        }
        boolean dense = (long) numUsers * numItems <= DENSE_SCALING_CELLS;
        if (dense) {
            double[] range = denseRange(uf, vf, numUsers, numItems, k);
            lo = range[0];
            hi = range[1];
        }
        if (!(hi > lo)) {
            hi = lo + 1;
        }
        final double fLo = lo;
        final double fScale = (MAX_RATING - MIN_RATING) / (hi - lo);
        final double sigma = c.noise();
        final float[] vals = values;
        final int total = n;
        int numBlocks = (n + NOISE_BLOCK - 1) / NOISE_BLOCK;
        IntStream.range(0, numBlocks).parallel().forEach(b -> {
            SplittableRandom rnd = new SplittableRandom(mix(~seed, b));
            int end = Math.min(total, (b + 1) * NOISE_BLOCK);
            for (int j = b * NOISE_BLOCK; j < end; j += 2) {
                double r1 = Math.sqrt(-2 * Math.log(1 - rnd.nextDouble()));
                double a = 2 * Math.PI * rnd.nextDouble();
                vals[j] = noisy(vals[j], fLo, fScale, sigma * r1 * Math.cos(a));
                if (j + 1 < end) {
                    vals[j + 1] = noisy(vals[j + 1], fLo, fScale, sigma * r1 * Math.sin(a));
                }
            }
        });
        Ratings r = new Ratings(numUsers, numItems, users, items, values, n, IdMap.identity(numUsers),
                IdMap.identity(numItems), MIN_RATING, MAX_RATING);
        return new SyntheticRatings(c, r, uf, vf, lo, hi, dense);
    }

    private static float noisy(float raw, double lo, double scale, double noise) {
        double clean = MIN_RATING + (raw - lo) * scale;
        return (float) Math.max(MIN_RATING, Math.min(MAX_RATING, clean + noise));
    }

    private static float[] gaussianMatrix(int rows, int k, SplittableRandom rnd) {
        float[] m = new float[rows * k];
        for (int j = 0; j < m.length; j++) {
            m[j] = (float) Gaussian.next(rnd);
        }
        return m;
    }

    /** 2 per user, the rest assigned to uniformly random users, no user above numItems. */
    private static int[] userCounts(int numUsers, int numItems, int n, SplittableRandom rnd) {
        int[] counts = new int[numUsers];
        Arrays.fill(counts, 2);
        long excess = 0;
        for (long j = 2L * numUsers; j < n; j++) {
            int x = rnd.nextInt(numUsers);
            if (counts[x] < numItems) {
                counts[x]++;
            } else {
                excess++;
            }
        }
        for (int x = rnd.nextInt(numUsers); excess > 0; x = (x + 1) % numUsers) {
            int room = Math.min(numItems - counts[x], (int) Math.min(excess, Integer.MAX_VALUE));
            counts[x] += room;
            excess -= room;
        }
        return counts;
    }

    /**
     * Writes {@code cnt} distinct items in increasing order to {@code out[off..]}, by Floyd's
     * algorithm on a bit set (left all-zero on return).
     */
    private static void sampleItems(SplittableRandom rnd, int numItems, int cnt, long[] set, int[] tmp,
                                    int[] out, int off) {
        for (int j = numItems - cnt; j < numItems; j++) {
            int t = rnd.nextInt(j + 1);
            int pick = (set[t >>> 6] & (1L << t)) != 0 ? j : t;
            set[pick >>> 6] |= 1L << pick;
            tmp[j - (numItems - cnt)] = pick;
        }
        if ((long) cnt * 16 >= set.length) {
            int w = off;
            for (int word = 0; word < set.length; word++) {
                long b = set[word];
                while (b != 0) {
                    out[w++] = (word << 6) + Long.numberOfTrailingZeros(b);
                    b &= b - 1;
                }
                set[word] = 0;
            }
        } else {
            Arrays.sort(tmp, 0, cnt);
            for (int j = 0; j < cnt; j++) {
                out[off + j] = tmp[j];
                set[tmp[j] >>> 6] = 0;
            }
        }
    }

    private static boolean rates(int[] items, int off, int cnt, int item) {
        return Arrays.binarySearch(items, off, off + cnt, item) >= 0;
    }

    private static double dot(float[] uf, float[] vf, int k, int x, int i) {
        double s = 0;
        int a = x * k;
        int b = i * k;
        for (int c = 0; c < k; c++) {
            s += (double) uf[a + c] * vf[b + c];
        }
        return s;
    }

    private static double[] denseRange(float[] uf, float[] vf, int numUsers, int numItems, int k) {
        double[][] r = IntStream.range(0, numUsers).parallel().mapToObj(x -> {
            double mn = Double.POSITIVE_INFINITY;
            double mx = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < numItems; i++) {
                double d = dot(uf, vf, k, x, i);
                mn = Math.min(mn, d);
                mx = Math.max(mx, d);
            }
            return new double[] {mn, mx};
        }).toArray(double[][]::new);
        double mn = Double.POSITIVE_INFINITY;
        double mx = Double.NEGATIVE_INFINITY;
        for (double[] p : r) {
            mn = Math.min(mn, p[0]);
            mx = Math.max(mx, p[1]);
        }
        return new double[] {mn, mx};
    }

    private static long mix(long seed, long x) {
        long z = seed + 0x9E3779B97F4A7C15L * (x + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    public Config config() {
        return config;
    }

    /** The observed (noisy, clipped) ratings; identity id maps, scale [1, 5]. */
    public Ratings ratings() {
        return ratings;
    }

    /** Planted user factors U, row-major (users × rank). Do not modify. */
    public float[] userFactors() {
        return u;
    }

    /** Planted item factors V, row-major (items × rank). Do not modify. */
    public float[] itemFactors() {
        return v;
    }

    /** σ of the added noise. */
    public double noise() {
        return config.noise();
    }

    /** The raw U·Vᵀ value mapped to 1 by the scaling. */
    public double scaleLow() {
        return lo;
    }

    /** The raw U·Vᵀ value mapped to 5 by the scaling. */
    public double scaleHigh() {
        return hi;
    }

    /** Whether the scaling used the dense matrix's min and max (else the observed entries'). */
    public boolean denseScaling() {
        return denseScaling;
    }

    /** The noise-free rating of (user, item): U_u·V_i scaled to [1, 5] (outside the observed range it may leave [1, 5]). */
    public float clean(int user, int item) {
        double d = dot(u, v, config.rank(), user, item);
        return (float) (MIN_RATING + (d - lo) * (MAX_RATING - MIN_RATING) / (hi - lo));
    }

    /**
     * RMSE of the planted model on a rating set of this problem (the whole set or a split part):
     * the noise floor, ≈ σ (a little less where clipping to [1, 5] cut the noise).
     */
    public double noiseRmse(Ratings set) {
        double s = 0;
        for (int j = 0; j < set.size(); j++) {
            double e = set.value(j) - clean(set.user(j), set.item(j));
            s += e * e;
        }
        return set.size() == 0 ? 0 : Math.sqrt(s / set.size());
    }

    // ------------------------------------------------------------ small recipes for tests and timing

    /**
     * Uniform pairs, for benchmarks and kernel tests: {@code numRatings} (user, item) pairs drawn
     * uniformly (repeats possible and harmless for timing), r = 3 + u·v + noise with u, v entries
     * N(0, 1/√trueRank) (so u·v has variance about 1), clipped to [1, 5]. Generated in parallel
     * chunks with split seeds, so the result depends only on the arguments.
     */
    public static Ratings uniform(int numUsers, int numItems, int numRatings, int trueRank, double noise, long seed) {
        if (numUsers < 1 || numItems < 1 || numRatings < 0 || trueRank < 1) {
            throw new IllegalArgumentException("users, items, rank must be >= 1 and ratings >= 0");
        }
        SplittableRandom root = new SplittableRandom(seed);
        float[] u = Gaussian.floats(root.split(), numUsers * trueRank, 1 / Math.sqrt(Math.sqrt(trueRank)));
        float[] v = Gaussian.floats(root.split(), numItems * trueRank, 1 / Math.sqrt(Math.sqrt(trueRank)));
        long chunkSeed = root.nextLong();
        int[] users = new int[numRatings];
        int[] items = new int[numRatings];
        float[] values = new float[numRatings];
        int chunk = 1 << 20;
        int chunks = (numRatings + chunk - 1) / chunk;
        IntStream.range(0, chunks).parallel().forEach(c -> {
            SplittableRandom rnd = new SplittableRandom(chunkSeed + 0x9E3779B97F4A7C15L * (c + 1));
            int to = (int) Math.min(numRatings, (long) (c + 1) * chunk);
            for (int n = c * chunk; n < to; n++) {
                int a = rnd.nextInt(numUsers);
                int b = rnd.nextInt(numItems);
                double r = 3 + noise * Gaussian.next(rnd);
                for (int j = 0; j < trueRank; j++) {
                    r += u[a * trueRank + j] * v[b * trueRank + j];
                }
                users[n] = a;
                items[n] = b;
                values[n] = (float) Math.max(1, Math.min(5, r));
            }
        });
        return new Ratings(numUsers, numItems, users, items, values, numRatings, IdMap.identity(numUsers),
                IdMap.identity(numItems), 1f, 5f);
    }

    /**
     * Planted biased problem with a seeded 80/20 train/test split (no validation), for verification
     * and contract tests: r = 3 + b_u + b_i + p_u·q_i + noise with true factors of the given rank
     * (entries of standard deviation 1/√rank, so Var(p·q) = 1/rank), biases N(0, 0.3²), Gaussian noise of σ {@code noise}; each (u, i)
     * observed with probability {@code density}. The scale is [floor(min), ceil(max)] of the values.
     */
    public static Split planted(int numUsers, int numItems, int rank, double density, double noise, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double scale = 1 / Math.sqrt(rank);
        double[] p = Gaussian.doubles(rnd, numUsers * rank, scale);
        double[] q = Gaussian.doubles(rnd, numItems * rank, scale);
        double[] bu = Gaussian.doubles(rnd, numUsers, 0.3);
        double[] bi = Gaussian.doubles(rnd, numItems, 0.3);
        int cap = (int) Math.min(Integer.MAX_VALUE - 8, (long) Math.ceil(numUsers * (double) numItems * density * 1.2) + 16);
        int[][] u = {new int[cap / 2 + 8], new int[cap / 2 + 8]};
        int[][] it = {new int[cap / 2 + 8], new int[cap / 2 + 8]};
        float[][] v = {new float[cap / 2 + 8], new float[cap / 2 + 8]};
        int[] n = new int[2];
        float lo = Float.MAX_VALUE;
        float hi = -Float.MAX_VALUE;
        for (int a = 0; a < numUsers; a++) {
            for (int b = 0; b < numItems; b++) {
                if (rnd.nextDouble() >= density) {
                    continue;
                }
                double r = 3 + bu[a] + bi[b] + noise * Gaussian.next(rnd);
                for (int c = 0; c < rank; c++) {
                    r += p[a * rank + c] * q[b * rank + c];
                }
                int side = rnd.nextDouble() < 0.8 ? 0 : 1;
                if (n[side] == u[side].length) {
                    u[side] = Arrays.copyOf(u[side], n[side] * 2);
                    it[side] = Arrays.copyOf(it[side], n[side] * 2);
                    v[side] = Arrays.copyOf(v[side], n[side] * 2);
                }
                u[side][n[side]] = a;
                it[side][n[side]] = b;
                v[side][n[side]] = (float) r;
                n[side]++;
                lo = Math.min(lo, (float) r);
                hi = Math.max(hi, (float) r);
            }
        }
        float min = (float) Math.floor(lo);
        float max = (float) Math.ceil(hi);
        Ratings train = new Ratings(numUsers, numItems, u[0], it[0], v[0], n[0], null, null, min, max).trimmed();
        Ratings test = new Ratings(numUsers, numItems, u[1], it[1], v[1], n[1], null, null, min, max).trimmed();
        Ratings none = new Ratings(numUsers, numItems, new int[0], new int[0], new float[0], 0, null, null, min, max);
        return new Split(train, none, test);
    }

    /**
     * Structureless ratings for kernel checks: {@code n} uniform (user, item) pairs with values
     * uniform in [1, 5) (repeats possible).
     */
    public static Ratings noise(int numUsers, int numItems, int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int[] u = new int[n];
        int[] i = new int[n];
        float[] v = new float[n];
        for (int j = 0; j < n; j++) {
            u[j] = rnd.nextInt(numUsers);
            i[j] = rnd.nextInt(numItems);
            v[j] = 1 + 4 * (float) rnd.nextDouble();
        }
        return new Ratings(numUsers, numItems, u, i, v, n, null, null, 1f, 5f);
    }

    @Override
    public String toString() {
        return "synthetic: " + config;
    }
}
