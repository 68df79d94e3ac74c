package dev.lfm.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import dev.lfm.LfmException;
import dev.lfm.compute.Backend;
import dev.lfm.compute.cpu.CpuBackend;
import dev.lfm.data.Ratings;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link CrossValidation#run}: its argument checks, what each fold trains and scores on, and the fold shuffle. */
class CrossValidationRunTest {
    private static final Planted DATA = new Planted(120, 80, 3, 0.3, 0.1, 3);

    private static TrainingConfig config() {
        TrainingConfig c = Classic.config();
        c.rank = 3;
        c.epochs = 4;
        return c;
    }

    @Test
    void argumentsAreCheckedAtTheirBoundaries() {
        Ratings two = DATA.train.select(new int[] {0, 1}, 2);
        try (Backend b = new CpuBackend(1)) {
            assertThatThrownBy(() -> CrossValidation.run(DATA.train, 1, config(), 1, b)).isInstanceOf(LfmException.class)
                    .hasMessage("--folds must be >= 2 (got 1)");
            assertThatThrownBy(() -> CrossValidation.run(two, 3, config(), 1, 0, b, null))
                    .isInstanceOf(LfmException.class).hasMessage("--folds 3 needs at least 3 ratings (got 2)");
            // as many ratings as folds is enough: one test rating a fold
            CrossValidation.Result r = CrossValidation.run(two, 2, config(), 1, 0, b, null);
            assertThat(r.folds()).isEqualTo(2);
            for (double bad : new double[] {-0.01, 1, Double.NaN}) {
                assertThatThrownBy(() -> CrossValidation.run(DATA.train, 2, config(), 1, bad, b, null))
                        .isInstanceOf(LfmException.class)
                        .hasMessage("validation fraction must be in [0, 1) (got " + bad + ")");
            }
        }
    }

    @Test
    void eachFoldTrainsOnTheOtherFoldsAndIsScoredOnItsOwn() {
        int k = 3;
        long seed = 5;
        Ratings[] tests = CrossValidation.folds(DATA.train, k, seed);
        int[] fold = CrossValidation.assignFolds(DATA.train.size(), k, seed);
        List<Object[]> calls = new ArrayList<>();
        try (Backend b = new CpuBackend(1)) {
            CrossValidation.Result r = CrossValidation.run(DATA.train, k, config(), seed, 0, b,
                    (f, folds, res, rmse) -> calls.add(new Object[] {f, folds, res, rmse}));
            assertThat(calls).hasSize(k);
            for (int f = 0; f < k; f++) {
                // reference: train the same configuration on the ratings of the other folds, score on fold f
                int[] pos = new int[fold.length];
                int m = 0;
                for (int j = 0; j < fold.length; j++) {
                    if (fold[j] != f) {
                        pos[m++] = j;
                    }
                }
                Ratings rest = DATA.train.select(pos, m);
                assertThat(rest.size() + tests[f].size()).isEqualTo(DATA.train.size());
                TrainingResult ref = new Trainer(config(), null).train(b, rest, null, tests[f]);
                TrainingResult got = r.results().get(f);
                assertThat(got.model().p).isEqualTo(ref.model().p);
                assertThat(got.updates()).isEqualTo(4L * rest.size());
                // the fold's score is its model's RMSE on its own test fold
                b.setModel(got.model());
                double rmse = b.evaluate(b.upload(tests[f])).rmse();
                assertThat(r.foldRmse()[f]).isCloseTo(rmse, offset(1e-12)).isGreaterThan(0.05);
                assertThat(calls.get(f)).containsExactly(f + 1, k, got, r.foldRmse()[f]);
                // no validation part: no early stopping, no validation scores
                assertThat(got.history()).allSatisfy(e -> assertThat(e.validationRmse()).isNaN());
            }
            double mean = (r.foldRmse()[0] + r.foldRmse()[1] + r.foldRmse()[2]) / 3;
            assertThat(r.mean()).isCloseTo(mean, offset(1e-12));
        }
    }

    @Test
    void aValidationPartIsCarvedFromTheTrainingFoldsAndTheShortFormUsesTenPercent() {
        int k = 2;
        long seed = 9;
        Ratings[] tests = CrossValidation.folds(DATA.train, k, seed);
        try (Backend b = new CpuBackend(1)) {
            CrossValidation.Result r = CrossValidation.run(DATA.train, k, config(), seed, b);
            CrossValidation.Result explicit = CrossValidation.run(DATA.train, k, config(), seed, 0.1, b, null);
            assertThat(r.foldRmse()).isEqualTo(explicit.foldRmse());
            for (int f = 0; f < k; f++) {
                int rest = DATA.train.size() - tests[f].size();
                int validation = (int) Math.round(rest * 0.1);
                TrainingResult res = r.results().get(f);
                assertThat(res.updates()).isEqualTo(4L * (rest - validation));
                assertThat(res.history()).allSatisfy(e -> assertThat(e.validationRmse()).isFinite());
            }
        }
    }

    @Test
    void theShuffleGivesEveryAssignmentTheSameChance() {
        // 3 ratings in 3 folds: the 6 orders of a uniform shuffle, each about 1/6 of 6000 seeds
        Map<String, Integer> seen = new HashMap<>();
        for (long seed = 0; seed < 6000; seed++) {
            int[] f = CrossValidation.assignFolds(3, 3, seed);
            seen.merge(f[0] + "" + f[1] + f[2], 1, Integer::sum);
        }
        assertThat(seen).hasSize(6);
        assertThat(seen.values()).allSatisfy(n -> assertThat(n).isBetween(850, 1150));
        // dealt round-robin: 10 ratings in 4 folds have sizes 3, 3, 2, 2 in some order
        int[] sizes = new int[4];
        for (int x : CrossValidation.assignFolds(10, 4, 1)) {
            sizes[x]++;
        }
        assertThat(sizes).containsExactlyInAnyOrder(3, 3, 2, 2);
    }
}
