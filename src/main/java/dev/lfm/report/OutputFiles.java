package dev.lfm.report;

import dev.lfm.LfmException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes output files whole or not at all: the content goes to a temporary file next to the
 * target, which is then moved over it, so an interrupted or failed write never leaves a
 * half-written report. Failures become a one-line {@link LfmException} naming the file.
 */
public final class OutputFiles {
    private OutputFiles() {
    }

    /** Something that writes a file's bytes. */
    @FunctionalInterface
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    /** Creates {@code dir} (and parents) or fails with a one-line message. */
    public static Path ensureDirectory(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new LfmException("cannot create output directory " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Writes {@code target} atomically through {@code writer}. */
    public static Path write(Path target, Writer writer) {
        Path dir = target.toAbsolutePath().getParent();
        ensureDirectory(dir);
        Path tmp = null;
        try {
            tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp))) {
                writer.write(out);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return target;
        } catch (IOException e) {
            throw new LfmException("cannot write " + target + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: the target was either moved into place or never written
                }
            }
        }
    }
}
