package dev.lfm.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.lfm.LfmException;
import dev.lfm.TestData;
import dev.lfm.compute.Backend;
import dev.lfm.compute.RatingSet;
import dev.lfm.compute.Side;
import dev.lfm.compute.cpu.CpuBackend;
import dev.lfm.data.Ratings;
import dev.lfm.data.RatingsReader;
import dev.lfm.data.SyntheticRatings;
import dev.lfm.model.FactorModel;
import dev.lfm.objective.Regularization;
import dev.lfm.train.Algorithm;
import dev.lfm.train.Trainer;
import dev.lfm.train.TrainingConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class FoldInTest {
    private static TrainingConfig als(int rank, int epochs, double lambda, Regularization form) {
        TrainingConfig c = TrainingConfig.defaults();
        c.algorithm = Algorithm.ALS;
        c.rank = rank;
        c.epochs = epochs;
        c.lambda = lambda;
        c.lambdaBias = lambda;
        c.regularization = form;
        c.evaluateTrain = false;
        return c;
    }

    private static FactorModel train(Ratings r, TrainingConfig c) {
        try (Backend b = new CpuBackend(2)) {
            return new Trainer(c, null).train(b, r, null, null).model();
        }
    }

    /** Folding in the training users reproduces the backend's own ALS user half-sweep exactly. */
    @ParameterizedTest
    @EnumSource(Regularization.class)
    void foldInIsTheAlsUserSolve(Regularization form) {
        Ratings r = SyntheticRatings.uniform(300, 120, 6000, 4, 0.2, 3);
        FactorModel m = train(r, als(6, 3, 0.05, form));
        FoldIn.Result f = FoldIn.foldIn(m, r);
        FactorModel expected = m.copy();
        try (Backend b = new CpuBackend(2)) {
            RatingSet set = b.upload(r);
            b.setModel(expected);
            b.alsSweep(set, FoldIn.objectiveOf(m), Side.USERS);
            b.getModel(expected);
        }
        int[] counts = r.userCounts();
        int solved = (int) Arrays.stream(counts).filter(c -> c > 0).count();
        assertThat(f.usersUpdated()).isEqualTo(solved);
        assertThat(f.usersAdded()).isZero();
        assertThat(f.model().numUsers).isEqualTo(m.numUsers);
        for (int u = 0; u < m.numUsers; u++) {
            if (counts[u] == 0) {
                continue;
            }
            for (int c = 0; c < m.rank; c++) {
                assertThat(f.model().p[u * m.rank + c]).isEqualTo(expected.p[u * m.rank + c]);
            }
            assertThat(f.model().userBias[u]).isEqualTo(expected.userBias[u]);
        }
        assertThat(f.model().q).isEqualTo(m.q);
        assertThat(f.model().itemBias).isEqualTo(m.itemBias);
    }

    /**
     * The backend path of fold-in (upload the users to solve, one ALS user half-sweep, rows back)
     * on the CPU backend gives exactly the CPU solve, with new users, unknown items and a user
     * whose ratings are all of unknown items.
     */
    @ParameterizedTest
    @EnumSource(Regularization.class)
    void foldInOnABackendIsTheCpuFoldIn(Regularization form) {
        Ratings train = SyntheticRatings.uniform(300, 120, 6000, 4, 0.2, 3);
        FactorModel m = train(train, als(5, 3, 0.05, form));
        // user 8 rates only the unknown item 999; users 400 and 401 are new
        Ratings fresh = Subsets.of(1, 5, 7, 10, 5, 7, 999, 1, 2, 11, 5, 2, 999, 2, 8, 999, 4, 7, 12, 1, 400, 3, 2,
                400, 4, 4, 401, 5, 1);
        for (Ratings r : new Ratings[] {train, fresh}) {
            FoldIn.Result cpu = FoldIn.foldIn(m, r, FoldIn.objectiveOf(m), 2);
            FoldIn.Result on;
            try (Backend b = new CpuBackend(2)) {
                on = FoldIn.foldIn(m, r, FoldIn.objectiveOf(m), b);
            }
            assertThat(on.toString()).isEqualTo(cpu.toString());
            assertThat(on.model().p).isEqualTo(cpu.model().p);
            assertThat(on.model().userBias).isEqualTo(cpu.model().userBias);
            assertThat(on.model().q).isEqualTo(cpu.model().q);
            assertThat(on.model().numUsers).isEqualTo(cpu.model().numUsers);
            for (int u = 0; u < on.model().numUsers; u++) {
                assertThat(on.model().userIds.externalId(u)).isEqualTo(cpu.model().userIds.externalId(u));
            }
        }
    }

    @Test
    void newUsersAreAppendedKnownOnesResolvedUnknownItemsCounted() {
        Ratings train = Subsets.of(1, 5,
                1, 10, 5, 1, 11, 3, 2, 10, 4, 2, 12, 2, 3, 11, 1, 3, 12, 5, 4, 10, 3, 4, 11, 4);
        FactorModel m = train(train, als(2, 5, 0.1, Regularization.WEIGHTED));
        FactorModel before = m.copy();
        // user 2 (known) re-rates; user 7 is new; item 99 is unknown; user 8 rates only unknown items
        Ratings fresh = Subsets.of(1, 5, 7, 10, 5, 7, 99, 1, 2, 11, 5, 2, 99, 2, 8, 99, 4, 7, 12, 1);
        FoldIn.Result f = FoldIn.foldIn(m, fresh);
        assertThat(f.usersAdded()).isEqualTo(2);
        assertThat(f.usersUpdated()).isEqualTo(1);
        assertThat(f.usersFolded()).isEqualTo(3);
        assertThat(f.unknownItems()).isEqualTo(1);
        assertThat(f.ratingsIgnored()).isEqualTo(3);
        assertThat(f.ratingsUsed()).isEqualTo(3);
        FactorModel out = f.model();
        assertThat(out.numUsers).isEqualTo(m.numUsers + 2);
        assertThat(out.userIds.externalId(m.numUsers)).isEqualTo(7);
        assertThat(out.userIds.externalId(m.numUsers + 1)).isEqualTo(8);
        assertThat(out.userIds.indexOf(2)).isEqualTo(m.userIds.indexOf(2));
        // the new user likes item 10 and not 12
        assertThat(Lfm.predict(out, 7, 10)).isGreaterThan(Lfm.predict(out, 7, 12));
        // user 8 has nothing to solve from: zero factors and bias, predicted by μ + b_i
        assertThat(Lfm.score(out, 8, 10)).isCloseTo(out.mu + out.itemBias[out.itemIds.indexOf(10)], within(1e-6f));
        // users not in the new set are untouched, and so is the input model
        int u1 = m.userIds.indexOf(1);
        assertThat(out.p[u1 * 2]).isEqualTo(m.p[u1 * 2]);
        assertThat(m.p).isEqualTo(before.p);
        assertThat(m.userBias).isEqualTo(before.userBias);
        assertThat(m.numUsers).isEqualTo(before.numUsers);
        assertThat(m.userIds.size()).isEqualTo(before.numUsers);
        assertThat(out.provenance).containsKey("fold_in").containsEntry("reg", m.provenance.get("reg"));
    }

    @Test
    void aModelWithoutRegularizationInItsProvenanceIsRefusedWithOneLine() {
        FactorModel m = new FactorModel(2, 2, 2, true);
        assertThatThrownBy(() -> FoldIn.objectiveOf(m)).isInstanceOf(LfmException.class)
                .hasMessageContaining("regularization");
    }

    /**
     * The done-when check on ml-latest-small: 40 users held out of training, folded in from 80% of
     * their ratings, predicted on the other 20% within 3% of the RMSE of a model trained with that
     * 80% included, and better than the model without them (which predicts them by μ + b_i).
     */
    @Test
    void heldOutUsersFoldedInPredictAlmostAsWellAsTrainingOnThem() {
        Ratings all = RatingsReader.read(TestData.movieLensSmall());
        int[] counts = all.userCounts();
        List<Integer> candidates = new ArrayList<>();
        for (int u = 0; u < all.numUsers(); u++) {
            if (counts[u] >= 20) {
                candidates.add(u);
            }
        }
        SplittableRandom rnd = new SplittableRandom(5);
        java.util.Collections.shuffle(candidates, new java.util.Random(5));
        Set<Integer> held = new HashSet<>(candidates.subList(0, 40));
        boolean[] isTest = new boolean[all.size()];
        boolean[] isHeld = new boolean[all.size()];
        for (int j = 0; j < all.size(); j++) {
            if (held.contains(all.user(j))) {
                isHeld[j] = true;
                isTest[j] = rnd.nextDouble() < 0.2;
            }
        }
        Ratings base = Subsets.select(all, j -> !isHeld[j]);
        Ratings with = Subsets.select(all, j -> !isTest[j]);
        Ratings heldTrain = Subsets.select(all, j -> isHeld[j] && !isTest[j]);
        Ratings heldTest = Subsets.select(all, j -> isTest[j]);

        TrainingConfig c = als(10, 8, 0.1, Regularization.WEIGHTED);
        FactorModel without = train(base, c);
        FactorModel trainedWith = train(with, c);
        FoldIn.Result f = FoldIn.foldIn(without, heldTrain);
        assertThat(f.usersAdded()).isEqualTo(40);
        assertThat(f.usersUpdated()).isZero();

        double rmseWithout = rmse(without, heldTest);
        double rmseWith = rmse(trainedWith, heldTest);
        double rmseFolded = rmse(f.model(), heldTest);
        System.out.printf("fold-in on ml-latest-small, 40 held-out users: RMSE without %.4f, trained with %.4f, "
                + "folded in %.4f (%s)%n", rmseWithout, rmseWith, rmseFolded, f);
        assertThat(rmseFolded).isLessThan(rmseWith * 1.03).isLessThan(rmseWithout);
    }

    private static double rmse(FactorModel m, Ratings test) {
        double sse = 0;
        for (int j = 0; j < test.size(); j++) {
            double e = test.value(j) - Lfm.predict(m, test.userIds().externalId(test.user(j)),
                    test.itemIds().externalId(test.item(j)));
            sse += e * e;
        }
        return Math.sqrt(sse / test.size());
    }
}
