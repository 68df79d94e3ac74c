package dev.lfm.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lfm.model.FactorModel;
import dev.lfm.model.ModelIO;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a JVM that saves a model over and over ({@link CrashSaver}) with SIGKILL at seeded random
 * moments, and checks after every kill that the model file loads (magic, shape, checksum,
 * finite parameters) and is one whole generation, and after the last kill that one more save
 * leaves the directory holding the model file alone (the temporary files of the killed writers
 * are removed).
 */
class CrashSafetyTest {
    static final int KILLS = 12;

    @TempDir
    Path dir;

    @Test
    void aSaveKilledAtAnyMomentLeavesTheOldModelWholeAndTheNextSaveCleansUp() throws Exception {
        Path target = dir.resolve("m.lfm");
        ModelIO.save(CrashSaver.model(1), target);
        SplittableRandom rnd = new SplittableRandom(13);
        int killedWithTemp = 0;
        List<Integer> generations = new ArrayList<>();
        for (int k = 0; k < KILLS; k++) {
            Process p = child(target);
            try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                assertThat(out.readLine()).as("child started").isEqualTo("ready");
                Thread.sleep(rnd.nextInt(5, 250));
                p.destroyForcibly(); // SIGKILL on POSIX
                assertThat(p.waitFor()).isNotZero();
            }
            if (names().size() > 1) {
                killedWithTemp++;
            }
            FactorModel m = ModelIO.load(target);
            int g = Integer.parseInt(m.provenance.get("generation"));
            assertWhole(m, g);
            generations.add(g);
        }
        System.out.println("crash test: " + killedWithTemp + " of " + KILLS + " kills left a temporary file; generations " + generations);
        ModelIO.save(CrashSaver.model(1000), target);
        assertThat(names()).as("after %d kills (%d left a temporary file), generations %s", KILLS, killedWithTemp,
                generations).containsExactly("m.lfm");
        assertWhole(ModelIO.load(target), 1000);
    }

    private static void assertWhole(FactorModel m, int g) {
        FactorModel expected = CrashSaver.model(g);
        assertThat(m.p).isEqualTo(expected.p);
        assertThat(m.q).isEqualTo(expected.q);
        assertThat(m.userBias).isEqualTo(expected.userBias);
        assertThat(m.itemBias).isEqualTo(expected.itemBias);
    }

    private Process child(Path target) throws IOException {
        String cp = location(CrashSaver.class) + File.pathSeparator + location(ModelIO.class);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp", cp,
                CrashSaver.class.getName(), target.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static String location(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
