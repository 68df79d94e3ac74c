package dev.lfm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * bench/gpu-check.sh keeps inside one device command: {@code bench/gpu-check-selftest.sh} runs it
 * on a fake runtime with tiny caps and checks that a step is cut at its cap, that no step starts
 * after the soft deadline, and that $OUT holds only summary.txt, figures.json and logs.tgz.
 */
class GpuCheckScriptTest {
    @Test
    void stepCapsSoftDeadlineAndThreeResultFiles() throws Exception {
        Path script = Path.of("bench", "gpu-check-selftest.sh");
        Assumptions.assumeTrue(Files.isRegularFile(script), "not run from the repository root");
        for (String tool : new String[] {"bash", "timeout", "xz", "tar", "python3"}) {
            Assumptions.assumeTrue(onPath(tool), tool + " not on PATH");
        }
        Process p = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("gpu-check-selftest: ok");
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
