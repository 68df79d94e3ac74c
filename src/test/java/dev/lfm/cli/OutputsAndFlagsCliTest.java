package dev.lfm.cli;

import static dev.lfm.cli.CliRun.lfm;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lfm.model.FactorModel;
import dev.lfm.model.ModelIO;
import dev.lfm.model.ModelIOTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, items 6 to 11 from the command line: every case ends in the right result or in
 * exactly one {@code lfm:} line on stderr (no stack trace, exit != 0) and leaves the directory as
 * it was.
 */
class OutputsAndFlagsCliTest {
    @TempDir
    Path dir;

    Path data;

    /** The one line on stderr, which must be an "lfm:" line with no stack trace. */
    static String onlyLine(CliRun r) {
        assertThat(r.code()).as(r.out() + r.err()).isNotZero();
        assertThat(r.err()).doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(r.err().strip().split("\n")).as(r.err()).hasSize(1);
        assertThat(r.err()).startsWith("lfm: ");
        return r.err().strip();
    }

    @BeforeEach
    void ratings() throws IOException {
        StringBuilder sb = new StringBuilder();
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(3);
        for (int u = 1; u <= 40; u++) {
            for (int i = 1; i <= 30; i++) {
                if (rnd.nextDouble() < 0.4) {
                    sb.append(u).append(',').append(i).append(',').append(1 + rnd.nextInt(5)).append('\n');
                }
            }
        }
        data = Files.writeString(dir.resolve("r.csv"), sb.toString());
    }

