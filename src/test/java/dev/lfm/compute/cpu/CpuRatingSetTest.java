package dev.lfm.compute.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.lfm.compute.ErrorSums;
import dev.lfm.compute.RatingSet;
import dev.lfm.data.Ratings;
import dev.lfm.data.SyntheticRatings;
import dev.lfm.model.FactorModel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The evaluation order: the same ratings, by item block then user, file order within; evaluate unchanged by it. */
class CpuRatingSetTest {

    private static List<String> triples(Ratings r) {
        List<String> t = new ArrayList<>();
        for (int j = 0; j < r.size(); j++) {
            t.add(r.user(j) + "/" + r.item(j) + "/" + r.value(j));
        }
        Collections.sort(t);
        return t;
    }

    @Test
    void theEvaluationOrderIsTheSameRatingsByItemBlockThenUserInFileOrderWithin() {
        // k 512: 2 KiB an item row, 512 items a 1 MiB block: 3000 items make 6 blocks
        int k = 512;
        int perBlock = (int) (CpuRatingSet.EVAL_BLOCK_BYTES / (4L * k));
        Ratings r = SyntheticRatings.noise(700, 3000, 20_000, 5);
        CpuRatingSet set = new CpuRatingSet(r);
        Ratings o = set.evaluationOrder(k);
        assertThat(o.size()).isEqualTo(r.size());
        assertThat(triples(o)).isEqualTo(triples(r));
        int blocksSeen = 1;
        for (int j = 1; j < o.size(); j++) {
            int b0 = o.item(j - 1) / perBlock;
            int b1 = o.item(j) / perBlock;
            assertThat(b1).isGreaterThanOrEqualTo(b0);
            if (b1 == b0) {
                assertThat(o.user(j)).isGreaterThanOrEqualTo(o.user(j - 1));
            } else {
                blocksSeen++;
            }
        }
        assertThat(blocksSeen).isEqualTo((3000 + perBlock - 1) / perBlock);
        // stable: one user's ratings in one block keep their file order
        List<String> inFile = new ArrayList<>();
        List<String> inOrder = new ArrayList<>();
        for (int j = 0; j < r.size(); j++) {
            if (r.user(j) == 17 && r.item(j) / perBlock == 2) {
                inFile.add(r.item(j) + "/" + r.value(j));
            }
            if (o.user(j) == 17 && o.item(j) / perBlock == 2) {
                inOrder.add(o.item(j) + "/" + o.value(j));
            }
        }
        assertThat(inOrder).isNotEmpty().isEqualTo(inFile);
        // built once per rank; the set's own ratings keep their order
        assertThat(set.evaluationOrder(k)).isSameAs(o);
        assertThat(set.evaluationOrder(8)).isNotSameAs(o);
        assertThat(set.ratings).isSameAs(r);
    }

    @Test
    void evaluateGivesTheSameSumsInAnyOrder() {
        Ratings r = SyntheticRatings.noise(900, 400, 30_000, 9);
        FactorModel m = new FactorModel(900, 400, 24, true);
        m.mu = 3f;
        m.minRating = 1f;
        m.maxRating = 5f;
        m.initialize(4, 0.3, r.userCounts(), r.itemCounts());
        for (int u = 0; u < 900; u++) {
            m.userBias[u] = (u % 7 - 3) * 0.1f;
        }
        double sse = 0;
        double sae = 0;
        for (int j = 0; j < r.size(); j++) {
            float pr = Math.max(1f, Math.min(5f, CpuKernels.predict(m, r.user(j), r.item(j))));
            double e = r.value(j) - pr;
            sse += e * e;
            sae += Math.abs(e);
        }
        try (CpuBackend b = new CpuBackend(2)) {
            b.setModel(m);
            RatingSet set = b.upload(r);
            ErrorSums got = b.evaluate(set);
            assertThat(got.sse()).isCloseTo(sse, within(1e-9 * sse));
            assertThat(got.sae()).isCloseTo(sae, within(1e-9 * sae));
            assertThat(got.count()).isEqualTo(r.size());
            // residuals keep the set's own order
            float[] e = b.residuals(set);
            for (int j = 0; j < r.size(); j += 997) {
                assertThat(e[j]).isCloseTo(r.value(j) - CpuKernels.predict(m, r.user(j), r.item(j)), within(1e-5f));
            }
        }
    }
}
