package dev.lfm.cli;

import dev.lfm.data.SyntheticRatings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lfm.LfmException;
import dev.lfm.compare.Comparison;
import dev.lfm.data.Ratings;
import dev.lfm.train.EpochRecord;
import dev.lfm.train.TrainingResult;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CompareCommandTest {

    private static TrainingResult result(String backend, long updatesPerEpoch, double testRmse, double... seconds) {
        List<EpochRecord> h = new ArrayList<>();
        double elapsed = 0;
        for (int e = 0; e < seconds.length; e++) {
            elapsed += seconds[e];
            h.add(new EpochRecord(e + 1, 1, 1, 1, testRmse, 1, seconds[e], elapsed, 0.01));
        }
        return new TrainingResult(null, h, h.size(), false, updatesPerEpoch * seconds.length, elapsed, backend, "dev", null);
    }

    @Test
    void bytesPerUpdateFollowsTheTrafficModel() {
        assertThat(Comparison.bytesPerUpdate(64, 4)).isEqualTo(4 * 64 * 4 + 12);
        assertThat(Comparison.bytesPerUpdate(16, 2)).isEqualTo(4 * 16 * 2 + 12);
        // 100M updates/s at k = 64 move 1036 bytes each
        assertThat(Comparison.effectiveGbPerSecond(100e6, 64)).isCloseTo(103.6, within(1e-9));
    }

    @Test
    void warmupEpochsAreExcludedFromTheTiming() {
        TrainingResult r = result("cpu", 1000, 0.9, 5.0, 1.0, 3.0);
        assertThat(Comparison.secondsPerEpoch(r.history(), 1)).isEqualTo(2.0);
        assertThat(Comparison.secondsPerEpoch(r.history(), 0)).isEqualTo(3.0);
        assertThatThrownBy(() -> Comparison.secondsPerEpoch(r.history(), 3)).isInstanceOf(IllegalArgumentException.class);
        // the median: one pause (a garbage collection) in a short timed run does not move it
        TrainingResult spiked = result("cpu", 1000, 0.9, 0.3, 0.3, 4.0, 0.3, 0.31, 0.29);
        assertThat(Comparison.secondsPerEpoch(spiked.history(), 0)).isCloseTo(0.3, within(1e-12));
    }

    @Test
    void rowsComputeThroughputSpeedupAndRmseDifferenceAgainstTheCpu() {
        List<Comparison.Measured> m = List.of(
                new Comparison.Measured("cuda", "H100", 132, result("cuda", 2_000_000, 0.91, 9.0, 0.1, 0.3)),
                new Comparison.Measured("cpu", "x86", 2, result("cpu", 2_000_000, 0.90, 9.0, 1.0, 3.0)));
        List<Comparison.Row> rows = Comparison.rows(m, 32, 1);
        Comparison.Row gpu = rows.get(0);
        Comparison.Row cpu = rows.get(1);
        assertThat(cpu.secondsPerEpoch()).isEqualTo(2.0);
        assertThat(cpu.updatesPerSecond()).isEqualTo(1_000_000.0);
        assertThat(cpu.speedup()).isEqualTo(1.0);
        assertThat(cpu.rmseDiff()).isZero();
        assertThat(cpu.timedEpochs()).isEqualTo(2);
        assertThat(gpu.secondsPerEpoch()).isCloseTo(0.2, within(1e-12));
        assertThat(gpu.updatesPerSecond()).isCloseTo(10_000_000.0, within(1e-3));
        assertThat(gpu.gbPerSecond()).isCloseTo(10e6 * (4 * 32 * 4 + 12) / 1e9, within(1e-9));
        assertThat(gpu.speedup()).isCloseTo(10.0, within(1e-9));
        assertThat(gpu.rmseDiff()).isCloseTo(0.01, within(1e-12));
    }

    @Test
    void withoutTheCpuThereIsNoReference() {
        List<Comparison.Row> rows = Comparison.rows(
                List.of(new Comparison.Measured("opencl", "pocl", 2, result("opencl", 10, 0.9, 1, 1))), 8, 1);
        assertThat(rows.get(0).speedup()).isNaN();
        assertThat(rows.get(0).rmseDiff()).isNaN();
        assertThat(CompareCommand.table(rows, 1)).contains("opencl").contains(" - ");
    }

    @Test
    void halfRowsCountTwoBytesPerFactorAndSitBesideTheFloatRow() {
        List<Comparison.Row> rows = Comparison.rows(List.of(
                new Comparison.Measured("cpu", "x86", 2, result("cpu", 1_000_000, 0.90, 1, 1)),
                new Comparison.Measured("opencl", "gpu", 8, result("opencl", 1_000_000, 0.90, 0.1, 0.1)),
                new Comparison.Measured("opencl", "gpu", 8, result("opencl", 1_000_000, 0.909, 0.1, 0.05), true)),
                32, 1);
        assertThat(rows.get(1).factors()).isEqualTo("fp32");
        assertThat(rows.get(1).gbPerSecond()).isCloseTo(10e6 * (4 * 32 * 4 + 12) / 1e9, within(1e-9));
        assertThat(rows.get(2).factors()).isEqualTo("fp16");
        assertThat(rows.get(2).gbPerSecond()).isCloseTo(20e6 * (4 * 32 * 2 + 12) / 1e9, within(1e-9));
        assertThat(rows.get(2).rmseDiff()).isCloseTo(0.009, within(1e-12));
        assertThat(CompareCommand.table(rows, 1))
                .contains("fp16")
                .contains("opencl fp16 vs fp32: test RMSE +0.00900 (+1.000%), 2.00x the updates/s");
    }

    @Test
    void factorStorageHalfTrainsEachGpuBackendTwice(@TempDir Path dir) throws Exception {
        String why = dev.lfm.compute.Backends.provider("opencl").unavailableReason();
        if (why != null && !"1".equals(System.getenv("LFM_REQUIRE_OPENCL"))) {
            org.junit.jupiter.api.Assumptions.abort("opencl not available: " + why);
        }
        CompareCommand cmd = new CompareCommand();
        Path report = dir.resolve("compare.json");
        new CommandLine(cmd).parseArgs("--backends", "cpu,opencl", "--factor-storage", "half", "-k", "16",
                "--epochs", "4", "--report", report.toString());
        StringWriter sw = new StringWriter();
        List<Comparison.Row> rows = cmd.compare(small(), cmd.config(), new PrintWriter(sw));
        assertThat(rows).extracting(r -> r.backend() + " " + r.factors())
                .containsExactly("cpu fp32", "opencl fp32", "opencl fp16");
        Comparison.Row f = rows.get(1);
        Comparison.Row h = rows.get(2);
        assertThat(h.testRmse()).isCloseTo(f.testRmse(), org.assertj.core.data.Percentage.withPercentage(1));
        assertThat(sw.toString()).contains("opencl fp16 vs fp32: test RMSE");
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertThat(json.get("bytes_per_update_half").asLong()).isEqualTo(4 * 16 * 2 + 12);
        assertThat(json.get("backends").get(2).get("factor_storage").asText()).isEqualTo("half");
    }

    private static Dataset small() {
        Ratings all = SyntheticRatings.uniform(400, 150, 12000, 4, 0.1, 5);
        int n = all.size();
        int[] idx = new int[n];
        for (int j = 0; j < n; j++) {
            idx[j] = j;
        }
        int[] testIdx = java.util.Arrays.copyOfRange(idx, 0, n / 10);
        int[] trainIdx = java.util.Arrays.copyOfRange(idx, n / 10, n);
        return new Dataset("test problem", all.select(trainIdx, trainIdx.length), null,
                all.select(testIdx, testIdx.length));
    }

    @Test
    void comparesOnTheCpuAndWritesReportAndChart(@TempDir Path dir) throws Exception {
        CompareCommand cmd = new CompareCommand();
        Path report = dir.resolve("out/compare.json");
        Path chart = dir.resolve("compare.png");
        new CommandLine(cmd).parseArgs("--backends", "cpu", "--threads", "2", "-k", "16", "--epochs", "3",
                "--warmup", "1", "--report", report.toString(), "--chart", chart.toString());
        StringWriter sw = new StringWriter();
        List<Comparison.Row> rows = cmd.compare(small(), cmd.config(), new PrintWriter(sw));
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).speedup()).isEqualTo(1.0);
        assertThat(rows.get(0).testRmse()).isBetween(0.0, 1.0);
        assertThat(sw.toString()).contains("cpu").contains("warm-up").contains("1.00x");

        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertThat(json.get("bytes_per_update").asLong()).isEqualTo(4 * 16 * 4 + 12);
        assertThat(json.get("training").get("warmup_epochs").asInt()).isEqualTo(1);
        JsonNode row = json.get("backends").get(0);
        assertThat(row.get("backend").asText()).isEqualTo("cpu");
        assertThat(row.get("timed_epochs").asInt()).isEqualTo(2);
        assertThat(row.get("updates_per_second").asDouble()).isPositive();
        byte[] png = Files.readAllBytes(chart);
        assertThat(png).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
        try (var files = Files.list(dir.resolve("out"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("compare.json");
        }
    }

    @Test
    void badFlagsAndUnknownBackendsAreOneLineErrors() {
        CompareCommand cmd = new CompareCommand();
        new CommandLine(cmd).parseArgs("--epochs", "2", "--warmup", "2");
        assertThatThrownBy(cmd::config).isInstanceOf(LfmException.class).hasMessageContaining("--warmup");

        CompareCommand other = new CompareCommand();
        new CommandLine(other).parseArgs("--backends", "tpu", "--epochs", "2");
        assertThatThrownBy(() -> other.compare(small(), other.config(), new PrintWriter(new StringWriter())))
                .isInstanceOf(LfmException.class).hasMessageContaining("unknown backend 'tpu'");
    }

    @Test
    void registeredInTheCli() {
        StringWriter out = new StringWriter();
        int code = Main.run(new String[] {"compare", "--help"}, new PrintWriter(out), new PrintWriter(new StringWriter()));
        assertThat(code).isZero();
        assertThat(out.toString()).contains("--backends").contains("--warmup").contains("--chart");
    }

    @Test
    void autoWarmupExcludesEpochsUntilTheTimesSettle() {
        // JIT-like start: 0.5, 0.2, 0.1 then steady 0.01..0.012
        TrainingResult r = result("cpu", 1000, 0.9, 0.5, 0.2, 0.1, 0.01, 0.012, 0.011, 0.01, 0.01, 0.012, 0.011);
        assertThat(Comparison.settledWarmup(r.history())).isEqualTo(3);
        // already steady: only the first epoch goes
        TrainingResult s = result("cpu", 1000, 0.9, 1.0, 1.0, 1.1, 1.0);
        assertThat(Comparison.settledWarmup(s.history())).isEqualTo(1);
        // a late spike never excludes more than half
        TrainingResult t = result("cpu", 1000, 0.9, 1.0, 1.0, 1.0, 9.0);
        assertThat(Comparison.settledWarmup(t.history())).isLessThanOrEqualTo(2);
        List<Comparison.Row> rows = Comparison.rows(List.of(new Comparison.Measured("cpu", "x86", 2, r)), 8,
                Comparison.WARMUP_AUTO);
        assertThat(rows.get(0).timedEpochs()).isEqualTo(7);
        assertThat(CompareCommand.table(rows, Comparison.WARMUP_AUTO)).contains("cpu 0 warm-up + 7 timed");
    }

    private static List<Double> times(double... s) {
        return java.util.Arrays.stream(s).boxed().toList();
    }

    @Test
    void aWarmupRunEndsOnceItsEpochsStopGettingFaster() {
        // still falling by half every epoch: never settled however long
        assertThat(Comparison.Warmup.settled(times(8, 4, 2, 1, 0.5, 0.25, 0.125, 0.06, 0.03, 0.015), 2.0)).isFalse();
        // steady: settled once the minimum wall time has passed, not before
        List<Double> steady = times(0.3, 0.31, 0.3, 0.29, 0.3, 0.3, 0.31, 0.3, 0.3, 0.3);
        assertThat(Comparison.Warmup.settled(steady, 0.5)).isFalse();
        assertThat(Comparison.Warmup.settled(steady, Comparison.Warmup.MIN_SECONDS)).isTrue();
        // the last 5 against the 5 before: a drop of more than 20% is still warming up, 20% is settled
        assertThat(Comparison.Warmup.settled(times(1, 1, 1, 1, 1, 0.79, 0.79, 0.79, 0.79, 0.79), 2.0)).isFalse();
        assertThat(Comparison.Warmup.settled(times(1, 1, 1, 1, 1, 0.8, 0.8, 0.8, 0.8, 0.8), 2.0)).isTrue();
        // only the last two windows count: a JIT-slow start long ago does not hold it back
        assertThat(Comparison.Warmup.settled(times(90, 60, 30, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1), 2.0)).isTrue();
        // short runs compare shorter windows; one epoch is never enough before the cap
        assertThat(Comparison.Warmup.settled(times(2, 1.9), 4.0)).isTrue();
        assertThat(Comparison.Warmup.settled(times(2, 1.0), 3.0)).isFalse();
        assertThat(Comparison.Warmup.settled(times(5), 5.0)).isFalse();
        // the caps: wall time (a huge problem) and epochs
        assertThat(Comparison.Warmup.settled(times(40), Comparison.Warmup.MAX_SECONDS)).isTrue();
        double[] falling = new double[Comparison.Warmup.MAX_EPOCHS];
        for (int e = 0; e < falling.length; e++) {
            falling[e] = Math.pow(0.5, e % 10);
        }
        assertThat(Comparison.Warmup.settled(times(falling).subList(0, falling.length - 1), 2.0)).isFalse();
        assertThat(Comparison.Warmup.settled(times(falling), 2.0)).isTrue();
    }

    @Test
    void autoWarmupTrainsAnUntimedRunFirstAndSaysHowLong(@TempDir Path dir) throws Exception {
        CompareCommand cmd = new CompareCommand();
        Path report = dir.resolve("compare.json");
        new CommandLine(cmd).parseArgs("--backends", "cpu", "--threads", "2", "-k", "16", "--epochs", "3",
                "--report", report.toString());
        StringWriter sw = new StringWriter();
        List<Comparison.Row> rows = cmd.compare(small(), cmd.config(), new PrintWriter(sw));
        int warm = rows.get(0).warmupRunEpochs();
        assertThat(warm).isGreaterThanOrEqualTo(2);
        // the timed run is the one asked for, whatever the warm-up trained
        assertThat(rows.get(0).timedEpochs()).isBetween(1, 2);
        assertThat(sw.toString()).contains("cpu " + warm + " warm-up + " + rows.get(0).timedEpochs() + " timed");
        // the warm-up repeats the whole training (upload, plan, 3 epochs, evaluation): runs of 3 epochs
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("cpu: warm-up (\\d+) epochs \\((\\d+) runs?\\) in ")
                .matcher(sw.toString());
        assertThat(m.find()).isTrue();
        assertThat(Integer.parseInt(m.group(1))).isEqualTo(warm);
        int runs = Integer.parseInt(m.group(2));
        assertThat(warm).isBetween(3 * (runs - 1) + 1, 3 * runs);
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertThat(json.get("backends").get(0).get("warmup_run_epochs").asInt()).isEqualTo(warm);
        assertThat(json.get("training").get("warmup_epochs").asText()).isEqualTo("auto");
    }
}
