package dev.lfm.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lfm.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ExperimentCliTest {
    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void everyExperimentIsRegisteredWithHelp() {
        Run r = run("experiment", "--help");
        assertThat(r.code).isZero();
        for (String name : new String[] {"reg-sweep", "rank-sweep", "optimizers", "sgd-vs-als", "early-stopping",
            "landscape", "gap"}) {
            assertThat(r.out).contains(name);
            Run h = run("experiment", name, "--help");
            assertThat(h.code).as(name).isZero();
            assertThat(h.out).contains("--backend", "--seed", "--out", "--epochs", "--data");
        }
        assertThat(run("experiment", "landscape", "--help").out).contains("--grid", "--radius", "--matrix");
        assertThat(run("experiment", "rank-sweep", "--help").out).contains("--ranks");
    }

    @Test
    void badFlagsEndInOneLineAndExitTwo() {
        Run r = run("experiment", "gap", "--batch-size", "0");
        assertThat(r.code).isEqualTo(2);
        assertThat(r.err.strip()).isEqualTo("lfm: --batch-size must be a positive integer or 'all' (got '0')");
        Run b = run("experiment", "gap", "--backend", "nosuch");
        assertThat(b.code).isEqualTo(2);
        assertThat(b.err).startsWith("lfm: unknown backend 'nosuch'").doesNotContain("Exception");
        Run a = run("experiment", "gap", "--algorithm", "newton");
        assertThat(a.code).isEqualTo(2);
        assertThat(a.err.strip()).startsWith("lfm: unknown algorithm 'newton'");
    }
}
