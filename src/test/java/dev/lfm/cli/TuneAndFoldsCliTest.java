package dev.lfm.cli;

import static dev.lfm.cli.CliRun.lfm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lfm.report.Json;
import dev.lfm.train.TrainingConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lfm tune} and {@code lfm train --folds}: reports, console, and bad flags as one-line errors. */
class TuneAndFoldsCliTest {
    @TempDir
    Path dir;

    /** The one "lfm:" line of a failed run (no stack trace). */
    private static String oneLineError(CliRun r) {
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).doesNotContain("\tat ").doesNotContain("Exception");
        String[] lines = r.err().strip().split("\n");
        assertThat(Arrays.stream(lines).filter(l -> l.startsWith("lfm:")).count()).as(r.err()).isEqualTo(1);
        return lines[lines.length - 1];
    }

    @Test
    void tuneReportsTheChosenSettingsEveryTrialAndTestRmse() throws Exception {
        Path report = dir.resolve("tune.json");
        Path model = dir.resolve("tuned.lfm");
        long t0 = System.nanoTime();
        CliRun r = lfm("tune", "--synthetic", "small", "--budget", "3", "--backend", "cpu", "--report", report.toString(),
                "--save", model.toString());
        double wall = (System.nanoTime() - t0) / 1e9;
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("trial  rung").contains("top ").contains("chosen: sgd").contains("test RMSE");
        assertThat(Files.size(model)).isPositive();

        JsonNode j = Json.mapper().readTree(report.toFile());
        for (String key : new String[] {"test_rmse", "validation_rmse", "train_rmse", "best", "trials", "seconds",
            "budget", "final_training"}) {
            assertThat(j.has(key)).as(key).isTrue();
        }
        assertThat(j.get("budget").asDouble()).isEqualTo(3.0);
        assertThat(j.get("test_rmse").isNumber()).isTrue();
        assertThat(j.get("test_rmse").asDouble()).isBetween(0.0, 2.0);
        assertThat(j.get("validation_rmse").asDouble()).isBetween(0.0, 2.0);
        assertThat(j.get("seconds").asDouble()).isLessThan(3 * 1.1);
        // loading and the test evaluation come on top of the budget, but not much on this small problem
        assertThat(wall).isLessThan(3 + 15);
        for (String key : TrainingConfig.defaults().toMap().keySet()) {
            assertThat(j.get("best").has(key)).as("best." + key).isTrue();
        }
        JsonNode trials = j.get("trials");
        assertThat(trials.size()).isGreaterThan(1);
        double bestVal = Double.POSITIVE_INFINITY;
        for (JsonNode t : trials) {
            assertThat(t.has("hyperparameters") && t.has("validation_rmse") && t.has("epochs_run")).isTrue();
            if (t.get("validation_rmse").isNumber()) {
                bestVal = Math.min(bestVal, t.get("validation_rmse").asDouble());
            }
        }
        // the chosen trial is the validation argmin of the trials listed
        assertThat(j.get("validation_rmse").asDouble()).isEqualTo(bestVal);
        // the tuned model is an ordinary model file
        CliRun rec = lfm("recommend", "--model", model.toString(), "--synthetic", "small", "--user", "3", "--top", "4");
        assertThat(rec.code()).as(rec.err()).isZero();
    }

    @Test
    void tuneWorksWithAls() throws Exception {
        Path report = dir.resolve("als.json");
        CliRun r = lfm("tune", "--synthetic", "small", "--budget", "6", "--algorithm", "als", "--backend", "cpu", "-q",
                "--final", "keep", "--report", report.toString());
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = Json.mapper().readTree(report.toFile());
        assertThat(j.get("best").get("algorithm").asText()).isEqualTo("als");
        assertThat(j.get("final_training").asText()).isEqualTo("keep_best_trial");
        assertThat(j.get("test_rmse").asDouble()).isBetween(0.0, 2.0);
    }

    @Test
    void trainFoldsReportsEachFoldAndTheirMeanAndStd() throws Exception {
        Path report = dir.resolve("cv.json");
        CliRun r = lfm("train", "--synthetic", "small", "--folds", "3", "--epochs", "5", "--backend", "cpu", "-q",
                "--report", report.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("fold 1/3").contains("fold 2/3").contains("fold 3/3").contains("±");
        JsonNode j = Json.mapper().readTree(report.toFile());
        assertThat(j.get("folds").asInt()).isEqualTo(3);
        JsonNode f = j.get("fold_rmse");
        assertThat(f).hasSize(3);
        double[] x = new double[3];
        for (int k = 0; k < 3; k++) {
            x[k] = f.get(k).asDouble();
            assertThat(x[k]).isBetween(0.0, 2.0);
        }
        double mean = Arrays.stream(x).average().orElseThrow();
        double ss = Arrays.stream(x).map(v -> (v - mean) * (v - mean)).sum();
        assertThat(j.get("cv_rmse_mean").asDouble()).isCloseTo(mean, within(1e-12));
        assertThat(j.get("cv_rmse_std").asDouble()).isCloseTo(Math.sqrt(ss / 2), within(1e-12));
        // the usual run follows: its test RMSE is reported as without --folds
        assertThat(j.get("test_rmse").asDouble()).isBetween(0.0, 2.0);
        assertThat(j.get("history")).hasSize(5);
    }

    @Test
    void badFlagsAreOneLineErrors() {
        assertThat(oneLineError(lfm("tune", "--synthetic", "small", "--budget", "0"))).contains("--budget");
        assertThat(oneLineError(lfm("tune", "--synthetic", "small", "--budget", "-5"))).contains("--budget");
        assertThat(oneLineError(lfm("tune", "--synthetic", "small", "--algorithm", "svd"))).contains("sgd, als or both");
        assertThat(oneLineError(lfm("tune", "--synthetic", "small", "--final", "best"))).contains("--final");
        assertThat(oneLineError(lfm("tune", "--synthetic", "small", "--budget", "1", "--validation-fraction", "0")))
                .contains("validation");
        assertThat(oneLineError(lfm("train", "--synthetic", "small", "--folds", "1"))).contains("--folds must be >= 2");
        assertThat(oneLineError(lfm("train", "--synthetic", "small", "--folds", "0"))).contains("--folds");
    }

    @Test
    void helpDescribesTheNewFlags() {
        assertThat(lfm("tune", "--help").out()).contains("--budget").contains("--algorithm").contains("--save")
                .contains("--report").contains("--folds");
        assertThat(lfm("train", "--help").out()).contains("--folds=K").contains("cv_rmse_mean");
        assertThat(lfm("--help").out()).contains("tune");
    }
}
