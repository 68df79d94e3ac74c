package dev.lfm.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lfm.compute.Backend;
import dev.lfm.compute.Optimizer;
import dev.lfm.compute.cpu.CpuBackend;
import dev.lfm.data.Ratings;
import dev.lfm.model.FactorModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The trainer's exact-evaluation schedule, the automatic rank's account of itself, and warm starts without id maps. */
class TrainerDetailsTest {
    private static final Planted DATA = new Planted(300, 200, 3, 0.3, 0.1, 11);

    private static TrainingResult train(TrainingConfig c, Ratings validation, FactorModel init) {
        try (Backend b = new CpuBackend(1)) {
            return new Trainer(c, null).train(b, DATA.train, validation, null, init);
        }
    }

    private static List<Integer> exactEpochs(TrainingResult r) {
        List<Integer> out = new ArrayList<>();
        r.history().stream().filter(EpochRecord::trainExact).forEach(e -> out.add(e.epoch()));
        return out;
    }

    @Test
    void exactPassesRunEveryNthAndAtTheLastEpochAndDoNotChangeTraining() {
        TrainingConfig c = Classic.config();
        c.optimizer = Optimizer.ADAGRAD;
        c.lr = 0.05;
        c.epochs = 7;
        c.evalEvery = 1;
        TrainingResult every = train(c, null, null);
        assertThat(exactEpochs(every)).containsExactly(1, 2, 3, 4, 5, 6, 7);
        int[][] expected = {{0, 7}, {2, 2, 4, 6, 7}, {3, 3, 6, 7}, {7, 7}, {9, 7}};
        for (int[] e : expected) {
            c.evalEvery = e[0];
            TrainingResult r = train(c, null, null);
            List<Integer> want = new ArrayList<>();
            for (int j = 1; j < e.length; j++) {
                want.add(e[j]);
            }
            assertThat(exactEpochs(r)).as("evalEvery %d", e[0]).isEqualTo(want);
            for (EpochRecord rec : r.history()) {
                EpochRecord ref = every.history().get(rec.epoch() - 1);
                if (rec.trainExact()) {
                    // the same trajectory: evaluation never changes training
                    assertThat(rec.objective()).isEqualTo(ref.objective());
                    assertThat(rec.trainRmse()).isEqualTo(ref.trainRmse());
                } else {
                    // the errors during the epoch (before each update) are larger than after it
                    assertThat(rec.trainRmse()).isGreaterThan(ref.trainRmse()).isLessThan(ref.trainRmse() * 2);
                }
            }
        }
        // mini-batch epochs have no during-epoch errors: always exact
        c.evalEvery = 0;
        c.optimizer = Optimizer.SGD;
        c.lr = 0.005;
        c.batchSize = 16;
        assertThat(exactEpochs(train(c, null, null))).containsExactly(1, 2, 3, 4, 5, 6, 7);
    }

    private static TrainingConfig auto(int epochs) {
        TrainingConfig c = TrainingConfig.defaults();
        c.epochs = epochs;
        c.seed = 3;
        return c;
    }

    @Test
    void theAutomaticRankSaysWhatItMeasured() {
        for (int epochs : new int[] {1, 6}) {
            TrainingResult r = train(auto(epochs), DATA.validation, null);
            int probe = Math.min(3, epochs);
            StringBuilder want = new StringBuilder();
            double best = Double.POSITIVE_INFINITY;
            int bestRank = 0;
            // the probes run largest rank first (Trainer.chooseRank); ties go to the smaller
            for (int k : new int[] {64, 8}) {
                TrainingConfig p = auto(epochs).resolvedFor(DATA.train, true);
                p.rank = k;
                p.epochs = probe;
                p.patience = 0;
                double v = train(p, DATA.validation, null).last().validationRmse();
                want.append(want.length() == 0 ? "" : ", ").append(k).append(": ")
                        .append(String.format(Locale.ROOT, "%.4f", v));
                if (v < best || (v == best && k < bestRank)) {
                    best = v;
                    bestRank = k;
                }
            }
            want.append(" validation RMSE after ").append(probe).append(probe == 1 ? " epoch" : " epochs")
                    .append(" -> ").append(bestRank);
            assertThat(r.model().provenance.get("rank_auto")).isEqualTo(want.toString());
            assertThat(r.model().rank).isEqualTo(bestRank);
        }
    }

    @Test
    void equalProbesChooseTheSmallerRank() {
        // without biases, validation users that have no training ratings keep zero factors: every prediction is μ,
        // whatever the rank, so both probes score the same and the documented tie rule picks the smaller rank
        // make users 0..29 unseen: train without them, validate on their ratings
        int[] keep = new int[DATA.train.size()];
        int n = 0;
        int m = 0;
        int[] val = new int[DATA.train.size()];
        for (int j = 0; j < DATA.train.size(); j++) {
            if (DATA.train.user(j) < 30) {
                val[m++] = j;
            } else {
                keep[n++] = j;
            }
        }
        Ratings train = DATA.train.select(keep, n);
        Ratings validation = DATA.train.select(val, m);
        TrainingConfig c = auto(3);
        c.biases = false;
        try (Backend b = new CpuBackend(1)) {
            TrainingResult r = new Trainer(c, null).train(b, train, validation, null);
            String why = r.model().provenance.get("rank_auto");
            String[] scores = why.replaceAll(" validation.*", "").split(", ");
            assertThat(scores[0]).startsWith("64: ");
            assertThat(scores[0].substring(4)).isEqualTo(scores[1].substring(3));
            assertThat(r.model().rank).isEqualTo(8);
            assertThat(why).endsWith("-> 8");
        }
    }

