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
}
