package dev.lfm.serve;

import dev.lfm.OrderedMap;
import dev.lfm.compute.Backend;
import dev.lfm.data.Ratings;
import dev.lfm.model.FactorModel;
import java.util.Arrays;
import java.util.Map;

/**
 * Ranking quality of top-N lists against held-out ratings, with the standard definitions. For a
 * user with relevant set R (test ratings ≥ the threshold) and list L (ranks 1..N, rel_k = 1 when
 * the item at rank k is in R):
 *
 * <pre>
 *   precision@N = |L ∩ R| / N
 *   recall@N    = |L ∩ R| / |R|
 *   NDCG@N      = DCG / IDCG,  DCG = Σ_{k≤N} rel_k / log2(k+1),  IDCG = Σ_{k ≤ min(N,|R|)} 1 / log2(k+1)
 *   AP@N        = Σ_{k≤N} precision@k · rel_k / min(N, |R|)          (MAP@N: its mean)
 *   coverage    = |∪_u L_u| / numItems
 * </pre>
 *
 * Each is averaged over the users with at least one relevant test item (binary relevance). A list
 * shorter than N (few unexcluded items) still divides precision by N. In {@link #evaluate} the
 * lists skip the items each user has in the exclusion set (normally the training ratings);
 * relevant items the model does not know count in |R| but can never be hit; test users the model
 * does not know are skipped and counted; coverage is over the lists of the evaluated users.
 */
public final class RankingMetrics {
    /** Default relevance threshold: test ratings ≥ 4.0 are relevant. */
    public static final double DEFAULT_RELEVANT = 4.0;

    private RankingMetrics() {
    }

    /**
     * The five metrics at N.
     *
     * @param users users averaged over (known to the model, at least one relevant item)
     * @param unknownUsers test users with relevant items that the model does not know (skipped)
     */
    public record Result(int n, double relevantThreshold, int users, int unknownUsers, double precision,
                         double recall, double ndcg, double map, double coverage) {
        /**
         * The metrics under the report's keys: {@code precision_at_k}, {@code recall_at_k},
         * {@code ndcg_at_k}, {@code map_at_k}, {@code coverage}, plus {@code k}, {@code relevant},
         * {@code users}, {@code unknown_users}.
         */
        public Map<String, Object> toMap() {
            return OrderedMap.of("k", n, "relevant", relevantThreshold, "users", users, "unknown_users", unknownUsers,
                    "precision_at_k", precision, "recall_at_k", recall, "ndcg_at_k", ndcg, "map_at_k", map,
                    "coverage", coverage);
        }

        @Override
        public String toString() {
            return String.format("@%d over %d users: precision %.4f, recall %.4f, NDCG %.4f, MAP %.4f, coverage %.4f",
                    n, users, precision, recall, ndcg, map, coverage);
        }
    }

    /**
     * Ranks the top N for every test user with a relevant item and scores the lists.
     *
     * @param model the model
     * @param test held-out ratings (any id space, matched by file ids)
     * @param exclude ratings whose items are never recommended to their user (normally train; may be null)
     * @param n list length
     * @param relevant relevance threshold (ratings ≥ it are relevant)
     * @param threads CPU threads (0 = all)
     */
    public static Result evaluate(FactorModel model, Ratings test, Ratings exclude, int n, double relevant,
                                  int threads) {
        return evaluate(model, test, n, relevant, new TopN(model, n).threads(threads).exclude(exclude));
    }

    /**
     * The same, with the lists ranked on {@code backend} ({@link TopN#backend}: a GPU backend ranks
     * on the device, the cpu backend or null on all processors); the metrics are those of
     * {@link #evaluate(FactorModel, Ratings, Ratings, int, double, int)}.
     */
    public static Result evaluate(FactorModel model, Ratings test, Ratings exclude, int n, double relevant,
                                  Backend backend) {
        return evaluate(model, test, n, relevant, new TopN(model, n).backend(backend).exclude(exclude));
    }

