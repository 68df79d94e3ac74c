package dev.lfm.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.lfm.data.SyntheticRatings.Config;
import dev.lfm.data.SyntheticRatings.Preset;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The synthetic recipe against expectations computed here from the planted factors (raw dot
 * products, their dense or observed min and max) and against properties a wrong generator breaks.
 */
class SyntheticRatingsRecipeTest {

    private static double raw(SyntheticRatings s, int user, int item) {
        int k = s.config().rank();
        double d = 0;
        for (int c = 0; c < k; c++) {
            d += (double) s.userFactors()[user * k + c] * s.itemFactors()[item * k + c];
        }
        return d;
    }

    private static <T> T onThreads(int threads, Supplier<T> work) throws Exception {
        ForkJoinPool pool = new ForkJoinPool(threads);
        try {
            return pool.submit(work::get).get();
        } finally {
            pool.shutdown();
        }
    }

    // ------------------------------------------------------------------ Config

    @Test
    void configBoundaries() {
        assertThatCode(() -> new Config(2, 2, 1, 4, 0, 0, 1)).doesNotThrowAnyException();
        assertThatThrownBy(() -> new Config(1, 2, 1, 4, 0, 0, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2 users");
        assertThatThrownBy(() -> new Config(2, 1, 1, 4, 0, 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Config(2, 2, 0, 4, 0, 0, 1)).hasMessageContaining("rank");
        assertThatThrownBy(() -> new Config(2, 2, 1, 4, 0, -1e-9, 1)).hasMessageContaining("noise");
        assertThatThrownBy(() -> new Config(2, 2, 1, 4, 0, Double.NaN, 1)).hasMessageContaining("noise");
        assertThatThrownBy(() -> new Config(2, 2, 1, 4, 0, Double.POSITIVE_INFINITY, 1))
                .hasMessageContaining("noise");
        // numRatings or a density in (0, 1]
        assertThatCode(() -> new Config(2, 2, 1, 1, 0, 0, 1)).doesNotThrowAnyException();
        assertThatCode(() -> new Config(2, 2, 1, 0, 1.0, 0, 1)).doesNotThrowAnyException();
        assertThatCode(() -> new Config(2, 2, 1, 0, 1e-9, 0, 1)).doesNotThrowAnyException();
        assertThatThrownBy(() -> new Config(2, 2, 1, 0, 0, 0, 1)).hasMessageContaining("density");
        assertThatThrownBy(() -> new Config(2, 2, 1, 0, 1.0000001, 0, 1)).hasMessageContaining("density");
        assertThatThrownBy(() -> new Config(2, 2, 1, -5, Double.NaN, 0, 1)).hasMessageContaining("density");
    }

    @Test
    void factoriesAndWithers() {
        Config d = Config.ofDensity(10, 20, 3, 0.5);
        assertThat(d).isEqualTo(new Config(10, 20, 3, 0, 0.5, 0.25, 42));
        Config c = Config.ofCount(10, 20, 3, 77);
        assertThat(c).isEqualTo(new Config(10, 20, 3, 77, 0, 0.25, 42));
        assertThat(c.withNoise(0.5)).isEqualTo(new Config(10, 20, 3, 77, 0, 0.5, 42));
        assertThat(c.withSeed(9)).isEqualTo(new Config(10, 20, 3, 77, 0, 0.25, 9));
        assertThat(c.withRank(5)).isEqualTo(new Config(10, 20, 5, 77, 0, 0.25, 42));
        assertThat(SyntheticRatings.DEFAULT_NOISE).isEqualTo(0.25);
        assertThat(SyntheticRatings.DEFAULT_SEED).isEqualTo(42);
    }

    @Test
    void targetRatingsByHand() {
        // round(0.255 * 100) = round(25.5) = 26 (not 25, not floor)
        assertThat(Config.ofDensity(10, 10, 1, 0.255).targetRatings()).isEqualTo(26);
        assertThat(Config.ofDensity(10, 10, 1, 0.254).targetRatings()).isEqualTo(25);
        // at least 2 per row and column: 2 * max(10, 30) = 60
        assertThat(Config.ofCount(10, 30, 1, 5).targetRatings()).isEqualTo(60);
        assertThat(Config.ofCount(30, 10, 1, 5).targetRatings()).isEqualTo(60);
        assertThat(Config.ofCount(30, 10, 1, 61).targetRatings()).isEqualTo(61);
        assertThat(Config.ofDensity(30, 10, 1, 0.01).targetRatings()).isEqualTo(60);
        // exactly full fits; one more does not
        assertThat(Config.ofCount(10, 10, 1, 100).targetRatings()).isEqualTo(100);
        assertThatThrownBy(() -> Config.ofCount(10, 10, 1, 101).targetRatings())
                .hasMessage("101 ratings do not fit in 10 x 10");
        // the int limit: n <= Integer.MAX_VALUE - 16 - 2 * numItems
        long limit = Integer.MAX_VALUE - 16 - 2L * 50_000;
        assertThat(Config.ofCount(50_000, 50_000, 1, limit).targetRatings()).isEqualTo(limit);
        assertThatThrownBy(() -> Config.ofCount(50_000, 50_000, 1, limit + 1).targetRatings())
                .hasMessageContaining("2^31");
        assertThat(Config.ofCount(10, 10, 1, 30).observedDensity()).isEqualTo(0.3);
        assertThat(Config.ofCount(10, 40, 1, 100).observedDensity()).isEqualTo(0.25);
    }

    @Test
    void configAndPresetNames() {
        assertThat(Config.ofCount(10, 20, 2, 50).toString())
                .isEqualTo("10 users x 20 items, 50 ratings, true rank 2, noise 0.250, seed 42");
        assertThat(Preset.SMALL.cliName()).isEqualTo("small");
        assertThat(Preset.DEFAULT.cliName()).isEqualTo("default");
        assertThat(Preset.NETFLIX.cliName()).isEqualTo("netflix");
        assertThat(Preset.SMALL.config()).isEqualTo(Config.ofCount(600, 400, 4, 24_000));
        assertThat(Preset.DEFAULT.config()).isEqualTo(Config.ofCount(50_000, 10_000, 8, 5_000_000));
        assertThat(Preset.NETFLIX.config()).isEqualTo(Config.ofCount(480_000, 18_000, 8, 100_000_000));
        SyntheticRatings s = SyntheticRatings.generate(Config.ofCount(10, 20, 2, 50));
        assertThat(s.toString()).isEqualTo("synthetic: 10 users x 20 items, 50 ratings, true rank 2, noise 0.250, seed 42");
        assertThat(s.config()).isEqualTo(Config.ofCount(10, 20, 2, 50));
        assertThat(s.noise()).isEqualTo(0.25);
    }

    // ------------------------------------------------------------------ generate

    @Test
    void plantedFactorsAreStandardNormal() {
        SyntheticRatings s = SyntheticRatings.generate(Config.ofCount(3000, 2000, 4, 12_000).withNoise(0));
        assertThat(s.userFactors()).hasSize(3000 * 4);
        assertThat(s.itemFactors()).hasSize(2000 * 4);
        for (float[] f : new float[][] {s.userFactors(), s.itemFactors()}) {
            double sum = 0;
            double sq = 0;
            int tails = 0;
            int negative = 0;
            for (float x : f) {
                sum += x;
                sq += (double) x * x;
                tails += Math.abs(x) > 1.96 ? 1 : 0;
                negative += x < 0 ? 1 : 0;
            }
            assertThat(sum / f.length).isCloseTo(0, within(0.05));
            assertThat(sq / f.length).isCloseTo(1, within(0.06));
            assertThat((double) tails / f.length).isCloseTo(0.05, within(0.01));
            assertThat((double) negative / f.length).isCloseTo(0.5, within(0.02));
        }
        // the two matrices are drawn from different streams
        assertThat(Arrays.copyOf(s.userFactors(), 100)).isNotEqualTo(Arrays.copyOf(s.itemFactors(), 100));
    }

    @Test
    void denseScalingMapsTheDenseMinAndMaxToOneAndFive() {
        SyntheticRatings s = SyntheticRatings.generate(Config.ofDensity(60, 50, 3, 0.2));
        double mn = Double.POSITIVE_INFINITY;
        double mx = Double.NEGATIVE_INFINITY;
        for (int u = 0; u < 60; u++) {
            for (int i = 0; i < 50; i++) {
                mn = Math.min(mn, raw(s, u, i));
                mx = Math.max(mx, raw(s, u, i));
            }
        }
        assertThat(s.denseScaling()).isTrue();
        assertThat(s.scaleLow()).isCloseTo(mn, within(1e-9));
        assertThat(s.scaleHigh()).isCloseTo(mx, within(1e-9));
        // clean(u, i) = 1 + 4 (raw - min) / (max - min), by hand for every cell
        double cleanMin = Double.POSITIVE_INFINITY;
        double cleanMax = Double.NEGATIVE_INFINITY;
        for (int u = 0; u < 60; u++) {
            for (int i = 0; i < 50; i++) {
                double expected = 1 + 4 * (raw(s, u, i) - mn) / (mx - mn);
                assertThat((double) s.clean(u, i)).isCloseTo(expected, within(1e-5));
                cleanMin = Math.min(cleanMin, s.clean(u, i));
                cleanMax = Math.max(cleanMax, s.clean(u, i));
            }
        }
        assertThat(cleanMin).isCloseTo(1, within(1e-6));
        assertThat(cleanMax).isCloseTo(5, within(1e-6));
    }

    @Test
    void denseScalingUpToTwentyMillionCellsThenObserved() {
        assertThat(SyntheticRatings.DENSE_SCALING_CELLS).isEqualTo(20_000_000L);
        SyntheticRatings atLimit = SyntheticRatings.generate(Config.ofCount(5000, 4000, 1, 10_000));
        assertThat(atLimit.denseScaling()).isTrue();
        SyntheticRatings above = SyntheticRatings.generate(Config.ofCount(5000, 4001, 1, 10_002));
        assertThat(above.denseScaling()).isFalse();
        // rank 1: the dense extremes are products of the extreme factor entries
        float[] u = atLimit.userFactors();
        float[] v = atLimit.itemFactors();
        double uMin = min(u);
        double uMax = max(u);
        double vMin = min(v);
        double vMax = max(v);
        double[] corners = {uMin * vMin, uMin * vMax, uMax * vMin, uMax * vMax};
        assertThat(atLimit.scaleLow()).isCloseTo(Arrays.stream(corners).min().getAsDouble(), within(1e-9));
        assertThat(atLimit.scaleHigh()).isCloseTo(Arrays.stream(corners).max().getAsDouble(), within(1e-9));
    }

    private static double min(float[] a) {
        double m = Double.POSITIVE_INFINITY;
        for (float x : a) {
            m = Math.min(m, x);
        }
        return m;
    }

    private static double max(float[] a) {
        double m = Double.NEGATIVE_INFINITY;
        for (float x : a) {
            m = Math.max(m, x);
        }
        return m;
    }

    @Test
    void observedScalingUsesTheObservedExtremesIncludingTopUps() {
        int extremesInTopUps = 0;
        for (long seed = 1; seed <= 8; seed++) {
            Config c = Config.ofCount(2000, 10_001, 2, 20_002).withSeed(seed).withNoise(0);
            SyntheticRatings s = SyntheticRatings.generate(c);
            Ratings r = s.ratings();
            assertThat(s.denseScaling()).isFalse();
            double mn = Double.POSITIVE_INFINITY;
            double mx = Double.NEGATIVE_INFINITY;
            int argMin = -1;
            int argMax = -1;
            for (int j = 0; j < r.size(); j++) {
                double d = raw(s, r.user(j), r.item(j));
                if (d < mn) {
                    mn = d;
                    argMin = j;
                }
                if (d > mx) {
                    mx = d;
                    argMax = j;
                }
            }
            assertThat(s.scaleLow()).isCloseTo(mn, within(1e-9));
            assertThat(s.scaleHigh()).isCloseTo(mx, within(1e-9));
            long target = c.targetRatings();
            extremesInTopUps += (argMin >= target ? 1 : 0) + (argMax >= target ? 1 : 0);
            // noise 0: the observed values are the clean ones, spanning [1, 5] exactly
            for (int j = 0; j < r.size(); j++) {
                assertThat(r.value(j)).isBetween(1f, 5f);
            }
            assertThat(r.value(argMin)).isCloseTo(1f, within(1e-5f));
            assertThat(r.value(argMax)).isCloseTo(5f, within(1e-5f));
        }
        // the fixture exercises the top-up path's share of the range
        assertThat(extremesInTopUps).isPositive();
    }

    @Test
    void exactCountsPerUserItemsAndTopUps() {
        // 10 users x 20,000 items: 40,000 ratings drawn per user leave ~10% of the items unrated
        Config c = Config.ofCount(10, 20_000, 2, 40_000).withNoise(0);
        SyntheticRatings s = SyntheticRatings.generate(c);
        Ratings r = s.ratings();
        int target = (int) c.targetRatings();
        assertThat(target).isEqualTo(40_000);
        int[] drawn = new int[c.numItems()];
        for (int j = 0; j < target; j++) {
            drawn[r.item(j)]++;
        }
        int extra = 0;
        int zero = 0;
        for (int n : drawn) {
            extra += Math.max(0, 2 - n);
            zero += n == 0 ? 1 : 0;
        }
        assertThat(zero).isGreaterThan(500);
        assertThat(r.size()).isEqualTo(target + extra);
        int[] itemCounts = r.itemCounts();
        for (int i = 0; i < c.numItems(); i++) {
            assertThat(itemCounts[i]).isEqualTo(Math.max(2, drawn[i]));
        }
        // the top-ups come item by item, in increasing item order
        for (int j = target + 1; j < r.size(); j++) {
            assertThat(r.item(j)).isGreaterThanOrEqualTo(r.item(j - 1));
        }
        assertNoRepeatedPairs(r);
        // users of the per-user draw: grouped by user, items strictly increasing
        for (int j = 1; j < target; j++) {
            assertThat(r.user(j)).isGreaterThanOrEqualTo(r.user(j - 1));
            if (r.user(j) == r.user(j - 1)) {
                assertThat(r.item(j)).isGreaterThan(r.item(j - 1));
            }
        }
        assertThat(r.user(0)).isZero();
        assertThat(r.user(target - 1)).isEqualTo(9);
    }

    private static void assertNoRepeatedPairs(Ratings r) {
        long[] keys = new long[r.size()];
        for (int j = 0; j < r.size(); j++) {
            keys[j] = (long) r.user(j) * r.numItems() + r.item(j);
        }
        assertThat(Arrays.stream(keys).distinct().count()).isEqualTo(r.size());
    }

    @Test
    void perUserCountsAreTwoPlusAUniformShare() {
        // SMALL: 600 users, 24,000 ratings: 2 + Binomial(22,800, 1/600) per user (mean 40, variance ~38)
        SyntheticRatings s = SyntheticRatings.generate(Preset.SMALL);
        Ratings r = s.ratings();
        int[] drawnPerUser = new int[600];
        for (int j = 0; j < 24_000; j++) {
            drawnPerUser[r.user(j)]++;
        }
        double mean = Arrays.stream(drawnPerUser).average().getAsDouble();
        double var = Arrays.stream(drawnPerUser).mapToDouble(x -> (x - mean) * (x - mean)).sum() / 600;
        assertThat(mean).isEqualTo(40.0);
        assertThat(var).isBetween(28.0, 50.0);
        assertThat(Arrays.stream(drawnPerUser).min().getAsInt()).isGreaterThanOrEqualTo(2);
        // a user's items are uniform over the items: mean item index ~ 199.5
        double itemMean = 0;
        for (int j = 0; j < 24_000; j++) {
            itemMean += r.item(j);
        }
        assertThat(itemMean / 24_000).isCloseTo(199.5, within(3.0));
        // no user's item set repeats another's
        assertThat(Arrays.copyOfRange(r.items(), 0, drawnPerUser[0]))
                .isNotEqualTo(Arrays.copyOfRange(r.items(), drawnPerUser[0], 2 * drawnPerUser[0]));
    }

    @Test
    void sparseDrawsOfFewItemsAreUniformToo() {
        // 5000 items, 2-6 items a user: the sorted-sample path; leftover marks would skew it upwards
        SyntheticRatings s = SyntheticRatings.generate(Config.ofCount(4000, 5000, 1, 16_000));
        Ratings r = s.ratings();
        double mean = 0;
        int[] quarter = new int[4];
        for (int j = 0; j < 16_000; j++) {
            mean += r.item(j);
            quarter[r.item(j) * 4 / 5000]++;
        }
        assertThat(mean / 16_000).isCloseTo(2499.5, within(60.0));
        for (int j = 1; j < 16_000; j++) {
            if (r.user(j) == r.user(j - 1)) {
                assertThat(r.item(j)).isGreaterThan(r.item(j - 1));
            }
        }
        for (int q : quarter) {
            assertThat(q).isBetween(3700, 4300);
        }
        assertNoRepeatedPairs(r);
    }

    @Test
    void nearlyFullAndFullMatricesGiveExactCounts() {
        SyntheticRatings s = SyntheticRatings.generate(Config.ofCount(10, 10, 2, 95));
        assertThat(s.ratings().size()).isEqualTo(95);
        assertThat(Arrays.stream(s.ratings().userCounts()).max().getAsInt()).isLessThanOrEqualTo(10);
        assertNoRepeatedPairs(s.ratings());
        SyntheticRatings full = SyntheticRatings.generate(Config.ofCount(5, 3, 1, 15));
        assertThat(full.ratings().size()).isEqualTo(15);
        assertThat(full.ratings().userCounts()).containsOnly(3);
        assertThat(full.ratings().itemCounts()).containsOnly(5);
        assertNoRepeatedPairs(full.ratings());
        // 2 users x 2 items: the smallest problem, every cell
        SyntheticRatings tiny = SyntheticRatings.generate(new Config(2, 2, 1, 4, 0, 0, 3));
        assertThat(tiny.ratings().size()).isEqualTo(4);
        assertNoRepeatedPairs(tiny.ratings());
    }

    @Test
    void topUpsNeverRepeatAPairOnManyTinyProblems() {
        for (long seed = 0; seed < 300; seed++) {
            SyntheticRatings s = SyntheticRatings.generate(new Config(3, 30, 1, 60, 0, 0.25, seed));
            assertNoRepeatedPairs(s.ratings());
            assertThat(Arrays.stream(s.ratings().itemCounts()).min().getAsInt()).isGreaterThanOrEqualTo(2);
            assertThat(s.ratings().size()).isGreaterThanOrEqualTo(60);
        }
    }

    @Test
    void noiseIsGaussianWithSigmaInEveryBlockAtEvenAndOddPositions() {
        // 1000 x 1000 (dense), 150,001 ratings: three noise blocks of 65,536, an odd total
        Config c = Config.ofCount(1000, 1000, 3, 150_001).withNoise(0.3);
        SyntheticRatings s = SyntheticRatings.generate(c);
        Ratings r = s.ratings();
        assertThat(r.size()).isEqualTo(150_001);
        int block = 1 << 16;
        double[] sq = new double[6];
        double[] sum = new double[6];
        int[] cnt = new int[6];
        double cross = 0;
        int pairs = 0;
        for (int j = 0; j < r.size(); j++) {
            double clean = s.clean(r.user(j), r.item(j));
            if (clean < 2.2 || clean > 3.8) {
                continue; // far from the clipping bounds
            }
            double e = r.value(j) - clean;
            int g = (j / block) * 2 + (j & 1);
            sq[g] += e * e;
            sum[g] += e;
            cnt[g]++;
            if ((j & 1) == 0 && j + 1 < r.size()) {
                double c2 = s.clean(r.user(j + 1), r.item(j + 1));
                if (c2 >= 2.2 && c2 <= 3.8) {
                    cross += e * (r.value(j + 1) - c2);
                    pairs++;
                }
            }
        }
        for (int g = 0; g < 6; g++) {
            assertThat(cnt[g]).isGreaterThan(3000);
            assertThat(Math.sqrt(sq[g] / cnt[g])).as("block %d parity %d", g / 2, g % 2).isCloseTo(0.3, within(0.015));
            assertThat(sum[g] / cnt[g]).isCloseTo(0, within(0.02));
        }
        // the cos and sin halves of one Box-Muller draw are uncorrelated
        assertThat(cross / pairs / 0.09).isCloseTo(0, within(0.05));
        // the last (odd) rating is noised too and stays in the scale
        assertThat(r.value(150_000)).isBetween(1f, 5f);
    }

    @Test
    void clippingToTheScale() {
        SyntheticRatings s = SyntheticRatings.generate(Config.ofCount(300, 200, 2, 20_000).withNoise(2));
        Ratings r = s.ratings();
        int ones = 0;
        int fives = 0;
        for (int j = 0; j < r.size(); j++) {
            assertThat(r.value(j)).isBetween(1f, 5f);
            ones += r.value(j) == 1f ? 1 : 0;
            fives += r.value(j) == 5f ? 1 : 0;
        }
        assertThat(ones).isGreaterThan(500);
        assertThat(fives).isGreaterThan(500);
        assertThat(r.minRating()).isEqualTo(1f);
        assertThat(r.maxRating()).isEqualTo(5f);
        assertThat(r.itemIds().isIdentity()).isTrue();
        assertThat(r.userIds().size()).isEqualTo(300);
        assertThat(r.itemIds().size()).isEqualTo(200);
    }

    @Test
    void sameRatingsOnOneThreadAndOnFour() throws Exception {
        Config c = Config.ofCount(2500, 800, 3, 140_000).withSeed(5);
        SyntheticRatings one = onThreads(1, () -> SyntheticRatings.generate(c));
        SyntheticRatings four = onThreads(4, () -> SyntheticRatings.generate(c));
        assertThat(four.ratings().size()).isEqualTo(one.ratings().size());
        assertThat(four.ratings().users()).isEqualTo(one.ratings().users());
        assertThat(four.ratings().items()).isEqualTo(one.ratings().items());
        assertThat(four.ratings().values()).isEqualTo(one.ratings().values());
        assertThat(four.scaleLow()).isEqualTo(one.scaleLow());
    }

    @Test
    void noiseRmseByHand() {
        SyntheticRatings s = SyntheticRatings.generate(Config.ofCount(10, 20, 2, 50));
        int[] u = {0, 3, 7};
        int[] i = {1, 5, 19};
        float[] offset = {0.3f, -0.4f, 0f};
        float[] v = new float[3];
        for (int j = 0; j < 3; j++) {
            v[j] = s.clean(u[j], i[j]) + offset[j];
        }
        Ratings set = new Ratings(10, 20, u, i, v, 3, null, null, 1, 5);
        assertThat(s.noiseRmse(set)).isCloseTo(Math.sqrt((0.09 + 0.16) / 3), within(1e-6));
        Ratings two = new Ratings(10, 20, u, i, v, 2, null, null, 1, 5);
        assertThat(s.noiseRmse(two)).isCloseTo(Math.sqrt((0.09 + 0.16) / 2), within(1e-6));
        assertThat(s.noiseRmse(new Ratings(10, 20, u, i, v, 0, null, null, 1, 5))).isZero();
    }

    // ------------------------------------------------------------------ uniform

    @Test
    void uniformArgumentsAndShape() {
        assertThatThrownBy(() -> SyntheticRatings.uniform(0, 1, 0, 1, 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SyntheticRatings.uniform(1, 0, 0, 1, 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SyntheticRatings.uniform(1, 1, -1, 1, 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SyntheticRatings.uniform(1, 1, 0, 0, 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(SyntheticRatings.uniform(1, 1, 0, 1, 0, 1).size()).isZero();
        Ratings one = SyntheticRatings.uniform(1, 1, 3, 1, 0, 1);
        assertThat(one.size()).isEqualTo(3);
        assertThat(one.users()).containsOnly(0);
        assertThat(one.items()).containsOnly(0);
        // one user and one item: the same pair three times, so the same value
        assertThat(one.values()).containsOnly(one.value(0));
        Ratings r = SyntheticRatings.uniform(40, 30, 12_000, 2, 0.1, 7);
        assertThat(r.numUsers()).isEqualTo(40);
        assertThat(r.numItems()).isEqualTo(30);
        assertThat(r.minRating()).isEqualTo(1f);
        assertThat(r.maxRating()).isEqualTo(5f);
        assertThat(r.userIds().size()).isEqualTo(40);
        assertThat(r.itemIds().size()).isEqualTo(30);
        int[] uc = r.userCounts();
        int[] ic = r.itemCounts();
        for (int c : uc) {
            assertThat(c).isBetween(200, 400); // 300 expected
        }
        for (int c : ic) {
            assertThat(c).isBetween(280, 520); // 400 expected
        }
    }

    @Test
    void uniformValuesAreThreePlusAUnitVarianceDotPlusNoise() {
        for (int rank : new int[] {1, 4, 16}) {
            Ratings r = SyntheticRatings.uniform(1000, 1000, 200_000, rank, 0, 11);
            double mean = r.mean();
            double var = 0;
            for (int j = 0; j < r.size(); j++) {
                var += (r.value(j) - mean) * (r.value(j) - mean);
                assertThat(r.value(j)).isBetween(1f, 5f);
            }
            assertThat(mean).as("rank %d", rank).isCloseTo(3, within(0.1));
            // u.v has variance ~1 before clipping to [1, 5] (which trims the tails a little)
            assertThat(Math.sqrt(var / r.size())).as("rank %d", rank).isBetween(0.75, 1.1);
        }
    }

    @Test
    void uniformGivesEveryUserAndItemItsOwnFactors() {
        // one item: noise-free values differ by user; one user: they differ by item
        Ratings byUser = SyntheticRatings.uniform(40, 1, 4000, 4, 0, 2);
        Ratings byItem = SyntheticRatings.uniform(1, 40, 4000, 4, 0, 2);
        float[] perUser = new float[40];
        float[] perItem = new float[40];
        for (int j = 0; j < 4000; j++) {
            perUser[byUser.user(j)] = byUser.value(j);
            perItem[byItem.item(j)] = byItem.value(j);
        }
        assertThat(distinctUnclipped(perUser)).isGreaterThan(30);
        assertThat(distinctUnclipped(perItem)).isGreaterThan(30);
    }

    private static long distinctUnclipped(float[] a) {
        int[] bits = new int[a.length];
        for (int j = 0; j < a.length; j++) {
            bits[j] = a[j] == 1f || a[j] == 5f ? -j : Float.floatToIntBits(a[j]);
        }
        return Arrays.stream(bits).distinct().count();
    }

    @Test
    void uniformNoiseIsAddedToTheSamePairs() {
        Ratings clean = SyntheticRatings.uniform(300, 200, 50_000, 3, 0, 5);
        Ratings noisy = SyntheticRatings.uniform(300, 200, 50_000, 3, 0.5, 5);
        assertThat(noisy.users()).isEqualTo(clean.users());
        assertThat(noisy.items()).isEqualTo(clean.items());
        double sq = 0;
        double sum = 0;
        int n = 0;
        for (int j = 0; j < clean.size(); j++) {
            if (clean.value(j) > 2.5 && clean.value(j) < 3.5) {
                double e = noisy.value(j) - clean.value(j);
                sq += e * e;
                sum += e;
                n++;
            }
        }
        assertThat(n).isGreaterThan(5000);
        assertThat(Math.sqrt(sq / n)).isCloseTo(0.5, within(0.03));
        assertThat(sum / n).isCloseTo(0, within(0.03));
        Ratings loud = SyntheticRatings.uniform(300, 200, 20_000, 3, 3, 5);
        long ones = 0;
        long fives = 0;
        for (int j = 0; j < loud.size(); j++) {
            assertThat(loud.value(j)).isBetween(1f, 5f);
            ones += loud.value(j) == 1f ? 1 : 0;
            fives += loud.value(j) == 5f ? 1 : 0;
        }
        assertThat(ones).isGreaterThan(2000);
        assertThat(fives).isGreaterThan(2000);
    }

    @Test
    void uniformIsTheSameOnAnyThreadCountAndChunksDiffer() throws Exception {
        int n = (1 << 20) + 1000;
        Ratings one = onThreads(1, () -> SyntheticRatings.uniform(500, 400, n, 2, 0.2, 3));
        Ratings four = onThreads(4, () -> SyntheticRatings.uniform(500, 400, n, 2, 0.2, 3));
        assertThat(four.users()).isEqualTo(one.users());
        assertThat(four.items()).isEqualTo(one.items());
        assertThat(four.values()).isEqualTo(one.values());
        assertThat(one.size()).isEqualTo(n);
        // the second chunk has its own stream and is filled to the end
        int c = 1 << 20;
        assertThat(Arrays.copyOfRange(one.users(), c, c + 1000)).isNotEqualTo(Arrays.copyOfRange(one.users(), 0, 1000));
        float[] tail = Arrays.copyOfRange(one.values(), c, n);
        for (float v : tail) {
            assertThat(v).isBetween(1f, 5f);
        }
        int[] tailUsers = Arrays.copyOfRange(one.users(), c, n);
        assertThat(Arrays.stream(tailUsers).distinct().count()).isGreaterThan(400);
        assertThat(SyntheticRatings.uniform(500, 400, 1000, 2, 0.2, 4).users())
                .isNotEqualTo(Arrays.copyOf(one.users(), 1000));
    }

    // ------------------------------------------------------------------ planted

    @Test
    void plantedSplitsEightyTwentyAtTheDensity() {
        Split s = SyntheticRatings.planted(200, 150, 3, 0.4, 0.1, 9);
        int total = s.train().size() + s.test().size();
        assertThat((double) total / (200 * 150)).isCloseTo(0.4, within(0.01));
        assertThat((double) s.test().size() / total).isCloseTo(0.2, within(0.01));
        assertThat(s.validation().size()).isZero();
        assertThat(s.hasValidation()).isFalse();
        assertThat(s.numUsers()).isEqualTo(200);
        assertThat(s.numItems()).isEqualTo(150);
        assertThat(s.train().users()).hasSize(s.train().size());
        assertThat(s.test().values()).hasSize(s.test().size());
        assertThat(s.train().userIds()).isNull();
        // the scale is [floor(min), ceil(max)] of all values
        float lo = Float.MAX_VALUE;
        float hi = -Float.MAX_VALUE;
        long[] keys = new long[total];
        int w = 0;
        for (Ratings part : new Ratings[] {s.train(), s.test()}) {
            for (int j = 0; j < part.size(); j++) {
                lo = Math.min(lo, part.value(j));
                hi = Math.max(hi, part.value(j));
                keys[w++] = (long) part.user(j) * 150 + part.item(j);
            }
        }
        for (Ratings part : new Ratings[] {s.train(), s.validation(), s.test()}) {
            assertThat(part.minRating()).isEqualTo((float) Math.floor(lo));
            assertThat(part.maxRating()).isEqualTo((float) Math.ceil(hi));
        }
        assertThat(Arrays.stream(keys).distinct().count()).isEqualTo(total);
        assertThat(Arrays.stream(s.train().userCounts()).min().getAsInt()).isPositive();
        // reproducible; another seed differs
        Split again = SyntheticRatings.planted(200, 150, 3, 0.4, 0.1, 9);
        assertThat(again.test().values()).isEqualTo(s.test().values());
        assertThat(SyntheticRatings.planted(200, 150, 3, 0.4, 0.1, 10).test().size()).isNotEqualTo(s.test().size());
    }

    @Test
    void plantedFullMatrixIsBiasesPlusALowRankProduct() {
        // density 1, no noise, rank 1: r - 3 = b_u + b_i + p_u q_i, so the double-centred matrix
        // (p_u - p̄)(q_i - q̄) has rank 1: every 2 x 2 minor vanishes
        int nu = 40;
        int ni = 30;
        Split s = SyntheticRatings.planted(nu, ni, 1, 1.0, 0, 4);
        double[][] m = full(s, nu, ni);
        double[][] d = doubleCentred(m);
        double scale = 0;
        SplittableRandom rnd = new SplittableRandom(1);
        for (int t = 0; t < 2000; t++) {
            int a = rnd.nextInt(nu);
            int b = rnd.nextInt(nu);
            int x = rnd.nextInt(ni);
            int y = rnd.nextInt(ni);
            assertThat(d[a][x] * d[b][y] - d[a][y] * d[b][x]).isCloseTo(0, within(1e-4));
            scale = Math.max(scale, Math.abs(d[a][x]));
        }
        assertThat(scale).isGreaterThan(0.3);
        // row means vary by the user biases (sd 0.3) plus p_u q̄; column means likewise
        double[] rowMeans = new double[nu];
        for (int a = 0; a < nu; a++) {
            rowMeans[a] = Arrays.stream(m[a]).average().getAsDouble();
        }
        double grand = Arrays.stream(rowMeans).average().getAsDouble();
        double rowVar = Arrays.stream(rowMeans).map(x -> (x - grand) * (x - grand)).sum() / nu;
        assertThat(Math.sqrt(rowVar)).isBetween(0.15, 0.7);
        assertThat(grand).isCloseTo(3, within(0.35));
    }

    @Test
    void plantedRankTwoHasVanishingThreeByThreeMinorsButNotTwoByTwo() {
        int nu = 30;
        int ni = 30;
        double[][] d = doubleCentred(full(SyntheticRatings.planted(nu, ni, 2, 1.0, 0, 8), nu, ni));
        SplittableRandom rnd = new SplittableRandom(2);
        double biggest2 = 0;
        for (int t = 0; t < 500; t++) {
            int[] r = {rnd.nextInt(nu), rnd.nextInt(nu), rnd.nextInt(nu)};
            int[] c = {rnd.nextInt(ni), rnd.nextInt(ni), rnd.nextInt(ni)};
            double det = d[r[0]][c[0]] * (d[r[1]][c[1]] * d[r[2]][c[2]] - d[r[1]][c[2]] * d[r[2]][c[1]])
                    - d[r[0]][c[1]] * (d[r[1]][c[0]] * d[r[2]][c[2]] - d[r[1]][c[2]] * d[r[2]][c[0]])
                    + d[r[0]][c[2]] * (d[r[1]][c[0]] * d[r[2]][c[1]] - d[r[1]][c[1]] * d[r[2]][c[0]]);
            assertThat(det).isCloseTo(0, within(1e-4));
            biggest2 = Math.max(biggest2, Math.abs(d[r[0]][c[0]] * d[r[1]][c[1]] - d[r[0]][c[1]] * d[r[1]][c[0]]));
        }
        assertThat(biggest2).isGreaterThan(0.05);
        // every user and item has its own factors: no two double-centred rows (columns) coincide
        for (int a = 0; a < nu; a++) {
            for (int b = a + 1; b < nu; b++) {
                double diff = 0;
                double diffCol = 0;
                for (int x = 0; x < ni; x++) {
                    diff += Math.abs(d[a][x] - d[b][x]);
                    diffCol += Math.abs(d[x][a] - d[x][b]);
                }
                assertThat(diff).isGreaterThan(1e-3);
                assertThat(diffCol).isGreaterThan(1e-3);
            }
        }
    }

    @Test
    void plantedFactorScaleKeepsTheSpreadNearOneAtHigherRank() {
        // factor entries shrink with the rank: Var(p·q) <= 1 whatever the rank, so Var(r) stays
        // near 0.18 + Var(p·q) + σ² instead of growing with the rank
        for (int rank : new int[] {4, 9}) {
            Ratings t = SyntheticRatings.planted(200, 200, rank, 0.5, 0.1, 3).train();
            double mean = t.mean();
            double var = 0;
            for (int j = 0; j < t.size(); j++) {
                var += (t.value(j) - mean) * (t.value(j) - mean);
            }
            assertThat(var / t.size()).as("rank %d", rank).isBetween(0.2, 1.6);
        }
    }

    @Test
    void plantedNoiseHasSigmaAndRankOneSpread() {
        Split clean = SyntheticRatings.planted(300, 300, 1, 0.3, 0, 6);
        Split noisy = SyntheticRatings.planted(300, 300, 1, 0.3, 0.4, 6);
        assertThat(noisy.train().users()).isEqualTo(clean.train().users());
        assertThat(noisy.test().items()).isEqualTo(clean.test().items());
        double sq = 0;
        double sum = 0;
        int n = clean.train().size();
        for (int j = 0; j < n; j++) {
            double e = noisy.train().value(j) - clean.train().value(j);
            sq += e * e;
            sum += e;
        }
        assertThat(Math.sqrt(sq / n)).isCloseTo(0.4, within(0.01));
        assertThat(sum / n).isCloseTo(0, within(0.01));
        // rank 1: Var(r) = 0.3² + 0.3² + Var(p q) (= 1) + σ² = 1.18 without noise, give or take the sample
        Ratings t = clean.train();
        double mean = t.mean();
        double var = 0;
        for (int j = 0; j < t.size(); j++) {
            var += (t.value(j) - mean) * (t.value(j) - mean);
        }
        assertThat(var / t.size()).isBetween(0.8, 1.6);
        assertThat(mean).isCloseTo(3, within(0.2));
    }

    private static double[][] full(Split s, int nu, int ni) {
        double[][] m = new double[nu][ni];
        int seen = 0;
        for (Ratings part : new Ratings[] {s.train(), s.test()}) {
            for (int j = 0; j < part.size(); j++) {
                m[part.user(j)][part.item(j)] = part.value(j);
                seen++;
            }
        }
        assertThat(seen).isEqualTo(nu * ni);
        return m;
    }

    private static double[][] doubleCentred(double[][] m) {
        int nu = m.length;
        int ni = m[0].length;
        double[] row = new double[nu];
        double[] col = new double[ni];
        double all = 0;
        for (int a = 0; a < nu; a++) {
            for (int b = 0; b < ni; b++) {
                row[a] += m[a][b] / ni;
                col[b] += m[a][b] / nu;
                all += m[a][b] / ((double) nu * ni);
            }
        }
        double[][] d = new double[nu][ni];
        for (int a = 0; a < nu; a++) {
            for (int b = 0; b < ni; b++) {
                d[a][b] = m[a][b] - row[a] - col[b] + all;
            }
        }
        return d;
    }

    // ------------------------------------------------------------------ noise

    @Test
    void noiseRecipeIsUniformOnOneToFive() {
        Ratings r = SyntheticRatings.noise(50, 40, 100_000, 3);
        assertThat(r.size()).isEqualTo(100_000);
        assertThat(r.numUsers()).isEqualTo(50);
        assertThat(r.numItems()).isEqualTo(40);
        assertThat(r.minRating()).isEqualTo(1f);
        assertThat(r.maxRating()).isEqualTo(5f);
        int[] bins = new int[4];
        double var = 0;
        double mean = r.mean();
        for (int j = 0; j < r.size(); j++) {
            float v = r.value(j);
            assertThat(v).isGreaterThanOrEqualTo(1f).isLessThanOrEqualTo(5f);
            bins[Math.min(3, (int) (v - 1))]++;
            var += (v - mean) * (v - mean);
        }
        assertThat(mean).isCloseTo(3, within(0.02));
        assertThat(var / r.size()).isCloseTo(16.0 / 12, within(0.03));
        for (int b : bins) {
            assertThat(b).isBetween(24_000, 26_000);
        }
        for (int c : r.userCounts()) {
            assertThat(c).isBetween(1600, 2400);
        }
        for (int c : r.itemCounts()) {
            assertThat(c).isBetween(2000, 3000);
        }
        assertThat(SyntheticRatings.noise(50, 40, 1000, 3).values()).isEqualTo(Arrays.copyOf(r.values(), 1000));
        assertThat(SyntheticRatings.noise(50, 40, 1000, 4).values()).isNotEqualTo(Arrays.copyOf(r.values(), 1000));
        assertThat(SyntheticRatings.noise(50, 40, 0, 4).size()).isZero();
    }

    @Test
    void gaussianDrawsHaveTheirScale() {
        SplittableRandom rnd = new SplittableRandom(12);
        float[] f = Gaussian.floats(rnd, 100_000, 2);
        double[] d = Gaussian.doubles(rnd, 100_000, 0.5);
        double sf = 0;
        double sd = 0;
        double mf = 0;
        for (int j = 0; j < 100_000; j++) {
            sf += (double) f[j] * f[j];
            sd += d[j] * d[j];
            mf += f[j];
        }
        assertThat(Math.sqrt(sf / 100_000)).isCloseTo(2, within(0.03));
        assertThat(Math.sqrt(sd / 100_000)).isCloseTo(0.5, within(0.008));
        assertThat(mf / 100_000).isCloseTo(0, within(0.03));
    }
}
