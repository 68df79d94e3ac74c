package dev.lfm.compute.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lfm.train.Planted;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SgdPlanTest {
    private static final Planted DATA = new Planted(300, 200, 3, 0.3, 0.1, 5);

    @ParameterizedTest
    @ValueSource(ints = {1, 4, 16})
    void bothBuildersGiveTheSameLayout(int grid) {
        SgdPlan buckets = new SgdPlan(DATA.train, grid, 9);
        SgdPlan userOrder;
        SgdPlan.forceUserOrder = true;
        try {
            userOrder = new SgdPlan(DATA.train, grid, 9);
        } finally {
            SgdPlan.forceUserOrder = false;
        }
        assertThat(userOrder.items).isEqualTo(buckets.items);
        assertThat(userOrder.values).isEqualTo(buckets.values);
        assertThat(userOrder.runUser).isEqualTo(buckets.runUser);
        assertThat(userOrder.runStart).isEqualTo(buckets.runStart);
        assertThat(userOrder.blockRun).isEqualTo(buckets.blockRun);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void everyRatingOnceAndBlocksConflictFreeOnDiagonals(boolean userOrder) {
        int grid = 4;
        SgdPlan.forceUserOrder = userOrder;
        SgdPlan p;
        try {
            p = new SgdPlan(DATA.train, grid, 3);
        } finally {
            SgdPlan.forceUserOrder = false;
        }
        assertThat(p.items).hasSize(DATA.train.size());
        assertThat(p.runStart[p.numRuns()]).isEqualTo(DATA.train.size());
        // each run's ratings are one user's; the multiset of (user, item) pairs is the training set
        Set<Long> pairs = new HashSet<>();
        int[] userRowBlock = new int[DATA.train.numUsers()];
        int[] itemColBlock = new int[DATA.train.numItems()];
        java.util.Arrays.fill(userRowBlock, -1);
        java.util.Arrays.fill(itemColBlock, -1);
        for (int blk = 0; blk < grid * grid; blk++) {
            for (int run = p.blockRun[blk]; run < p.blockRun[blk + 1]; run++) {
                int u = p.runUser[run];
                assertThat(userRowBlock[u] == -1 || userRowBlock[u] == blk / grid).isTrue();
                userRowBlock[u] = blk / grid;
                for (int j = p.runStart[run]; j < p.runStart[run + 1]; j++) {
                    int i = p.items[j];
                    assertThat(itemColBlock[i] == -1 || itemColBlock[i] == blk % grid).isTrue();
                    itemColBlock[i] = blk % grid;
                    assertThat(pairs.add((long) u << 32 | i)).isTrue();
                }
            }
        }
        assertThat(pairs).hasSize(DATA.train.size());
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void parallelBuildGivesTheSerialLayout(int threads) {
        dev.lfm.data.Ratings r = dev.lfm.data.SyntheticRatings.uniform(3000, 700, 300000, 4, 0.1, 13);
        SgdPlan serial = new SgdPlan(r, 4, 21);
        SgdPlan parallel;
        try (Parallel par = new Parallel(threads)) {
            parallel = new SgdPlan(r, 4, 21, par);
        }
        assertThat(parallel.items).isEqualTo(serial.items);
        assertThat(parallel.values).isEqualTo(serial.values);
        assertThat(parallel.runUser).isEqualTo(serial.runUser);
        assertThat(parallel.runStart).isEqualTo(serial.runStart);
        assertThat(parallel.blockRun).isEqualTo(serial.blockRun);
    }
}
