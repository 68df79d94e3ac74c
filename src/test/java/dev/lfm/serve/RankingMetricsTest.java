package dev.lfm.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.lfm.data.Ratings;
import dev.lfm.model.FactorModel;
import org.junit.jupiter.api.Test;

class RankingMetricsTest {
    private static final double EPS = 1e-12;
    // log2(2) = 1, log2(3) = 1.5849625007, log2(4) = 2, log2(5) = 2.3219280949
    private static final double L3 = Math.log(3) / Math.log(2);
    private static final double L5 = Math.log(5) / Math.log(2);

    @Test
    void oneUserByHand() {
        // N = 4, list [a b c d] = [0 1 2 3], relevant {1, 3, 7}: hits at ranks 2 and 4
        RankingMetrics.Result r = RankingMetrics.of(new int[][] {{0, 1, 2, 3}}, new int[][] {{7, 3, 1}}, 10, 4, 4);
        assertThat(r.users()).isEqualTo(1);
        assertThat(r.precision()).isCloseTo(2.0 / 4, within(EPS));             // 2 hits / N
        assertThat(r.recall()).isCloseTo(2.0 / 3, within(EPS));                // 2 hits / |R|
        // DCG = 1/log2(3) + 1/log2(5); IDCG over min(4, 3) = 3 ranks = 1 + 1/log2(3) + 1/2
        assertThat(r.ndcg()).isCloseTo((1 / L3 + 1 / L5) / (1 + 1 / L3 + 0.5), within(EPS));
        // AP = (P@2 + P@4) / min(4, 3) = (1/2 + 2/4) / 3 = 1/3
        assertThat(r.map()).isCloseTo(1.0 / 3, within(EPS));
        assertThat(r.coverage()).isCloseTo(4.0 / 10, within(EPS));             // 4 distinct of 10 items
    }

    @Test
    void averagedOverUsersWithARelevantItem() {
        // N = 2, 6 items.
        // user 0: list [0 1], relevant {0}:    P = 1/2, R = 1,   NDCG = 1 / 1 = 1,               AP = (1/1) / 1 = 1
        // user 1: list [2 3], relevant {3, 4}: P = 1/2, R = 1/2, NDCG = (1/log2 3) / (1 + 1/log2 3), AP = (1/2) / 2 = 1/4
        // user 2: list [0 5], relevant {}:     skipped (and its items do not count toward coverage)
        // user 3: list [1 2], relevant {5}:    P = 0,   R = 0,   NDCG = 0,                       AP = 0
        int[][] lists = {{0, 1}, {2, 3}, {0, 5}, {1, 2}};
        int[][] relevant = {{0}, {3, 4}, {}, {5}};
        RankingMetrics.Result r = RankingMetrics.of(lists, relevant, 6, 2, 4);
        assertThat(r.users()).isEqualTo(3);
        assertThat(r.precision()).isCloseTo((0.5 + 0.5 + 0) / 3, within(EPS));
        assertThat(r.recall()).isCloseTo((1 + 0.5 + 0) / 3, within(EPS));
        assertThat(r.ndcg()).isCloseTo((1 + (1 / L3) / (1 + 1 / L3) + 0) / 3, within(EPS));
        assertThat(r.map()).isCloseTo((1 + 0.25 + 0) / 3, within(EPS));
        assertThat(r.coverage()).isCloseTo(4.0 / 6, within(EPS));              // items {0, 1, 2, 3}
    }

    @Test
    void shortListsStillDivideByNAndIdealStopsAtN() {
        // N = 3, list [4] (only one candidate), relevant {4, 5, 6, 7}
        // P = 1/3, R = 1/4, NDCG = 1 / (1 + 1/log2 3 + 1/2) (ideal over min(3, 4) = 3), AP = 1 / 3
        RankingMetrics.Result r = RankingMetrics.of(new int[][] {{4}}, new int[][] {{4, 5, 6, 7}}, 8, 3, 4);
        assertThat(r.precision()).isCloseTo(1.0 / 3, within(EPS));
        assertThat(r.recall()).isCloseTo(1.0 / 4, within(EPS));
        assertThat(r.ndcg()).isCloseTo(1 / (1 + 1 / L3 + 0.5), within(EPS));
        assertThat(r.map()).isCloseTo(1.0 / 3, within(EPS));
    }

    /**
     * End to end through a model whose ranking is fixed by the item biases (items 10 > 11 > 12 > 13
     * > 14 for everyone), with train excluded and relevance at 4.
     */
    @Test
    void evaluateRanksExcludesAndScores() {
        Ratings train = Subsets.of(1, 5, 1, 10, 5, 2, 11, 3, 1, 14, 2, 2, 12, 1, 2, 13, 1);
        FactorModel m = new FactorModel(train.numUsers(), train.numItems(), 1, true);
        m.userIds = train.userIds();
        m.itemIds = train.itemIds();
        m.mu = 3;
        float[] bias = {0.5f, 0.4f, 0.3f, 0.2f, 0.1f};
        for (int j = 0; j < 5; j++) {
            m.itemBias[m.itemIds.indexOf(10 + j)] = bias[j];
        }
        // test: user 1 rated 11 (5) and 13 (3); user 2 rated 10 (4); user 9 (unknown) rated 10 (5)
        Ratings test = Subsets.of(1, 5, 1, 11, 5, 1, 13, 3, 2, 10, 4, 9, 10, 5);
        RankingMetrics.Result r = RankingMetrics.evaluate(m, test, train, 2, 4.0, 1);
        // user 1: train {10, 14} excluded, list [11 12], relevant {11}: P = 1/2, R = 1, NDCG = 1, AP = 1
        // user 2: train {11, 12, 13} excluded, list [10 14], relevant {10}: P = 1/2, R = 1, NDCG = 1, AP = 1
        assertThat(r.users()).isEqualTo(2);
        assertThat(r.unknownUsers()).isEqualTo(1);
        assertThat(r.precision()).isCloseTo(0.5, within(EPS));
        assertThat(r.recall()).isCloseTo(1, within(EPS));
        assertThat(r.ndcg()).isCloseTo(1, within(EPS));
        assertThat(r.map()).isCloseTo(1, within(EPS));
        assertThat(r.coverage()).isCloseTo(4.0 / 5, within(EPS));              // {10, 11, 12, 14}
        assertThat(r.toMap()).containsKeys("precision_at_k", "recall_at_k", "ndcg_at_k", "map_at_k", "coverage");
        // without exclusion user 1's list is [10 11]: P = 1/2, R = 1, DCG = 1/log2 3, IDCG = 1, AP = (1/2) / 1
        RankingMetrics.Result noEx = RankingMetrics.evaluate(m, test, null, 2, 4.0, 1);
        // user 2's list [10 11], relevant {10}: P = 1/2, R = 1, NDCG = 1, AP = 1
        assertThat(noEx.ndcg()).isCloseTo((1 / L3 + 1) / 2, within(EPS));
        assertThat(noEx.map()).isCloseTo((0.5 + 1) / 2, within(EPS));
    }
}
