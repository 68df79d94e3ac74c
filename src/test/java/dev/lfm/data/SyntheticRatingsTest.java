package dev.lfm.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SyntheticRatingsTest {
    private static final SyntheticRatings SMALL = SyntheticRatings.generate(SyntheticRatings.Preset.SMALL);

    @Test
    void sizeDensityAndMinimumPerRowAndColumn() {
        Ratings r = SMALL.ratings();
        SyntheticRatings.Config c = SyntheticRatings.Preset.SMALL.config();
        assertThat(r.numUsers()).isEqualTo(600);
        assertThat(r.numItems()).isEqualTo(400);
        assertThat(r.size()).isBetween(24_000, 24_010);
        assertThat((double) r.size() / (600.0 * 400)).isCloseTo(c.observedDensity(), within(1e-3));
        assertThat(Arrays.stream(r.userCounts()).min().getAsInt()).isGreaterThanOrEqualTo(2);
        assertThat(Arrays.stream(r.itemCounts()).min().getAsInt()).isGreaterThanOrEqualTo(2);
        assertThat(r.minRating()).isEqualTo(1f);
        assertThat(r.maxRating()).isEqualTo(5f);
        assertThat(r.userIds().isIdentity()).isTrue();
        assertThat(SMALL.denseScaling()).isTrue();
    }

    @Test
    void noDuplicatePairsAndValuesInScale() {
        Ratings r = SMALL.ratings();
        long[] keys = new long[r.size()];
        for (int j = 0; j < r.size(); j++) {
            assertThat(r.value(j)).isBetween(1f, 5f);
            keys[j] = (long) r.user(j) * r.numItems() + r.item(j);
        }
        assertThat(Arrays.stream(keys).distinct().count()).isEqualTo(r.size());
    }

    @Test
    void noiseMatchesSigmaAndCleanValuesSpanTheScale() {
        Ratings r = SMALL.ratings();
        double sum = 0;
        double sq = 0;
        double cleanMin = Double.MAX_VALUE;
        double cleanMax = -Double.MAX_VALUE;
        int unclipped = 0;
        double sqUnclipped = 0;
        for (int j = 0; j < r.size(); j++) {
            double clean = SMALL.clean(r.user(j), r.item(j));
            cleanMin = Math.min(cleanMin, clean);
            cleanMax = Math.max(cleanMax, clean);
            double e = r.value(j) - clean;
            sum += e;
            sq += e * e;
            if (clean > 2 && clean < 4) {
                unclipped++;
                sqUnclipped += e * e;
            }
        }
        // dense scaling: observed clean values lie inside [1, 5]
        assertThat(cleanMin).isGreaterThanOrEqualTo(1 - 1e-5);
        assertThat(cleanMax).isLessThanOrEqualTo(5 + 1e-5);
        assertThat(sum / r.size()).isCloseTo(0, within(0.01));
        assertThat(Math.sqrt(sqUnclipped / unclipped)).isCloseTo(0.25, within(0.01));
        assertThat(SMALL.noiseRmse(r)).isCloseTo(Math.sqrt(sq / r.size()), within(1e-9));
        assertThat(SMALL.noiseRmse(r)).isBetween(0.2, 0.26);
        // the clean ratings vary far more than the noise
        double mean = r.mean();
        double var = 0;
        for (int j = 0; j < r.size(); j++) {
            var += (r.value(j) - mean) * (r.value(j) - mean);
        }
        assertThat(Math.sqrt(var / r.size())).isGreaterThan(0.3);
    }

    @Test
    void zeroNoiseGivesTheCleanValues() {
        SyntheticRatings s = SyntheticRatings.generate(SyntheticRatings.Config.ofDensity(50, 40, 3, 0.2).withNoise(0));
        for (int j = 0; j < s.ratings().size(); j++) {
            assertThat(s.ratings().value(j)).isCloseTo(s.clean(s.ratings().user(j), s.ratings().item(j)), within(1e-5f));
        }
        assertThat(s.noiseRmse(s.ratings())).isLessThan(1e-5);
        assertThat(s.ratings().size()).isEqualTo(400);
    }

    @Test
    void sameSeedSameDataOtherSeedOtherData() {
        SyntheticRatings a = SyntheticRatings.generate(SyntheticRatings.Preset.SMALL);
        assertThat(a.ratings().users()).isEqualTo(SMALL.ratings().users());
        assertThat(a.ratings().items()).isEqualTo(SMALL.ratings().items());
        assertThat(a.ratings().values()).isEqualTo(SMALL.ratings().values());
        SyntheticRatings b = SyntheticRatings.generate(SyntheticRatings.Preset.SMALL.config().withSeed(43));
        assertThat(b.ratings().values()).isNotEqualTo(SMALL.ratings().values());
    }

    @Test
    void observedScalingOnLargerProblemsAndSparseItemsGetTwo() {
        // 5000 x 5000 = 25M cells: scaled over the observed entries; 10,000 ratings leave many items
        // with fewer than 2 from the per-user draw, which the generator tops up.
        SyntheticRatings s = SyntheticRatings.generate(SyntheticRatings.Config.ofCount(5000, 5000, 2, 10_000));
        Ratings r = s.ratings();
        assertThat(s.denseScaling()).isFalse();
        assertThat(r.size()).isGreaterThan(10_000);
        assertThat(Arrays.stream(r.itemCounts()).min().getAsInt()).isGreaterThanOrEqualTo(2);
        assertThat(Arrays.stream(r.userCounts()).min().getAsInt()).isGreaterThanOrEqualTo(2);
        double mn = Double.MAX_VALUE;
        double mx = -Double.MAX_VALUE;
        long[] keys = new long[r.size()];
        for (int j = 0; j < r.size(); j++) {
            double c = s.clean(r.user(j), r.item(j));
            mn = Math.min(mn, c);
            mx = Math.max(mx, c);
            keys[j] = (long) r.user(j) * r.numItems() + r.item(j);
        }
        assertThat(mn).isCloseTo(1, within(1e-5));
        assertThat(mx).isCloseTo(5, within(1e-5));
        assertThat(Arrays.stream(keys).distinct().count()).isEqualTo(r.size());
    }

    @Test
    void fullDensityAndBadConfigs() {
        SyntheticRatings s = SyntheticRatings.generate(SyntheticRatings.Config.ofDensity(20, 30, 2, 1.0));
        assertThat(s.ratings().size()).isEqualTo(600);
        assertThat(s.ratings().userCounts()).containsOnly(30);
        assertThatThrownBy(() -> SyntheticRatings.Config.ofCount(10, 10, 2, 101).targetRatings())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SyntheticRatings.Config.ofDensity(10, 10, 0, 0.5))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(SyntheticRatings.Preset.NETFLIX.config().targetRatings()).isEqualTo(100_000_000L);
        assertThat(SyntheticRatings.Preset.DEFAULT.config().targetRatings()).isEqualTo(5_000_000L);
        assertThat(SyntheticRatings.Preset.DEFAULT.config().noise()).isEqualTo(0.25);
        assertThat(SyntheticRatings.Preset.DEFAULT.config().rank()).isEqualTo(8);
    }
}
