package dev.lfm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/lfm, run on a copy of the launcher with a fake {@code mvn} and {@code java} on the PATH: the build on
 * first use must not read the user's standard input, so {@code --data -} reaches lfm whole.
 */
class LauncherTest {
    @TempDir
    Path tmp;

    @Test
    void theBuildOnFirstUseLeavesStandardInputToLfm() throws Exception {
        Path launcher = Path.of("bin", "lfm");
        Assumptions.assumeTrue(Files.isRegularFile(launcher), "not run from the repository root");
        Path root = tmp.resolve("repo");
        Files.createDirectories(root.resolve("bin"));
        Files.createDirectories(root.resolve("src/main"));
        Files.writeString(root.resolve("pom.xml"), "<project/>\n");
        Files.copy(launcher, root.resolve("bin/lfm"));
        Path bin = Files.createDirectories(tmp.resolve("fakebin"));
        // the fake build keeps what it read from standard input and makes the jar; the fake java keeps its input
        script(bin.resolve("mvn"), "cat > \"$LFM_TEST_DIR/mvn-stdin\"; mkdir -p target; echo jar > target/lfm.jar");
        script(bin.resolve("java"), "cat > \"$LFM_TEST_DIR/java-stdin\"");
        ProcessBuilder pb = new ProcessBuilder("bash", root.resolve("bin/lfm").toString(), "train", "--data", "-")
                .redirectErrorStream(true);
        pb.environment().put("PATH", bin + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        pb.environment().put("LFM_TEST_DIR", tmp.toString());
        Process p = pb.start();
        String ratings = "1,10,4.0\n2,20,3.5\n";
        try (OutputStream in = p.getOutputStream()) {
            in.write(ratings.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("building target/lfm.jar");
        assertThat(tmp.resolve("mvn-stdin")).as("the build read standard input").hasContent("");
        assertThat(tmp.resolve("java-stdin")).hasContent(ratings.strip());
    }

    private static void script(Path file, String body) throws Exception {
        Files.writeString(file, "#!/usr/bin/env bash\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
