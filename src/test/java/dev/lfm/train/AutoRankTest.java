package dev.lfm.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lfm.compute.Backend;
import dev.lfm.compute.cpu.CpuBackend;
import org.junit.jupiter.api.Test;

/** {@link TrainingConfig#RANK_AUTO}: the rank is the validation argmin of short probes, and says so. */
class AutoRankTest {
    private static final Planted PLANTED = new Planted(300, 200, 3, 0.3, 0.1, 11);

    private static TrainingConfig auto() {
        TrainingConfig c = TrainingConfig.defaults();
        c.epochs = 12;
        c.seed = 3;
        return c;
    }

    @Test
    void theChosenRankIsTheValidationArgminOfTheProbesAndIsRecorded() {
        try (Backend b = new CpuBackend(2)) {
            TrainingResult r = new Trainer(auto(), null).train(b, PLANTED.train, PLANTED.validation, PLANTED.test);
            // independent probes: each candidate rank, fixed epochs, no early stopping, same resolved settings
            double best = Double.POSITIVE_INFINITY;
            int bestRank = -1;
            for (int k : TrainingConfig.AUTO_RANKS) {
                TrainingConfig p = auto().resolvedFor(PLANTED.train, true);
                p.rank = k;
                p.epochs = TrainingConfig.AUTO_RANK_PROBE_EPOCHS;
                p.patience = 0;
                double v = new Trainer(p, null).train(b, PLANTED.train, PLANTED.validation, null).last()
                        .validationRmse();
                if (v < best) {
                    best = v;
                    bestRank = k;
                }
            }
            assertThat(r.config().rank).isEqualTo(bestRank);
            assertThat(r.model().rank).isEqualTo(bestRank);
            assertThat(r.model().provenance.get("rank_auto")).contains("8: ", "64: ", "-> " + bestRank);
            assertThat(r.model().provenance.get("rank")).isEqualTo(Integer.toString(bestRank));
        }
    }

    @Test
    void withoutValidationTheRankIsTheDocumentedFallback() {
        try (Backend b = new CpuBackend(2)) {
            TrainingResult r = new Trainer(auto(), null).train(b, PLANTED.train, null, PLANTED.test);
            assertThat(r.config().rank).isEqualTo(TrainingConfig.AUTO_RANK_WITHOUT_VALIDATION);
            assertThat(r.model().provenance.get("rank_auto")).contains("no validation");
        }
    }

    @Test
    void anExplicitRankIsNeverRaced() {
        TrainingConfig c = auto();
        c.rank = 5;
        try (Backend b = new CpuBackend(2)) {
            TrainingResult r = new Trainer(c, null).train(b, PLANTED.train, PLANTED.validation, PLANTED.test);
            assertThat(r.config().rank).isEqualTo(5);
            assertThat(r.model().provenance).doesNotContainKey("rank_auto");
        }
    }
}
