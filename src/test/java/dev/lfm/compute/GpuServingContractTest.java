package dev.lfm.compute;

import static dev.lfm.serve.RandomModels.randomModel;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lfm.compute.cpu.CpuBackend;
import dev.lfm.data.Ratings;
import dev.lfm.data.SyntheticRatings;
import dev.lfm.model.FactorModel;
import dev.lfm.objective.Objective;
import dev.lfm.objective.Regularization;
import dev.lfm.serve.FoldIn;
import dev.lfm.serve.RankingMetrics;
import dev.lfm.serve.TopN;
import dev.lfm.train.Algorithm;
import dev.lfm.train.Trainer;
import dev.lfm.train.TrainingConfig;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Serving on a GPU backend against the CPU: {@link TopN} lists (items, order and scores bit for
 * bit: the device computes the CPU's scores exactly and keeps its tie rule) and {@link FoldIn}
 * factors (to float tolerance), on random and trained (planted) models, with N above the number
 * of unrated items, users without ratings, exclusions, ties, ±0 scores, partial blocks and ranks
 * that are not a multiple of any vector width. Run once per GPU backend by a subclass.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class GpuServingContractTest {
    /** Fold-in factors: the worst absolute difference relative to max(1, the largest |CPU value|). */
    static final double FOLD_IN_TOLERANCE = 1e-4;

    private Backend backend;

    protected abstract Backend open();

    @BeforeAll
    void openBackend() {
        backend = open();
    }

    @AfterAll
    void closeBackend() {
        if (backend != null) {
            backend.close();
        }
    }

    /** Every list as (user, item, raw score bits) rows, in output order. */
    private static List<long[]> lists(TopN t, int numUsers) {
        List<long[]> rows = new ArrayList<>();
        int[] all = new int[numUsers];
        for (int u = 0; u < numUsers; u++) {
            all[u] = u;
        }
        t.lists(all, (u, items, scores, c) -> {
            for (int j = 0; j < c; j++) {
                rows.add(new long[] {u, items[j], Float.floatToRawIntBits(scores[j])});
            }
        });
        return rows;
    }

    private void assertSameLists(FactorModel m, int n, Ratings exclude, int blockSize) {
        TopN cpu = new TopN(m, n).threads(2).exclude(exclude);
        TopN gpu = new TopN(m, n).backend(backend).exclude(exclude);
        if (blockSize > 0) {
            gpu.blockSize(blockSize);
        }
        List<long[]> expected = lists(cpu, m.numUsers);
        List<long[]> actual = lists(gpu, m.numUsers);
        assertThat(actual).hasSameSizeAs(expected);
        for (int j = 0; j < expected.size(); j++) {
            assertThat(actual.get(j)).as("row %d", j).containsExactly(expected.get(j));
        }
    }

    /** Random models: ranks 1, 7, 16, 33, 64; N from 1 to beyond the catalog; blocks of 7 users or automatic. */
    @ParameterizedTest(name = "n={0} k={1} block={2}")
    @CsvSource({"1, 1, 0", "10, 7, 7", "10, 16, 0", "3, 33, 5", "37, 64, 0", "400, 5, 13"})
    void topNIsTheCpuListsBitForBit(int n, int k, int block) {
        Ratings r = SyntheticRatings.uniform(150, 301, 9000, 4, 0.2, 9);
        // the exclusion set leaves the first 20 users without ratings
        Ratings rated = r.select(positions(r, 20), r.size() - countBelow(r, 20));
        assertSameLists(randomModel(r, k, k), n, rated, block);
        assertSameLists(randomModel(r, k, k + 1), n, null, block);
    }

    /** N above every user's unrated items: each list is all of them, in order. */
    @Test
    void nAboveTheUnratedItemsGivesEveryUnratedItem() {
        Ratings r = SyntheticRatings.uniform(40, 30, 600, 3, 0.2, 4);
        FactorModel m = randomModel(r, 3, 8);
        assertSameLists(m, 1000, r, 0);
        List<long[]> rows = lists(new TopN(m, 1000).backend(backend).exclude(r), m.numUsers);
        java.util.Set<Long> rated = new java.util.HashSet<>();
        for (int j = 0; j < r.size(); j++) {
            rated.add((long) r.user(j) * m.numItems + r.item(j));
        }
        assertThat(rows).hasSize(m.numUsers * m.numItems - rated.size());
    }

    /**
     * Ties: many items share a score (zero factors, biases from three values), N cuts through a
     * tie group, so the lower item indices must win as on the CPU; and ±0 scores tie. Both of the
     * device's selection forms: candidates gathered in local memory, and passes over the whole row.
     */
    @Test
    void tiesAndSignedZerosFollowTheCpuRule() {
        Ratings r = SyntheticRatings.uniform(60, 1500, 3000, 3, 0.2, 6);
        FactorModel m = randomModel(r, 5, 3);
        java.util.Arrays.fill(m.q, 0f);
        for (int i = 0; i < m.numItems; i++) {
            m.itemBias[i] = (i * 7 % 3) * 0.25f;
        }
        // 500 items share the best score: more candidates than the device gathers in local memory
        for (int n : new int[] {1, 5, 250, 300, 600}) {
            assertSameLists(m, n, r, 0);
            assertSameLists(m, n, null, 16);
        }
        // distinct scores over 1500 items, N below and above the lanes of a work-group
        FactorModel d = randomModel(r, 9, 5);
        for (int n : new int[] {3, 20, 300}) {
            assertSameLists(d, n, r, 0);
        }
        // scores of exactly −0 and +0: μ = b_u = −0, b_i = ±0, p·q = −0
        FactorModel z = randomModel(r, 2, 4);
        z.mu = -0f;
        java.util.Arrays.fill(z.userBias, -0f);
        java.util.Arrays.fill(z.q, 0f);
        java.util.Arrays.fill(z.p, -1f);
        for (int i = 0; i < z.numItems; i++) {
            z.itemBias[i] = i % 2 == 0 ? -0f : 0f;
        }
        assertSameLists(z, 7, r, 0);
    }

    /** A model trained on planted data (ALS), and a subset of users in a given order. */
    @Test
    void aTrainedModelAndAUserSubsetRankAsOnTheCpu() {
        Ratings r = SyntheticRatings.uniform(500, 400, 20000, 6, 0.2, 11);
        FactorModel m = trainAls(r, 10, Regularization.WEIGHTED);
        assertSameLists(m, 10, r, 0);
        long[] ids = {499, 3, 77, 3, 100000, 0};
        List<String> cpu = new ArrayList<>();
        List<String> gpu = new ArrayList<>();
        TopN.Summary a = new TopN(m, 10).exclude(r).users(ids, x -> cpu.add(x.toString()));
        TopN.Summary b = new TopN(m, 10).backend(backend).exclude(r).users(ids, x -> gpu.add(x.toString()));
        assertThat(gpu).containsExactlyElementsOf(cpu);
        assertThat(b.unknownUsers()).isEqualTo(a.unknownUsers()).isEqualTo(1);
        assertThat(b.rows()).isEqualTo(a.rows());
        Ratings test = SyntheticRatings.uniform(500, 400, 3000, 6, 0.2, 12);
        RankingMetrics.Result ca = RankingMetrics.evaluate(m, test, r, 10, 3.5, 2);
        RankingMetrics.Result ga = RankingMetrics.evaluate(m, test, r, 10, 3.5, backend);
        assertThat(ga).isEqualTo(ca);
    }

    /**
     * Many users in one launch, each with hundreds of tied items at the top (items nobody rated
     * keep zero factors and biases after training, as in a trained MovieLens model): twice on
     * the device and once on the CPU, all the same. (A form that kept the candidates in 8 KiB of
     * local memory gave PoCL, with two threads, wrong lists for about one user in 60 here.)
     */
    @Test
    void manyUsersWithTopTiesGiveTheSameListsEveryRun() {
        Ratings r = SyntheticRatings.uniform(700, 3000, 30000, 4, 0.2, 21);
        FactorModel m = randomModel(r, 12, 6);
        for (int i = 0; i < m.numItems; i += 3) {
            java.util.Arrays.fill(m.q, i * m.rank, (i + 1) * m.rank, 0f);
            m.itemBias[i] = 3f; // above nearly every other score: ~1000 ties at the top
        }
        for (int run = 0; run < 2; run++) {
            assertSameLists(m, 10, r, 0);
        }
    }

    @Test
    void progressIsReportedPerBlockUpToTheTotal() {
        Ratings r = SyntheticRatings.uniform(100, 50, 1000, 3, 0.2, 1);
        List<long[]> updates = new ArrayList<>();
        new TopN(randomModel(r, 4, 2), 5).backend(backend).blockSize(30)
                .progress((done, total) -> updates.add(new long[] {done, total})).allUsers(x -> { });
        assertThat(updates).containsExactly(new long[] {30, 100}, new long[] {60, 100}, new long[] {90, 100},
                new long[] {100, 100});
    }

    private static FactorModel trainAls(Ratings r, int k, Regularization form) {
        TrainingConfig c = TrainingConfig.defaults();
        c.algorithm = Algorithm.ALS;
        c.rank = k;
        c.epochs = 3;
        c.lambda = 0.05;
        c.lambdaBias = 0.05;
        c.regularization = form;
        c.evaluateTrain = false;
        try (Backend b = new CpuBackend(2)) {
            return new Trainer(c, null).train(b, r, null, null).model();
        }
    }

    /**
     * Fold-in on the device against the CPU fold-in: the training users re-solved, new users
     * added (one with only unknown items), unknown items counted; ranks 5 (not a multiple of a
     * vector width) and 16, both regularization forms.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Regularization.class)
    void foldInMatchesTheCpu(Regularization form) {
        for (int k : new int[] {5, 16}) {
            Ratings r = SyntheticRatings.uniform(300, 120, 6000, 4, 0.2, 3);
            FactorModel m = trainAls(r, k, form);
            Objective obj = FoldIn.objectiveOf(m);
            assertSameFoldIn(m, r, obj);
            // new users 1000.. (file ids), items 0..129: 120..129 unknown; user 2000 rates only unknown items
            Ratings fresh = SyntheticRatings.uniform(80, 130, 1500, 4, 0.2, 5);
            long[] users = new long[80];
            for (int u = 0; u < 80; u++) {
                users[u] = u < 40 ? u : 1000 + u;
            }
            dev.lfm.data.IdMap ids = new dev.lfm.data.IdMap(80);
            for (long id : users) {
                ids.add(id);
            }
            int[] us = java.util.Arrays.copyOf(fresh.users(), fresh.size() + 2);
            int[] is = java.util.Arrays.copyOf(fresh.items(), fresh.size() + 2);
            float[] vs = java.util.Arrays.copyOf(fresh.values(), fresh.size() + 2);
            ids.add(2000);
            us[fresh.size()] = 80;
            is[fresh.size()] = 125;
            vs[fresh.size()] = 4;
            us[fresh.size() + 1] = 80;
            is[fresh.size() + 1] = 128;
            vs[fresh.size() + 1] = 2;
            Ratings withNew = new Ratings(81, 130, us, is, vs, fresh.size() + 2, ids, null, 1, 5);
            FoldIn.Result f = assertSameFoldIn(m, withNew, obj);
            assertThat(f.usersAdded()).isEqualTo(41);
            assertThat(f.unknownItems()).isEqualTo(10);
        }
    }

    private FoldIn.Result assertSameFoldIn(FactorModel m, Ratings r, Objective obj) {
        FoldIn.Result cpu = FoldIn.foldIn(m, r, obj, 2);
        FoldIn.Result gpu = FoldIn.foldIn(m, r, obj, backend);
        assertThat(gpu.toString()).isEqualTo(cpu.toString());
        assertThat(gpu.model().numUsers).isEqualTo(cpu.model().numUsers);
        for (int u = 0; u < cpu.model().numUsers; u++) {
            assertThat(gpu.model().userIds.externalId(u)).isEqualTo(cpu.model().userIds.externalId(u));
        }
        assertThat(maxError(gpu.model().p, cpu.model().p)).isLessThan(FOLD_IN_TOLERANCE);
        assertThat(maxError(gpu.model().userBias, cpu.model().userBias)).isLessThan(FOLD_IN_TOLERANCE);
        assertThat(gpu.model().q).isEqualTo(cpu.model().q);
        assertThat(gpu.model().itemBias).isEqualTo(cpu.model().itemBias);
        return gpu;
    }

    private static double maxError(float[] a, float[] ref) {
        double worst = 0;
        double scale = 1;
        for (int j = 0; j < ref.length; j++) {
            assertThat(a[j]).isNotNaN();
            worst = Math.max(worst, Math.abs(a[j] - ref[j]));
            scale = Math.max(scale, Math.abs(ref[j]));
        }
        return worst / scale;
    }

    /** Positions of the ratings of users ≥ {@code below}. */
    private static int[] positions(Ratings r, int below) {
        int[] pos = new int[r.size()];
        int c = 0;
        for (int j = 0; j < r.size(); j++) {
            if (r.user(j) >= below) {
                pos[c++] = j;
            }
        }
        return pos;
    }

    private static int countBelow(Ratings r, int below) {
        int c = 0;
        for (int j = 0; j < r.size(); j++) {
            if (r.user(j) < below) {
                c++;
            }
        }
        return c;
    }
}
