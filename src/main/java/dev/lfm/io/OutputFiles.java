package dev.lfm.io;

import dev.lfm.LfmException;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The one way lfm writes an output file (model, report, CSV, chart): whole or not at all. The
 * bytes go to a hidden temporary file next to the target, are forced to disk, and the file is then
 * renamed over the target (atomically where the file system can); on any failure the temporary
 * file is deleted and the target is left as it was. Failures are a one-line {@link LfmException}
 * "{@code <file>: cannot write: <reason>}".
 */
public final class OutputFiles {
    private OutputFiles() {
    }

    /** Something that writes a file's bytes (to an unbuffered {@link FileOutputStream}). */
    @FunctionalInterface
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    /** Creates {@code dir} (and parents) or fails with a one-line message. */
    public static Path ensureDirectory(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new LfmException(dir + ": cannot create directory: " + reason(e), e);
        }
    }

    /**
     * Fails now, with the message a later write would give, when {@code target} cannot be
     * written (its directory cannot be made or is not writable, or it is a directory): lets a
     * command check all its outputs before it writes the first one.
     */
    public static void checkWritable(Path target) {
        Path dir = ensureDirectory(target.toAbsolutePath().getParent());
        if (Files.isDirectory(target)) {
            throw new LfmException(target + ": cannot write: is a directory");
        }
        if (!Files.isWritable(dir)) {
            throw new LfmException(target + ": cannot write: directory not writable");
        }
    }

    /** Writes {@code text} as UTF-8 to {@code target} atomically, creating missing parent directories. */
    public static Path writeString(Path target, String text) {
        return write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Writes {@code target} atomically through {@code writer}, creating missing parent directories. */
    public static Path write(Path target, Writer writer) {
        ensureDirectory(target.toAbsolutePath().getParent());
        return writeInto(target, writer);
    }

    /**
     * Writes {@code target} atomically through {@code writer} into a directory that must exist.
     * {@link IOException}s become the one-line message; other exceptions from {@code writer} pass
     * through unchanged (after the temporary file is removed).
     */
    public static Path writeInto(Path target, Writer writer) {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (!Files.isDirectory(dir)) {
            throw new LfmException(target + ": cannot write: directory " + dir + " does not exist");
        }
        // not createTempFile: it makes the file 0600, and outputs should get the umask's permissions
        Path tmp = dir.resolve("." + abs.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong())
                + ".tmp");
        boolean moved = false;
        try {
            Files.createFile(tmp);
            try (FileOutputStream out = new FileOutputStream(tmp.toFile())) {
                writer.write(out);
                out.flush();
                out.getFD().sync();
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
            return target;
        } catch (IOException e) {
            throw new LfmException(target + ": cannot write: " + reason(e), e);
        } finally {
            if (!moved) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the error being thrown already says what went wrong
                }
            }
        }
    }

    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