    private List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private String[] train(String... more) {
        String[] base = {"train", "--data", data.toString(), "--epochs", "2", "-q", "--backend", "cpu"};
        String[] all = Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    // 7: divergence without NaN, advice that fits

    @Test
    void adamAtAHugeLearningRateIsDivergenceEvenWithoutNaN() throws IOException {
        Path m = dir.resolve("m.lfm");
        CliRun r = lfm(train("--optimizer", "adam", "--batch-size", "50", "--lr", "1e6", "--lr-decay", "1",
                "--save", m.toString()));
        assertThat(onlyLine(r)).matches("lfm: training diverged at epoch \\d \\(objective [0-9.e+]+, [0-9.e+]+ times "
                + "the initial [0-9.e+]+\\): lower the learning rate \\(--lr 1\\.00e\\+06 now; try --lr 1\\.00e\\+05\\) "
                + "or use --lr-decay");
        assertThat(names()).containsExactly("r.csv");
    }

    @Test
    void sgdDivergenceAdviceNamesTheOptionsNotInUseAndAnAbsurdRating() throws IOException {
        Files.writeString(data, "99,99,9000\n", java.nio.file.StandardOpenOption.APPEND);
        CliRun r = lfm(train("--lr", "40", "--lr-decay", "0.9"));
        assertThat(onlyLine(r)).contains("training diverged at epoch")
                .contains("lower the learning rate (--lr 40.0 now; try --lr 4.00) or try --optimizer adam")
                .doesNotContain("--lr-decay")
                .endsWith("; the largest |rating| is 9.00e+03, far outside the rest (99% are within 5.00): check the data");
    }

    // 8: flags accepted silently

    @Test
    void flagsThatWouldBeIgnoredOrAreNaNAreRefused() throws IOException {
        assertThat(onlyLine(lfm(train("--init-scale", "NaN")))).isEqualTo("lfm: --init-scale must be a positive number (got NaN)");
        assertThat(onlyLine(lfm(train("--lr-bias", "NaN")))).isEqualTo("lfm: --lr-bias must be a number >= 0 (got NaN)");
        assertThat(onlyLine(lfm("train", "--synthetic", "small", "--backend", "opencl", "--device", "-5")))
                .isEqualTo("lfm: --device must be an index from 'lfm devices' (0, 1, ...) or -1 for the first GPU (got -5)");
        assertThat(onlyLine(lfm("train", "--synthetic", "small", "--backend", "cpu", "--device", "1")))
                .isEqualTo("lfm: --device applies to --backend opencl or cuda only (the cpu backend uses --threads)");
        assertThat(onlyLine(lfm("train", "--synthetic", "small", "--format", "bogus")))
                .isEqualTo("lfm: --format applies only with a rating file (--data or --train); without one the synthetic "
                        + "problem is used");
        assertThat(onlyLine(lfm("train", "--synthetic", "small", "--max-ids", "10"))).startsWith("lfm: --max-ids applies only");
        assertThat(onlyLine(lfm(train("--users", "100")))).isEqualTo("lfm: --users applies to the synthetic problem only, "
                + "not with --data");
        assertThat(onlyLine(lfm(train("--optimizer", "sgd", "--momentum", "0.5"))))
                .isEqualTo("lfm: --momentum does not apply to --optimizer sgd (it is for momentum and nesterov)");
        assertThat(onlyLine(lfm(train("--optimizer", "momentum", "--beta1", "0.5"))))
                .isEqualTo("lfm: --beta1 does not apply to --optimizer momentum (it is for adam)");
        assertThat(onlyLine(lfm(train("--algorithm", "als", "--lr", "0.1")))).isEqualTo("lfm: --lr does not apply to "
                + "--algorithm als (ALS solves each row exactly: no learning rate, batches or optimizer)");
        assertThat(onlyLine(lfm(train("--algorithm", "als", "--lr-decay", "0.9")))).startsWith("lfm: --lr-decay does not apply");
        assertThat(onlyLine(lfm("compare", "--synthetic", "small", "--algorithm", "als", "--batch-size", "64")))
                .startsWith("lfm: --batch-size does not apply to --algorithm als");
        Path model = dir.resolve("m.lfm");
        ModelIO.save(ModelIOTest.fixtureModel(), model);
        assertThat(onlyLine(lfm("recommend", "--model", model.toString(), "--user", "7", "--data", data.toString(),
                "--synthetic", "small"))).isEqualTo("lfm: --synthetic, --ratings, --true-rank and --noise describe the synthetic problem: they do not go with --data");
        assertThat(names()).containsExactly("m.lfm", "r.csv");
    }

    // 9: outputs

    @Test
    void outputsAreCheckedBeforeTheDataIsRead() throws IOException {
        Path m = dir.resolve("m.lfm");
        Path bad = Files.writeString(dir.resolve("bad.csv"), "1,2,x\n");
        String badData = bad.toString();
        assertThat(onlyLine(lfm("train", "--data", badData, "--save", m.toString(), "--report", m.toString())))
                .isEqualTo("lfm: " + m + ": --save and --report name the same file");
        assertThat(onlyLine(lfm("train", "--data", badData, "--save", dir + "/newdir/")))
                .isEqualTo("lfm: Invalid value for option '--save': " + dir + "/newdir/: cannot write: is a directory "
                        + "(give a file name) (see 'lfm train --help')");
        assertThat(onlyLine(lfm("train", "--data", badData, "--report", "x/")))
                .contains("x/: cannot write: is a directory");
        Files.createDirectory(dir.resolve("sub"));
        assertThat(onlyLine(lfm("train", "--data", badData, "--save", dir.resolve("sub").toString())))
                .isEqualTo("lfm: " + dir.resolve("sub") + ": cannot write: is a directory");
        assertThat(onlyLine(lfm("train", "--data", badData, "--save", dir.resolve("nodir/m.lfm").toString())))
                .isEqualTo("lfm: " + dir.resolve("nodir/m.lfm") + ": cannot write: directory " + dir.resolve("nodir")
                        + " does not exist");
        assertThat(onlyLine(lfm("train", "--data", badData, "--save", "/dev/null")))
                .isEqualTo("lfm: /dev/null: cannot write: not a regular file (a device, FIFO or socket is never replaced)");
        assertThat(onlyLine(lfm("train", "--data", badData, "--report", bad.resolve("r.json").toString())))
                .isEqualTo("lfm: " + bad.resolve("r.json") + ": cannot write: " + bad + " is not a directory");
        if (Files.isDirectory(Path.of("/proc/self"))) {
            assertThat(onlyLine(lfm("train", "--data", badData, "--save", "/proc/m.lfm")))
                    .startsWith("lfm: /proc/m.lfm: cannot write: ").doesNotContain("does not exist");
        }
        assertThat(onlyLine(lfm("compare", "--data", badData, "--chart", bad.resolve("c.png").toString())))
                .contains("is not a directory");
        assertThat(onlyLine(lfm("experiment", "reg-sweep", "--data", badData, "--out", bad.toString())))
                .isEqualTo("lfm: " + bad + ": --out must be a directory (it is a file)");
        assertThat(names()).containsExactly("bad.csv", "r.csv", "sub");
        assertThat(Files.readString(bad)).isEqualTo("1,2,x\n");
    }

    @Test
    void modelAndReportAreWrittenBothOrNeither() throws IOException {
        Path m = dir.resolve("m.lfm");
        Path rep = dir.resolve("out/report.json");
        CliRun ok = lfm(train("--save", m.toString(), "--report", rep.toString()));
        assertThat(ok.code()).as(ok.err()).isZero();
        assertThat(ok.err()).isEmpty();
        assertThat(ModelIO.load(m).numUsers).isEqualTo(40);
        assertThat(Files.readString(rep)).contains("\"epochs_run\" : 2");
        assertThat(names()).containsExactly("m.lfm", "out", "r.csv");
    }

    // 10: one line means one line

    @Test
    void anErrorUnderBackendAutoIsAloneOnStderrAndNotesNeedVerbose() {
        CliRun r = lfm("train", "--data", dir.resolve("missing.csv").toString(), "--backend", "auto");
        assertThat(onlyLine(r)).contains("missing.csv");
        CliRun v = lfm("train", "--data", dir.resolve("missing.csv").toString(), "--backend", "auto", "--verbose");
        assertThat(v.code()).isNotZero();
        assertThat(v.err().strip().split("\n")[v.err().strip().split("\n").length - 1]).contains("missing.csv");
    }

    // 11: nothing to train or test on; a model with NaN; --max-ids; stdin twice

    @Test
    void aSplitThatComesOutEmptyIsRefused() throws IOException {
        Path one = Files.writeString(dir.resolve("one.csv"), "1,1,4\n");
        Path m = dir.resolve("m.lfm");
        assertThat(onlyLine(lfm("train", "--data", one.toString(), "--save", m.toString(), "--backend", "cpu")))
                .isEqualTo("lfm: " + one + ": the test split is empty: 1 ratings are too few for --test-fraction 0.2 "
                        + "(use more data, or --test-fraction 0 to train without a test)");
        assertThat(onlyLine(lfm("train", "--data", one.toString(), "--test-fraction", "0", "--backend", "cpu")))
                .isEqualTo("lfm: " + one + ": the validation split is empty: 1 training ratings are too few for "
                        + "--validation-fraction 0.1 (early stopping needs it)");
        CliRun r = lfm("train", "--data", one.toString(), "--test-fraction", "0", "--validation-fraction", "0",
                "--backend", "cpu", "-q", "--epochs", "1");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(names()).containsExactly("one.csv", "r.csv");
    }

    @Test
    void aModelWithNonFiniteParametersIsRefusedOnLoad() throws IOException {
        Path m = dir.resolve("nan.lfm");
        FactorModel bad = ModelIOTest.fixtureModel();
        bad.mu = Float.NaN;
        ModelIO.save(bad, m);
        assertThat(onlyLine(lfm("evaluate", "--model", m.toString(), "--data", data.toString())))
                .isEqualTo("lfm: " + m + ": corrupt lfm model file (global mean μ = NaN: the parameters must be finite "
                        + "(retrain the model))");
        bad = ModelIOTest.fixtureModel();
        bad.q[5] = Float.POSITIVE_INFINITY;
        ModelIO.save(bad, m);
        assertThat(onlyLine(lfm("recommend", "--model", m.toString(), "--user", "7")))
                .isEqualTo("lfm: " + m + ": corrupt lfm model file (Q (item factors) hold Infinity at item row 2: the "
                        + "parameters must be finite (retrain the model))");
    }

    @Test
    void maxIdsRaisesTheLibmfIdSpaceLimit() throws IOException {
        Path libmf = Files.writeString(dir.resolve("r.txt"), "0 0 4\n1 1 3\n2 150 5\n3 2 2\n4 3 1\n");
        assertThat(onlyLine(lfm("train", "--data", libmf.toString(), "--max-ids", "100", "--backend", "cpu")))
                .isEqualTo("lfm: " + libmf + ":3: item id 150 would make an id space of 151 items (LIBMF ids are "
                        + "0-based indices), more than the limit of 100 (if the ids are right, raise it with --max-ids)");
        CliRun r = lfm("train", "--data", libmf.toString(), "--max-ids", "151", "--backend", "cpu", "-q", "--epochs", "1",
                "--test-fraction", "0", "--validation-fraction", "0");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("5 users x 151 items");
        assertThat(onlyLine(lfm("train", "--data", libmf.toString(), "--max-ids", "0"))).startsWith("lfm: --max-ids must be in 1..");
    }

    @Test
    void standardInputCannotBeBothTrainAndTest() {
        assertThat(onlyLine(lfm("train", "--train", "-", "--test", "-", "--backend", "cpu")))
                .isEqualTo("lfm: --train - and --test - both name standard input, which can be read only once: give at "
                        + "least one of them as a file");
    }
}