    private static Result evaluate(FactorModel model, Ratings test, int n, double relevant, TopN ranker) {
        int[] userRow = Ids.userRows(model, test);
        int[] itemRow = Ids.itemRows(model, test);
        // relevant test items per test user (distinct by test item index)
        int nu = test.numUsers();
        int[] count = new int[nu + 1];
        for (int j = 0; j < test.size(); j++) {
            if (test.value(j) >= relevant) {
                count[test.user(j) + 1]++;
            }
        }
        for (int u = 0; u < nu; u++) {
            count[u + 1] += count[u];
        }
        int[] fill = Arrays.copyOf(count, nu);
        int[] rel = new int[count[nu]];
        for (int j = 0; j < test.size(); j++) {
            if (test.value(j) >= relevant) {
                int i = itemRow[test.item(j)];
                rel[fill[test.user(j)]++] = i >= 0 ? i : -1 - test.item(j); // unknown: negative, still distinct
            }
        }
        // model row → its relevant list (a test user maps to one row)
        int[] relFrom = new int[model.numUsers];
        int[] relTo = new int[model.numUsers];
        int unknown = 0;
        int users = 0;
        int[] rows = new int[nu];
        for (int u = 0; u < nu; u++) {
            if (count[u + 1] == count[u]) {
                continue;
            }
            if (userRow[u] < 0) {
                unknown++;
                continue;
            }
            Arrays.sort(rel, count[u], count[u + 1]);
            relFrom[userRow[u]] = count[u];
            relTo[userRow[u]] = count[u + 1];
            rows[users++] = userRow[u];
        }
        int[] evaluated = Arrays.copyOf(rows, users);
        Arrays.sort(evaluated);
        Accumulator acc = new Accumulator(n, model.numItems);
        ranker.lists(evaluated, (u, items, scores, c) -> {
            int from = relFrom[u];
            int to = relTo[u];
            acc.add(items, c, rel, from, to, distinct(rel, from, to));
        });
        return acc.result(relevant, unknown);
    }

    /**
     * The metrics of given lists (the definitions, for tests and other rankers): {@code recommended[u]}
     * holds user u's items best first (at most N are used), {@code relevant[u]} its relevant items.
     * Users with no relevant item are skipped.
     */
    public static Result of(int[][] recommended, int[][] relevant, int numItems, int n, double relevantThreshold) {
        Accumulator acc = new Accumulator(n, numItems);
        for (int u = 0; u < recommended.length; u++) {
            int[] r = relevant[u].clone();
            Arrays.sort(r);
            int d = distinct(r, 0, r.length);
            if (d == 0) {
                continue;
            }
            acc.add(recommended[u], Math.min(n, recommended[u].length), r, 0, r.length, d);
        }
        return acc.result(relevantThreshold, 0);
    }

    private static int distinct(int[] sorted, int from, int to) {
        int d = 0;
        for (int j = from; j < to; j++) {
            if (j == from || sorted[j] != sorted[j - 1]) {
                d++;
            }
        }
        return d;
    }

    /** Sums of the per-user metrics, in double. */
    private static final class Accumulator {
        final int n;
        final boolean[] seen;
        int distinctItems;
        int users;
        double precision;
        double recall;
        double ndcg;
        double map;

        Accumulator(int n, int numItems) {
            this.n = n;
            this.seen = new boolean[numItems];
        }

        /** One user: list items[0..count), relevant sorted rel[from..to) with {@code numRelevant} distinct. */
        void add(int[] items, int count, int[] rel, int from, int to, int numRelevant) {
            int hits = 0;
            double dcg = 0;
            double ap = 0;
            for (int k = 0; k < count; k++) {
                int i = items[k];
                if (i >= 0 && i < seen.length && !seen[i]) {
                    seen[i] = true;
                    distinctItems++;
                }
                if (Arrays.binarySearch(rel, from, to, i) >= 0) {
                    hits++;
                    dcg += 1 / log2(k + 2);
                    ap += (double) hits / (k + 1);
                }
            }
            double idcg = 0;
            int ideal = Math.min(n, numRelevant);
            for (int k = 0; k < ideal; k++) {
                idcg += 1 / log2(k + 2);
            }
            users++;
            precision += (double) hits / n;
            recall += (double) hits / numRelevant;
            ndcg += dcg / idcg;
            map += ap / ideal;
        }

        Result result(double threshold, int unknown) {
            double d = Math.max(1, users);
            return new Result(n, threshold, users, unknown, precision / d, recall / d, ndcg / d, map / d,
                    seen.length == 0 ? 0 : (double) distinctItems / seen.length);
        }
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
