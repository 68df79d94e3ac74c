package dev.lfm.cli;

import static dev.lfm.cli.CliRun.lfm;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lfm.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
    @TempDir
    Path dir;

    private Path file(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    /** The last line of stderr, which must be the only "lfm:" line and carry no stack trace. */
    private static String oneLineError(CliRun r) {
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).doesNotContain("\tat ").doesNotContain("Exception");
        String[] lines = r.err().strip().split("\n");
        assertThat(java.util.Arrays.stream(lines).filter(l -> l.startsWith("lfm:")).count()).isEqualTo(1);
        return lines[lines.length - 1];
    }

    @Test
    void trainsSavesReportsEvaluatesAndRecommends() throws IOException {
        Path model = dir.resolve("m.lfm");
        Path report = dir.resolve("r.json");
        CliRun r = lfm("train", "--synthetic", "small", "--epochs", "5", "--backend", "cpu", "--save", model.toString(),
                "--report", report.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("epoch").contains("test RMSE");
        JsonNode j = new ObjectMapper().readTree(report.toFile());
        for (String key : new String[] {"backend", "algorithm", "rank", "epochs_run", "train_rmse", "validation_rmse",
            "test_rmse", "seconds", "updates_per_second", "history"}) {
            assertThat(j.has(key)).as(key).isTrue();
        }
        assertThat(j.get("history")).hasSize(5);
        assertThat(j.get("epochs_run").asInt()).isEqualTo(5);

        CliRun rec = lfm("recommend", "--model", model.toString(), "--synthetic", "small", "--user", "3", "--top", "4");
        assertThat(rec.code()).as(rec.err()).isZero();
        assertThat(rec.out()).contains("top 4 for user 3");
        assertThat(rec.out().lines().filter(l -> l.matches("\\s+\\d+\\s+\\d+\\s+-?[0-9.]+\\s+[0-9.]+"))).hasSize(4);
    }

    @Test
    void recommendExcludesRatedItemsAndEvaluateReportsRmse() throws IOException {
        StringBuilder sb = new StringBuilder("userId,movieId,rating,timestamp\r\n");
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(1);
        for (int u = 1; u <= 30; u++) {
            for (int i = 1; i <= 20; i++) {
                if (rnd.nextDouble() < 0.5 || i <= 2) {
                    sb.append(u).append(',').append(100 + i).append(',').append(1 + rnd.nextInt(5)).append(",0\r\n");
                }
            }
        }
        Path data = file("ratings.csv", sb.toString());
        Path model = dir.resolve("m.lfm");
        assertThat(lfm("train", "--data", data.toString(), "--epochs", "3", "--save", model.toString(), "-q",
                "--backend", "cpu").code()).isZero();
        CliRun rec = lfm("recommend", "--model", model.toString(), "--data", data.toString(), "--user", "1", "--top", "50");
        assertThat(rec.code()).as(rec.err()).isZero();
        java.util.Set<String> rated = new java.util.HashSet<>();
        sb.toString().lines().filter(l -> l.startsWith("1,")).forEach(l -> rated.add(l.split(",")[1]));
        java.util.List<String> items = rec.out().lines().filter(l -> l.matches("\\s+\\d+\\s+\\d+\\s+-?[0-9.]+\\s+[0-9.]+"))
                .map(l -> l.trim().split("\\s+")[1]).toList();
        assertThat(items).hasSize(20 - rated.size()).doesNotContainAnyElementsOf(rated);
        CliRun ev = lfm("evaluate", "--model", model.toString(), "--data", data.toString());
        assertThat(ev.code()).isZero();
        assertThat(ev.out()).containsPattern("RMSE \\d\\.\\d+, MAE \\d\\.\\d+");
    }

    @Test
    void badRatingNamesFileAndLineAndWritesNothing() throws IOException {
        Path bad = file("bad.csv", "1,2,4\n1,3,abc\n");
        Path model = dir.resolve("never.lfm");
        CliRun r = lfm("train", "--data", bad.toString(), "--save", model.toString());
        assertThat(oneLineError(r)).isEqualTo("lfm: " + bad + ":2: rating 'abc' is not a number");
        assertThat(Files.exists(model)).isFalse();
        assertThat(dir.toFile().list()).containsExactly("bad.csv");
    }

    @Test
    void badInputsEachGiveOneLine() throws IOException {
        Path nan = file("nan.csv", "1,2,4\n3,4,NaN\n");
        assertThat(oneLineError(lfm("train", "--data", nan.toString()))).contains("nan.csv:2:");
        Path neg = file("neg.csv", "1,2,4\n-3,4,2\n");
        assertThat(oneLineError(lfm("train", "--data", neg.toString()))).contains("neg.csv:2:");
        Path dup = file("dup.csv", "1,2,4\n3,4,2\n1,2,5\n");
        assertThat(oneLineError(lfm("train", "--data", dup.toString()))).contains("dup.csv:3:").contains("1");
        Path empty = file("empty.csv", "");
        assertThat(oneLineError(lfm("train", "--data", empty.toString()))).contains("empty.csv");
        Path missing = file("missing.csv", "1,2\n");
        assertThat(oneLineError(lfm("train", "--data", missing.toString()))).contains("missing.csv:1:");
        assertThat(oneLineError(lfm("train", "--data", dir.resolve("nope.csv").toString()))).contains("nope.csv");
    }

    @Test
    void badFlagsGiveOneLine() {
        assertThat(oneLineError(lfm("train", "--bogus"))).contains("Unknown option: '--bogus'");
        assertThat(oneLineError(lfm("train", "--epochs", "x"))).contains("--epochs");
        assertThat(oneLineError(lfm("train", "--lr", "-1", "--synthetic", "small"))).contains("--lr must be");
        assertThat(oneLineError(lfm("train", "--optimizer", "rmsprop"))).contains("unknown optimizer");
        assertThat(oneLineError(lfm("train", "--batch-size", "0"))).contains("--batch-size");
        assertThat(oneLineError(lfm("train", "--backend", "tpu", "--synthetic", "small"))).contains("unknown backend");
        assertThat(oneLineError(lfm("train", "--patience", "3", "--validation-fraction", "0", "--synthetic", "small")))
                .contains("validation");
    }

    @Test
    void halfFactorStorageIsAGpuOption() {
        assertThat(oneLineError(lfm("train", "--backend", "cpu", "--factor-storage", "half", "--synthetic", "small")))
                .endsWith("half-precision factor storage is a GPU option (opencl, cuda)");
        assertThat(oneLineError(lfm("train", "--factor-storage", "double", "--synthetic", "small")))
                .contains("--factor-storage must be float or half");
        assertThat(oneLineError(lfm("compare", "--factor-storage", "half", "--algorithm", "als", "--synthetic", "small")))
                .contains("--factor-storage half applies to SGD epochs");
    }

    @Test
    void divergenceStopsWithAdvice() {
        CliRun r = lfm("train", "--synthetic", "small", "--lr", "40", "--epochs", "5", "-q", "--backend", "cpu");
        assertThat(oneLineError(r)).contains("diverged at epoch").contains("lower the learning rate");
    }

    @Test
    void corruptModelFileIsOneLine() throws IOException {
        Path junk = file("junk.lfm", "not a model");
        assertThat(oneLineError(lfm("evaluate", "--model", junk.toString(), "--data", junk.toString())))
                .contains("junk.lfm");
    }

    @Test
    void gradcheckPassesOnTheSmallProblem() {
        CliRun r = lfm("gradcheck");
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("PASS");
    }

    @Test
    void movieLensSmallTrainsFromTheCli() {
        Path ml = TestData.movieLensSmall();
        CliRun r = lfm("train", "--data", ml.toString(), "--epochs", "3", "-q", "--backend", "cpu");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("610 users x 9724 items");
    }

    @Test
    void gradcheckPassesWithRowsThatHaveNoTrainingRatings() {
        CliRun r = lfm("gradcheck", "--users", "3000", "--items", "3000", "--ratings", "6000", "--test-fraction", "0.5",
                "--sample", "4000");
        assertThat(r.code()).as(r.out()).isZero();
    }

    @Test
    void aRankTooLargeForTheHostIsOneLine() {
        assertThat(oneLineError(lfm("train", "--users", "600000", "--items", "100", "--ratings", "1300000", "--rank", "4000",
                "--backend", "cpu")))
                .contains("lower --rank");
    }
}
