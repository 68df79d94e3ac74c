package dev.lfm.serve;

import static dev.lfm.serve.RandomModels.randomModel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.lfm.TestData;
import dev.lfm.data.Ratings;
import dev.lfm.data.RatingsReader;
import dev.lfm.data.SyntheticRatings;
import dev.lfm.model.FactorModel;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TopNTest {
    /** Brute force with predictRaw: every list is the best N unrated items, scores as predictRaw. */
    @ParameterizedTest
    @CsvSource({"1, 1, 1", "5, 7, 2", "10, 16, 2", "3, 33, 1", "37, 64, 2"})
    void matchesBruteForce(int n, int k, int threads) {
        Ratings r = SyntheticRatings.uniform(150, 301, 9000, 4, 0.2, 9);
        FactorModel m = randomModel(r, k, k);
        Set<Long> rated = new HashSet<>();
        for (int j = 0; j < r.size(); j++) {
            rated.add((long) r.user(j) << 32 | r.item(j));
        }
        List<Recommendation> rows = new ArrayList<>();
        TopN.Summary s = new TopN(m, n).threads(threads).blockSize(7).exclude(r).allUsers(rows::add);
        assertThat(s.users()).isEqualTo(m.numUsers);
        assertThat(s.rows()).isEqualTo(rows.size());
        Map<Long, List<Recommendation>> byUser = new HashMap<>();
        long previous = -1;
        for (Recommendation x : rows) {
            if (x.user() != previous) {
                assertThat(byUser).doesNotContainKey(x.user()); // users come in order, each once
                previous = x.user();
            }
            byUser.computeIfAbsent(x.user(), key -> new ArrayList<>()).add(x);
        }
        for (int u = 0; u < m.numUsers; u++) {
            List<Recommendation> list = byUser.getOrDefault(m.userIds.externalId(u), List.of());
            int candidates = 0;
            float[] best = new float[m.numItems];
            for (int i = 0; i < m.numItems; i++) {
                if (!rated.contains((long) u << 32 | i)) {
                    best[candidates++] = m.predictRaw(u, i);
                }
            }
            java.util.Arrays.sort(best, 0, candidates);
            assertThat(list).hasSize(Math.min(n, candidates));
            for (int rnk = 0; rnk < list.size(); rnk++) {
                Recommendation x = list.get(rnk);
                int i = m.itemIds.indexOf(x.item());
                assertThat(x.rank()).isEqualTo(rnk + 1);
                assertThat(rated.contains((long) u << 32 | i)).isFalse();
                assertThat(x.score()).isCloseTo(m.predictRaw(u, i), within(1e-4f));
                assertThat(x.score()).isCloseTo(best[candidates - 1 - rnk], within(1e-4f));
                assertThat(x.rating()).isEqualTo(Math.max(1f, Math.min(5f, x.score())));
            }
        }
    }

    @Test
    void tiesGoToTheLowerItemIndexAndSubsetsKeepTheirOrder() {
        Ratings r = Subsets.of(1, 5, 1, 100, 3, 2, 101, 3, 3, 102, 3, 3, 103, 3, 3, 104, 3);
        FactorModel m = new FactorModel(r.numUsers(), r.numItems(), 2, true);
        m.userIds = r.userIds();
        m.itemIds = r.itemIds();
        m.mu = 3;
        m.itemBias[m.itemIds.indexOf(103)] = 0.5f; // the best; the other four tie
        List<Recommendation> rows = new ArrayList<>();
        TopN.Summary s = new TopN(m, 3).users(new long[] {3, 42, 1}, rows::add);
        assertThat(s.unknownUsers()).isEqualTo(1);
        assertThat(rows).extracting(Recommendation::user).containsExactly(3L, 3L, 3L, 1L, 1L, 1L);
        assertThat(rows).extracting(Recommendation::item).containsExactly(103L, 100L, 101L, 103L, 100L, 101L);
        assertThat(rows.get(0).score()).isEqualTo(3.5f);
    }

    @Test
    void progressIsReportedUpToTheTotal() {
        Ratings r = SyntheticRatings.uniform(1000, 50, 5000, 4, 0.2, 1);
        FactorModel m = randomModel(r, 4, 2);
        List<long[]> updates = new ArrayList<>();
        new TopN(m, 5).blockSize(100).threads(2).progress((done, total) -> updates.add(new long[] {done, total}))
                .allUsers(x -> { });
        assertThat(updates).isNotEmpty();
        assertThat(updates.get(updates.size() - 1)).containsExactly(1000, 1000);
        for (int j = 1; j < updates.size(); j++) {
            assertThat(updates.get(j)[0]).isGreaterThan(updates.get(j - 1)[0]);
        }
    }

    /**
     * The done-when check on ml-latest-small: top 10 for every user, exactly 10 rows each, none of
     * them rated by the user; with titles from movies.csv; one rough items/s figure printed.
     */
    @Test
    void everyUserOfMovieLensGetsExactlyTenUnratedItems() throws Exception {
        java.nio.file.Path file = TestData.movieLensSmall();
        Ratings r = RatingsReader.read(file);
        FactorModel m = randomModel(r, 16, 4);
        ItemTitles titles = ItemTitles.read(file.resolveSibling("movies.csv"));
        Set<Long> rated = new HashSet<>();
        for (int j = 0; j < r.size(); j++) {
            rated.add(r.userIds().externalId(r.user(j)) << 32 | r.itemIds().externalId(r.item(j)));
        }
        Map<Long, Integer> perUser = new HashMap<>();
        StringWriter csv = new StringWriter();
        var writer = RecommendationFiles.csv(csv, true);
        TopN.Summary s = new TopN(m, 10).exclude(r).titles(titles).allUsers(x -> {
            perUser.merge(x.user(), 1, Integer::sum);
            assertThat(rated.contains(x.user() << 32 | x.item())).isFalse();
            assertThat(x.title()).isNotNull();
            writer.accept(x);
        });
        System.out.println("top-10 on ml-latest-small (random rank-16 model): " + s);
        assertThat(perUser).hasSize(610);
        assertThat(perUser.values()).containsOnly(10);
        String[] lines = csv.toString().split("\n");
        assertThat(lines).hasSize(6101);
        assertThat(lines[0]).isEqualTo("user,item,score,rank,rating,title");
        assertThat(lines[1]).startsWith("1,").contains(",1,");
    }

    /** The host ordering of the GPU path: score descending, item ascending, ±0 tied, each score returned as given. */
    @Test
    void deviceListsAreOrderedByScoreThenItemWithSignedZerosTied() {
        int[] items = {9, 4, 7, 2, 5, 8, 1, 3};
        float[] scores = {1f, -0f, 2.5f, 0f, -3f, 2.5f, Float.POSITIVE_INFINITY, -Float.MAX_VALUE};
        int[] outItems = new int[8];
        float[] outScores = new float[8];
        TopN.order(items, scores, 0, 8, new long[8], outItems, outScores);
        assertThat(outItems).containsExactly(1, 7, 8, 9, 2, 4, 5, 3);
        for (int j = 0; j < 8; j++) {
            int item = outItems[j];
            int at = java.util.stream.IntStream.range(0, 8).filter(e -> items[e] == item).findFirst().getAsInt();
            assertThat(Float.floatToRawIntBits(outScores[j])).isEqualTo(Float.floatToRawIntBits(scores[at]));
        }
        // an offset into the arrays and a count below their length
        TopN.order(new int[] {0, 6, 5}, new float[] {9f, 1f, 1f}, 1, 2, new long[2], outItems, outScores);
        assertThat(outItems[0]).isEqualTo(5);
        assertThat(outItems[1]).isEqualTo(6);
    }
}
