package dev.lfm.cli;

import dev.lfm.LfmException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writes output files all-or-nothing: a temporary file in the same directory, then a rename. */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /**
     * Fails now, with the message a later write would give, when {@code target} cannot be
     * written (its directory cannot be made or is not writable): lets a command check all its
     * outputs before it writes the first one.
     */
    public static void checkWritable(Path target) {
        Path dir = target.toAbsolutePath().getParent();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new LfmException(target + ": cannot write (" + e.getMessage() + ")");
        }
        if (!Files.isWritable(dir) || Files.isDirectory(target)) {
            throw new LfmException(target + ": cannot write (" + (Files.isDirectory(target)
                    ? "is a directory" : "directory not writable") + ")");
        }
    }

    /** Writes {@code text} to {@code target} atomically; a failure leaves no partial file behind. */
    public static void writeString(Path target, String text) {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new LfmException(target + ": cannot write (" + e.getMessage() + ")");
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort
                }
            }
        }
    }
}