    @Test
    void aWarmStartFixesTheAutomaticRankToTheInitialModels() {
        TrainingConfig c = Classic.config();
        c.rank = 5;
        c.epochs = 2;
        FactorModel init = train(c, null, null).model();
        TrainingResult r = train(auto(2), DATA.validation, init);
        assertThat(r.model().rank).isEqualTo(5);
        assertThat(r.model().provenance.get("rank_auto")).isEqualTo("the initial model's rank 5");
        assertThat(r.model().provenance.get("init_model")).isEqualTo(String.format(
                "sgd, rank 5, %d users x %d items, created %s", init.numUsers, init.numItems,
                init.provenance.get("created")));
    }

    @Test
    void aModelWithoutIdMapsIsMatchedByIndexAndOnlyWhereItHasTheRow() {
        // an initial model of the first 100 users and 50 items, no id maps (a model made in code), no provenance
        int k = 3;
        FactorModel init = new FactorModel(100, 50, k, true);
        for (int j = 0; j < init.p.length; j++) {
            init.p[j] = 1e-4f * (j + 1); // distinct, small enough to train from
        }
        for (int j = 0; j < init.q.length; j++) {
            init.q[j] = -1e-4f * (j + 1);
        }
        for (int u = 0; u < 100; u++) {
            init.userBias[u] = 1e-3f * u;
        }
        FactorModel fresh = new FactorModel(DATA.train.numUsers(), DATA.train.numItems(), k, true);
        fresh.initialize(1, 0.1, DATA.train.userCounts(), DATA.train.itemCounts());
        FactorModel before = new FactorModel(fresh.numUsers, fresh.numItems, k, true);
        System.arraycopy(fresh.p, 0, before.p, 0, fresh.p.length);
        System.arraycopy(fresh.q, 0, before.q, 0, fresh.q.length);
        Ratings ids = new Ratings(DATA.train.numUsers(), DATA.train.numItems(), DATA.train.users(),
                DATA.train.items(), DATA.train.values(), DATA.train.size(), null, null, -100, 100);
        int[] matched = Trainer.warmStart(fresh, ids, init);
        int[] uc = DATA.train.userCounts();
        int[] ic = DATA.train.itemCounts();
        int users = 0;
        for (int u = 0; u < fresh.numUsers; u++) {
            boolean copied = u < 100 && uc[u] > 0;
            users += copied ? 1 : 0;
            for (int f = 0; f < k; f++) {
                assertThat(fresh.p[u * k + f]).isEqualTo(copied ? init.p[u * k + f] : before.p[u * k + f]);
            }
            assertThat(fresh.userBias[u]).isEqualTo(copied ? 1e-3f * u : 0f);
        }
        int items = 0;
        for (int i = 0; i < fresh.numItems; i++) {
            boolean copied = i < 50 && ic[i] > 0;
            items += copied ? 1 : 0;
            assertThat(fresh.q[i * k]).isEqualTo(copied ? init.q[i * k] : before.q[i * k]);
        }
        assertThat(matched).containsExactly(users, items);
        assertThat(users).isGreaterThan(50);

        TrainingConfig c = Classic.config();
        c.rank = k;
        c.epochs = 1;
        TrainingResult r = train(c, null, init);
        assertThat(r.model().provenance.get("init_model")).isEqualTo("model, rank 3, 100 users x 50 items");
    }

    @Test
    void aListenerEndsTrainingAfterAnEpochAndTheResultIsThatEpochs() {
        TrainingConfig c = Classic.config();
        c.epochs = 8;
        TrainingResult full;
        TrainingResult stopped;
        List<Integer> told = new ArrayList<>();
        try (Backend b = new CpuBackend(1)) {
            full = new Trainer(c, null).train(b, DATA.train, null, null);
            stopped = new Trainer(c, new TrainingListener() {
                @Override
                public void onEpoch(EpochRecord record) {
                    told.add(record.epoch());
                }

                @Override
                public boolean stopAfter(EpochRecord record) {
                    return record.epoch() == 3;
                }
            }).train(b, DATA.train, null, null);
        }
        assertThat(told).containsExactly(1, 2, 3);
        assertThat(stopped.epochsRun()).isEqualTo(3);
        assertThat(stopped.stoppedEarly()).isTrue();
        assertThat(stopped.bestEpoch()).isEqualTo(3);
        assertThat(stopped.updates()).isEqualTo(3L * DATA.train.size());
        // the same trajectory up to the stop, and the model is epoch 3's
        assertThat(stopped.last().objective()).isEqualTo(full.history().get(2).objective());
        assertThat(full.stoppedEarly()).isFalse();
        assertThat(stopped.last().objective()).isGreaterThan(full.last().objective());
    }
}
