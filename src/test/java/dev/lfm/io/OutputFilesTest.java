package dev.lfm.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lfm.LfmException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputFilesTest {
    @TempDir
    Path dir;

    private List<String> names(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void writesWholeFilesAndReplacesTheOldOne() throws IOException {
        Path f = dir.resolve("r.json");
        OutputFiles.writeString(f, "one");
        OutputFiles.writeString(f, "two");
        assertThat(Files.readString(f)).isEqualTo("two");
        assertThat(names(dir)).containsExactly("r.json");
    }

    @Test
    void aFailingWriterLeavesNoTemporaryFileAndTheOldContentInPlace() throws IOException {
        Path f = dir.resolve("r.csv");
        OutputFiles.writeString(f, "old");
        assertThatThrownBy(() -> OutputFiles.write(f, out -> {
            out.write("half".getBytes(StandardCharsets.UTF_8));
            throw new IOException("disk full");
        })).isInstanceOf(LfmException.class).hasMessage(f + ": cannot write: disk full");
        assertThatThrownBy(() -> OutputFiles.write(f, out -> {
            out.write(1);
            throw new IllegalStateException("bug");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(names(dir)).containsExactly("r.csv");
        assertThat(Files.readString(f)).isEqualTo("old");
    }

    @Test
    void writeCreatesDirectoriesButWriteIntoNeedsThemToExist() throws IOException {
        Path nested = dir.resolve("a/b/c.txt");
        OutputFiles.writeString(nested, "x");
        assertThat(Files.readString(nested)).isEqualTo("x");
        Path missing = dir.resolve("nope/m.lfm");
        assertThatThrownBy(() -> OutputFiles.writeInto(missing, out -> out.write(1)))
                .isInstanceOf(LfmException.class)
                .hasMessageStartingWith(missing + ": cannot write: directory");
        assertThat(Files.exists(dir.resolve("nope"))).isFalse();
    }

    @Test
    void checkWritableFailsEarlyOnADirectory() {
        assertThatThrownBy(() -> OutputFiles.checkWritable(dir)).isInstanceOf(LfmException.class)
                .hasMessage(dir + ": cannot write: is a directory");
        OutputFiles.checkWritable(dir.resolve("new/report.json"));
    }

    @Test
    void staleTemporaryFilesOfDeadWritersAreRemovedAndLiveOnesKept() throws Exception {
        Path f = dir.resolve("m.lfm");
        Process dead = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-version")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        dead.waitFor();
        long live = ProcessHandle.current().parent().map(ProcessHandle::pid).orElseThrow();
        Files.writeString(dir.resolve(".m.lfm." + dead.pid() + ".1f2e.tmp"), "killed writer");
        Files.writeString(dir.resolve(".m.lfm." + live + ".abc.tmp"), "live writer");
        Files.writeString(dir.resolve(".m.lfm.3c4d5e.tmp"), "old lfm, old file");
        Files.setLastModifiedTime(dir.resolve(".m.lfm.3c4d5e.tmp"), java.nio.file.attribute.FileTime.fromMillis(
                System.currentTimeMillis() - OutputFiles.LEGACY_TEMP_AGE_MILLIS - 60_000));
        Files.writeString(dir.resolve(".m.lfm.77.tmp"), "old lfm, maybe still writing");
        Files.writeString(dir.resolve(".other.lfm." + dead.pid() + ".1f.tmp"), "another target's");
        Files.writeString(dir.resolve(".m.lfm." + dead.pid() + ".1f2e.tmp.keep"), "not a temporary file");
        OutputFiles.writeString(f, "new");
        assertThat(names(dir)).containsExactlyInAnyOrder(".m.lfm." + dead.pid() + ".1f2e.tmp.keep", ".m.lfm." + live + ".abc.tmp",
                ".m.lfm.77.tmp", ".other.lfm." + dead.pid() + ".1f.tmp", "m.lfm");
        assertThat(Files.readString(f)).isEqualTo("new");
    }

    @Test
    void temporaryNamesCarryTheProcessIdAndMatchTheTarget() {
        Path t = OutputFiles.tempFor(dir.resolve("a[1].lfm"));
        assertThat(t.getFileName().toString()).matches("\\.a\\[1\\]\\.lfm\\." + ProcessHandle.current().pid()
                + "\\.[0-9a-f]+\\.tmp");
        assertThat(t.getParent()).isEqualTo(dir);
    }

    @Test
    void nonRegularTargetsAreRefusedNotReplaced() throws IOException {
        Path dev = Path.of("/dev/null");
        assertThatThrownBy(() -> OutputFiles.writeString(dev, "x")).isInstanceOf(LfmException.class)
                .hasMessage("/dev/null: cannot write: not a regular file (a device, FIFO or socket is never replaced)");
        assertThatThrownBy(() -> OutputFiles.checkWritable(dev)).hasMessageContaining("not a regular file");
        assertThat(Files.isRegularFile(dev)).isFalse();
        Path sub = Files.createDirectory(dir.resolve("sub"));
        assertThatThrownBy(() -> OutputFiles.writeString(sub, "x")).hasMessage(sub + ": cannot write: is a directory");
    }

    @Test
    void checkWritableCreatesNothingAndGivesTheRealReason() throws IOException {
        Path nested = dir.resolve("a/b/r.json");
        OutputFiles.checkWritable(nested);
        assertThat(names(dir)).isEmpty();
        assertThatThrownBy(() -> OutputFiles.check(nested, false))
                .hasMessage(nested + ": cannot write: directory " + nested.getParent() + " does not exist");
        Path file = Files.writeString(dir.resolve("plain.txt"), "x");
        assertThatThrownBy(() -> OutputFiles.checkWritable(file.resolve("r.json")))
                .hasMessage(file.resolve("r.json") + ": cannot write: " + file + " is not a directory");
        assertThat(names(dir)).containsExactly("plain.txt");
        if (Files.isDirectory(Path.of("/proc/self"))) {
            assertThatThrownBy(() -> OutputFiles.checkWritable(Path.of("/proc/m.lfm")))
                    .hasMessageStartingWith("/proc/m.lfm: cannot write: ").hasMessageNotContaining("does not exist");
        }
    }

    @Test
    void writeAllWritesNothingWhenALaterFileFails() throws IOException {
        Path a = dir.resolve("m.lfm");
        Path b = dir.resolve("r.json");
        OutputFiles.writeString(a, "old model");
        assertThatThrownBy(() -> OutputFiles.writeAll(List.of(
                new OutputFiles.Output(a, out -> out.write("new model".getBytes(StandardCharsets.UTF_8)), false),
                new OutputFiles.Output(b, out -> {
                    throw new IOException("disk full");
                }, true)))).hasMessage(b + ": cannot write: disk full");
        assertThat(Files.readString(a)).isEqualTo("old model");
        assertThat(names(dir)).containsExactly("m.lfm");
        OutputFiles.writeAll(List.of(
                new OutputFiles.Output(a, out -> out.write("new model".getBytes(StandardCharsets.UTF_8)), false),
                new OutputFiles.Output(b, out -> out.write("new report".getBytes(StandardCharsets.UTF_8)), true)));
        assertThat(Files.readString(a)).isEqualTo("new model");
        assertThat(Files.readString(b)).isEqualTo("new report");
        assertThat(names(dir)).containsExactly("m.lfm", "r.json");
    }

    @Test
    void aFailedRenameRestoresTheFilesAlreadyReplaced() throws IOException {
        Path a = dir.resolve("m.lfm");
        Path fresh = dir.resolve("new.csv");
        Path b = dir.resolve("r.json");
        OutputFiles.writeString(a, "old model");
        Path ta = Files.writeString(OutputFiles.tempFor(a.toAbsolutePath()), "new model");
        Path tf = Files.writeString(OutputFiles.tempFor(fresh.toAbsolutePath()), "new csv");
        Path tb = Files.writeString(OutputFiles.tempFor(b.toAbsolutePath()), "new report");
        // the report's target became a non-empty directory after the checks: its rename fails
        Files.createDirectory(b);
        Files.writeString(b.resolve("x"), "x");
        List<OutputFiles.Output> outs = List.of(new OutputFiles.Output(a, out -> { }, false),
                new OutputFiles.Output(fresh, out -> { }, false), new OutputFiles.Output(b, out -> { }, false));
        assertThatThrownBy(() -> OutputFiles.commit(outs, List.of(ta, tf, tb)))
                .isInstanceOf(LfmException.class).hasMessageStartingWith(b + ": cannot write: ")
                .hasMessageEndingWith("(nothing was written: " + a + " is as it was)");
        assertThat(Files.readString(a)).isEqualTo("old model");
        assertThat(names(dir)).containsExactlyInAnyOrder(tb.getFileName().toString(), "m.lfm", "r.json");
    }
}
