package dev.lfm.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import dev.lfm.compute.Backend;
import dev.lfm.compute.cpu.CpuBackend;
import dev.lfm.data.Ratings;
import dev.lfm.data.SyntheticRatings;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CrossValidationTest {
    private static final Ratings DATA = SyntheticRatings.generate(SyntheticRatings.Preset.SMALL).ratings();

    @Test
    void foldsPartitionTheRatings() {
        int n = DATA.size();
        int[] fold = CrossValidation.assignFolds(n, 5, 42);
        int[] sizes = new int[5];
        for (int f : fold) {
            assertThat(f).isBetween(0, 4);
            sizes[f]++;
        }
        assertThat(Arrays.stream(sizes).max().getAsInt() - Arrays.stream(sizes).min().getAsInt()).isLessThanOrEqualTo(1);
        assertThat(CrossValidation.assignFolds(n, 5, 42)).isEqualTo(fold);
    }

    @Test
    void eachRatingIsInExactlyOneTestFoldAndMeanIsTheMeanOfTheFolds() {
        TrainingConfig c = TrainingConfig.defaults();
        c.epochs = 5;
        Map<Long, Integer> inTest = new HashMap<>();
        try (Backend b = new CpuBackend(2)) {
            CrossValidation.Result r = CrossValidation.run(DATA, 4, c, 7, 0.1, b, (f, k, res, rmse) -> { });
            assertThat(r.foldRmse()).hasSize(4);
            assertThat(Arrays.stream(r.foldRmse()).allMatch(Double::isFinite)).isTrue();
            assertThat(r.mean()).isCloseTo(Arrays.stream(r.foldRmse()).average().orElseThrow(), offset(1e-12));
            double m = r.mean();
            double sd = Math.sqrt(Arrays.stream(r.foldRmse()).map(x -> (x - m) * (x - m)).sum() / 3);
            assertThat(r.std()).isCloseTo(sd, offset(1e-12));
        }
        // the test folds run uses: every rating (a distinct (user, item) pair) in exactly one of them, same value
        Map<Long, Float> all = new HashMap<>();
        for (int j = 0; j < DATA.size(); j++) {
            all.put(((long) DATA.user(j) << 32) | DATA.item(j), DATA.value(j));
        }
        for (Ratings f : CrossValidation.folds(DATA, 4, 7)) {
            for (int j = 0; j < f.size(); j++) {
                long key = ((long) f.user(j) << 32) | f.item(j);
                assertThat(f.value(j)).isEqualTo(all.get(key));
                inTest.merge(key, 1, Integer::sum);
            }
        }
        assertThat(inTest.keySet()).isEqualTo(all.keySet());
        assertThat(inTest.values()).allSatisfy(x -> assertThat(x).isEqualTo(1));
    }
}
