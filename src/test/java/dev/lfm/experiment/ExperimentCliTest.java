package dev.lfm.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lfm.cli.CliRun;
import org.junit.jupiter.api.Test;

class ExperimentCliTest {
    @Test
    void everyExperimentIsRegisteredWithHelp() {
        CliRun r = CliRun.lfm("experiment", "--help");
        assertThat(r.code()).isZero();
        for (String name : new String[] {"reg-sweep", "rank-sweep", "optimizers", "sgd-vs-als", "early-stopping",
            "landscape", "gap"}) {
            assertThat(r.out()).contains(name);
            CliRun h = CliRun.lfm("experiment", name, "--help");
            assertThat(h.code()).as(name).isZero();
            assertThat(h.out()).contains("--backend", "--seed", "--out", "--epochs", "--data");
        }
        assertThat(CliRun.lfm("experiment", "landscape", "--help").out()).contains("--grid", "--radius", "--matrix");
        assertThat(CliRun.lfm("experiment", "rank-sweep", "--help").out()).contains("--ranks");
    }

    @Test
    void badFlagsEndInOneLineAndExitTwo() {
        CliRun r = CliRun.lfm("experiment", "gap", "--batch-size", "0");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("lfm: --batch-size must be a positive integer or 'all' (got '0')");
        CliRun b = CliRun.lfm("experiment", "gap", "--backend", "nosuch");
        assertThat(b.code()).isEqualTo(2);
        assertThat(b.err()).startsWith("lfm: unknown backend 'nosuch'").doesNotContain("Exception");
        CliRun a = CliRun.lfm("experiment", "gap", "--algorithm", "newton");
        assertThat(a.code()).isEqualTo(2);
        assertThat(a.err().strip()).startsWith("lfm: unknown algorithm 'newton'");
    }
}
