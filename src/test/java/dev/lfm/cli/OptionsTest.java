package dev.lfm.cli;

import static dev.lfm.cli.CliRun.lfm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lfm.LfmException;
import dev.lfm.compute.Optimizer;
import dev.lfm.model.ModelIO;
import dev.lfm.report.Json;
import dev.lfm.train.Algorithm;
import dev.lfm.train.TrainingConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The option path: one declaration per flag, each command's own flags and defaults, one serialized form. */
class OptionsTest {
    private static String help(String... command) {
        String[] args = java.util.Arrays.copyOf(command, command.length + 1);
        args[command.length] = "--help";
        CliRun r = lfm(args);
        assertThat(r.code()).as(String.join(" ", command)).isZero();
        return r.out().replaceAll("\\s+", " "); // help wraps lines
    }

    @Test
    void evaluateShowsAndTakesOnlyTheFlagsThatApply() {
        assertThat(help("evaluate")).contains("--model", "--data", "--format", "--delimiter", "--duplicates", "--ranking")
                .doesNotContain("--test-fraction", "--validation-fraction", "--synthetic", "--users", "--seed",
                        "--rank=", "-k,");
        CliRun r = lfm("evaluate", "--model", "m.lfm", "--data", "r.csv", "--test-fraction", "7");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).startsWith("lfm: Unknown option").contains("--test-fraction");
        assertThat(help("recommend")).contains("--synthetic").doesNotContain("--test-fraction", "--epochs");
        assertThat(help("gradcheck")).contains("--rank", "--reg", "--reg-bias", "--seed")
                .doesNotContain("--epochs", "--lr", "--optimizer", "--backend");
        assertThat(help("verify")).contains("--backend").doesNotContain("--threads", "--data");
    }

    @Test
    void batchSizeZeroIsTheSameErrorInEveryCommand() {
        String expected = "lfm: --batch-size must be a positive integer or 'all' (got '0')";
        for (String[] cmd : new String[][] {{"train"}, {"compare"}, {"experiment", "gap"}}) {
            String[] args = java.util.Arrays.copyOf(cmd, cmd.length + 2);
            args[cmd.length] = "--batch-size";
            args[cmd.length + 1] = "0";
            CliRun r = lfm(args);
            assertThat(r.code()).as(cmd[0]).isEqualTo(2);
            assertThat(r.err().strip()).as(cmd[0]).isEqualTo(expected);
        }
        assertThat(TrainingOptions.parseBatch("all")).isZero();
        assertThat(TrainingOptions.parseBatch("4096")).isEqualTo(4096);
    }

    @Test
    void helpShowsEachCommandsDefaultsFromTrainingConfig() {
        TrainingConfig d = TrainingConfig.defaults();
        String train = help("train");
        assertThat(train).contains("Number of latent factors k (default: " + d.rank + ")")
                .contains("(default: " + d.epochs + "; ALS " + TrainingConfig.defaults(Algorithm.ALS, d.optimizer).epochs + ")")
                .contains("Adam " + TrainingConfig.defaults(d.algorithm, Optimizer.ADAM).lr + ")");
        assertThat(help("compare")).contains("Number of latent factors k (default: " + CompareCommand.defaults().rank + ")");
        assertThat(help("gradcheck")).contains("Number of latent factors k (default: " + GradcheckCommand.defaults().rank + ")");
        assertThat(help("experiment", "gap")).contains("Number of latent factors k (default: 32)");
        for (String[] cmd : new String[][] {{"train"}, {"evaluate"}, {"recommend"}, {"gradcheck"}, {"compare"},
            {"verify"}, {"devices"}, {"experiment", "reg-sweep"}, {"experiment", "rank-sweep"},
            {"experiment", "optimizers"}, {"experiment", "sgd-vs-als"}, {"experiment", "early-stopping"},
            {"experiment", "landscape"}, {"experiment", "gap"}}) {
            assertThat(help(cmd)).as(String.join(" ", cmd)).doesNotContain("${").doesNotContain("default: null");
        }
    }

    @Test
    void trainStartsFromTheMethodDefaultsAndExperimentsKeepTheirOwn() {
        TrainCommand train = new TrainCommand();
        new CommandLine(train).parseArgs("--algorithm", "als");
        assertThat(train.config().epochs).isEqualTo(TrainingConfig.defaults(Algorithm.ALS, Optimizer.SGD).epochs);
        TrainCommand adam = new TrainCommand();
        new CommandLine(adam).parseArgs("--batch-size", "64", "--optimizer", "adam", "--seed", "7");
        assertThat(adam.config().lr).isEqualTo(TrainingConfig.defaults(Algorithm.GD, Optimizer.ADAM).lr);
        assertThat(adam.config().seed).isEqualTo(7);

        ExperimentCommand.GapCommand gap = new ExperimentCommand.GapCommand();
        new CommandLine(gap).parseArgs("--reg", "0.2");
        TrainingConfig c = gap.training.applyTo(gap.base());
        assertThat(c.lambda).isEqualTo(0.2);
        assertThat(c.rank).isEqualTo(gap.base().rank).isEqualTo(32);

        CompareCommand cmp = new CompareCommand();
        new CommandLine(cmp).parseArgs("--optimizer", "adam", "--batch-size", "all");
        assertThat(cmp.config().lr).isEqualTo(CompareCommand.defaults().lr);
        assertThat(cmp.config().batchSize).isZero();
        CompareCommand bad = new CompareCommand();
        new CommandLine(bad).parseArgs("--batch-size", "0");
        assertThatThrownBy(bad::config).isInstanceOf(LfmException.class).hasMessageContaining("--batch-size");
    }

    @Test
    void provenanceAndReportsUseTheOneSerializedForm(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("m.lfm");
        Path report = dir.resolve("r.json");
        CliRun r = lfm("train", "--synthetic", "small", "--epochs", "2", "--backend", "cpu", "-q",
                "--validation-fraction", "0", "--reg", "0.03", "--save", model.toString(), "--report", report.toString());
        assertThat(r.code()).as(r.err()).isZero();
        Map<String, String> p = ModelIO.load(model).provenance;
        assertThat(p.keySet()).containsAll(TrainingConfig.defaults().toMap().keySet());
        assertThat(p).containsEntry("reg", "0.03").containsKeys("backend", "created", "data");
        JsonNode j = Json.mapper().readTree(report.toFile());
        assertThat(j.get("hyperparameters").get("reg").asDouble()).isEqualTo(0.03);
        assertThat(j.get("validation_rmse").isNull()).as("no validation split: null, not \"NaN\"").isTrue();
        assertThat(j.get("history").get(0).get("validation_rmse").isNull()).isTrue();
    }

    @Test
    void compareReportWritesUndefinedCellsAsNull(@TempDir Path dir) throws Exception {
        String why = dev.lfm.compute.Backends.provider("opencl").unavailableReason();
        org.junit.jupiter.api.Assumptions.assumeTrue(why == null, "opencl not available: " + why);
        CompareCommand cmd = new CompareCommand();
        Path report = dir.resolve("c.json");
        new CommandLine(cmd).parseArgs("--backends", "opencl", "-k", "8", "--epochs", "2", "--report", report.toString(),
                "--synthetic", "small");
        cmd.compare(cmd.data.load(new PrintWriter(new StringWriter())), cmd.config(), new PrintWriter(new StringWriter()));
        JsonNode row = Json.mapper().readTree(report.toFile()).get("backends").get(0);
        assertThat(row.get("speedup_vs_cpu").isNull()).as("no cpu row: no speedup").isTrue();
        assertThat(Json.mapper().readTree(report.toFile()).get("training").get("reg").asDouble())
                .isEqualTo(CompareCommand.defaults().lambda);
    }
}
