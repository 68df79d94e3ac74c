package dev.lfm.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lfm.LfmException;
import dev.lfm.compute.Backend;
import dev.lfm.compute.cpu.CpuBackend;
import dev.lfm.data.IdMap;
import dev.lfm.data.Ratings;
import dev.lfm.model.FactorModel;
import org.junit.jupiter.api.Test;

class WarmStartTest {
    private static final Planted PLANTED = new Planted(400, 300, 4, 0.3, 0.1, 5);

    private static TrainingConfig config(int epochs) {
        TrainingConfig c = TrainingConfig.defaults();
        c.algorithm = Algorithm.ALS;
        c.rank = 4;
        c.epochs = epochs;
        c.lambda = 0.01;
        c.lambdaBias = 0.01;
        return c;
    }

    private static TrainingResult train(TrainingConfig c, Ratings r, FactorModel init) {
        try (Backend b = new CpuBackend(2)) {
            return new Trainer(c, null).train(b, r, null, null, init);
        }
    }

    /** The same ratings with users and items in reverse index order (other dense ids, same file ids). */
    private static Ratings reversed(Ratings r) {
        int nu = r.numUsers();
        int ni = r.numItems();
        long[] uids = new long[nu];
        long[] iids = new long[ni];
        for (int u = 0; u < nu; u++) {
            uids[u] = r.userIds().externalId(nu - 1 - u);
        }
        for (int i = 0; i < ni; i++) {
            iids[i] = r.itemIds().externalId(ni - 1 - i);
        }
        int[] us = new int[r.size()];
        int[] is = new int[r.size()];
        for (int j = 0; j < r.size(); j++) {
            us[j] = nu - 1 - r.user(j);
            is[j] = ni - 1 - r.item(j);
        }
        return new Ratings(nu, ni, us, is, r.values().clone(), r.size(), IdMap.of(uids), IdMap.of(iids),
                r.minRating(), r.maxRating());
    }

    @Test
    void rowsAreCopiedByFileIdNotByIndex() {
        FactorModel init = train(config(3), PLANTED.train, null).model();
        Ratings rev = reversed(PLANTED.train);
        FactorModel fresh = new FactorModel(rev.numUsers(), rev.numItems(), 4, true);
        int[] matched = Trainer.warmStart(fresh, rev, init);
        int[] uc = PLANTED.train.userCounts();
        int[] ic = PLANTED.train.itemCounts();
        assertThat(matched[0]).isEqualTo((int) java.util.Arrays.stream(uc).filter(c -> c > 0).count());
        assertThat(matched[1]).isEqualTo((int) java.util.Arrays.stream(ic).filter(c -> c > 0).count());
        int nu = rev.numUsers();
        for (int u = 0; u < nu; u++) {
            if (uc[u] > 0) {
                assertThat(fresh.p[(nu - 1 - u) * 4]).isEqualTo(init.p[u * 4]);
                assertThat(fresh.userBias[nu - 1 - u]).isEqualTo(init.userBias[u]);
            }
        }
    }

    @Test
    void continuingStartsWhereTheSavedModelStoppedAndRecordsIt() {
        TrainingResult five = train(config(5), PLANTED.train, null);
        TrainingResult oneCold = train(config(1), PLANTED.train, null);
        TrainingResult oneWarm = train(config(1), reversed(PLANTED.train), five.model());
        // one more epoch from the 5-epoch model is at least as good as the 5-epoch model, far from a cold epoch
        assertThat(oneWarm.last().objective()).isLessThanOrEqualTo(five.last().objective() * (1 + 1e-4));
        assertThat(oneWarm.last().objective()).isLessThan(oneCold.last().objective());
        assertThat(oneWarm.model().provenance).containsKeys("init_model", "init_users", "init_items");
        assertThat(oneWarm.model().provenance.get("init_model")).contains("rank 4");
        assertThat(oneCold.model().provenance).doesNotContainKey("init_model");
    }

    @Test
    void aRankMismatchIsOneLine() {
        FactorModel init = new FactorModel(PLANTED.train.numUsers(), PLANTED.train.numItems(), 3, true);
        assertThatThrownBy(() -> train(config(1), PLANTED.train, init)).isInstanceOf(LfmException.class)
                .hasMessageContaining("rank 3");
    }
}
