package dev.lfm.io;

import dev.lfm.LfmException;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one way lfm writes an output file (model, report, CSV, chart): whole or not at all, and
 * several files of one command all or none ({@link #writeAll}).
 *
 * <p><b>Atomic replace.</b> The bytes go to a hidden temporary file next to the target,
 * {@code .NAME.<pid>.<hex>.tmp}, are forced to disk, and the file is then renamed over the target
 * (atomically where the file system can); on any failure the temporary file is deleted and the
 * target is left as it was. A target that exists and is a directory, a device node, a FIFO or a
 * socket is refused, never replaced.
 *
 * <p><b>Nothing left behind after a crash.</b> A process killed while writing (SIGKILL, power
 * loss) cannot delete its temporary file, so every write first removes the temporary files of the
 * same target whose writer is gone: the name carries the writer's process id, and a file is
 * removed only when no live process on this host has that id. That is safe against a concurrent
 * writer on the same host (its process is alive, so its file is kept; the last rename wins and
 * every state of the target is a whole file). A writer this host cannot see (another PID
 * namespace or machine sharing the directory) may lose its temporary file: its rename then fails
 * with a one-line "cannot write" and its target stays as it was, so even then no file is ever
 * half-written. A reused process id only delays the clean-up. Temporary files of older lfm
 * versions ({@code .NAME.<hex>.tmp}, no process id) are removed once they are an hour old.
 *
 * <p>Failures are a one-line {@link LfmException} "{@code <file>: cannot write: <reason>}".
 */
public final class OutputFiles {
    /** Legacy temporary files (no process id in the name) older than this are removed. */
    static final long LEGACY_TEMP_AGE_MILLIS = 3_600_000L;

    private OutputFiles() {
    }

    /** Something that writes a file's bytes (to an unbuffered {@link FileOutputStream}). */
    @FunctionalInterface
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    /**
     * One file of a {@link #writeAll} batch: the target, what writes it, and whether missing parent
     * directories are created (reports, charts) or are an error (models: a mistyped {@code --save}
     * path is an error, not a new directory).
     */
    public record Output(Path target, Writer writer, boolean createDirectories) {
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
     * written, creating nothing: lets a command check all its outputs before it reads its data.
     * Missing parent directories are accepted (they will be created) when the nearest existing
     * ancestor is a writable directory.
     */
    public static void checkWritable(Path target) {
        check(target, true);
    }

    /** As {@link #checkWritable(Path)}; with {@code createDirectories} false the directory must exist. */
    public static void check(Path target, boolean createDirectories) {
        Path abs = target.toAbsolutePath();
        checkTarget(target, abs);
        Path dir = abs.getParent();
        Path existing = dir;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            throw new LfmException(target + ": cannot write: no existing directory above it");
        }
        if (!Files.isDirectory(existing)) {
            throw new LfmException(target + ": cannot write: " + existing + " is not a directory");
        }
        if (!existing.equals(dir) && !createDirectories) {
            throw new LfmException(target + ": cannot write: directory " + dir + " does not exist");
        }
        // the real test: create (and delete) a file where the temporary file will go
        Path probe = existing.equals(dir) ? tempFor(abs) : tempFor(existing.resolve("lfm-probe"));
        try {
            Files.createFile(probe);
        } catch (IOException e) {
            throw new LfmException(target + ": cannot write: " + reason(e, existing), e);
        } finally {
            try {
                Files.deleteIfExists(probe);
            } catch (IOException ignored) {
                // nothing was made, or it cannot be removed either way
            }
        }
    }

    /** Refuses a target that exists and is not a regular file. */
    private static void checkTarget(Path target, Path abs) {
        if (Files.isDirectory(abs)) {
            throw new LfmException(target + ": cannot write: is a directory");
        }
        if (Files.exists(abs) && !Files.isRegularFile(abs)) {
            throw new LfmException(target + ": cannot write: not a regular file (a device, FIFO or socket is "
                    + "never replaced)");
        }
    }

    /** Writes {@code text} as UTF-8 to {@code target} atomically, creating missing parent directories. */
    public static Path writeString(Path target, String text) {
        return write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Writes {@code target} atomically through {@code writer}, creating missing parent directories. */
    public static Path write(Path target, Writer writer) {
        writeAll(List.of(new Output(target, writer, true)));
        return target;
    }

    /**
     * Writes {@code target} atomically through {@code writer} into a directory that must exist.
     * {@link IOException}s become the one-line message; other exceptions from {@code writer} pass
     * through unchanged (after the temporary file is removed).
     */
    public static Path writeInto(Path target, Writer writer) {
        writeAll(List.of(new Output(target, writer, false)));
        return target;
    }

    /**
     * Writes every output, all or none. First each file is written whole to its temporary file
     * (any failure: every temporary file is removed and no target has changed); then the
     * temporaries are renamed over their targets in order, each previous target kept as a hard
     * link (or copy) until all renames succeeded. If a rename fails, the targets already replaced
     * get their previous content back (or are removed where there was none) and the error is
     * thrown: after a normal return or an exception every target is either all new or all as it
     * was. Only a crash between two renames (microseconds) can leave a mix of new and old
     * files, each of them whole.
     */
    public static void writeAll(List<Output> outputs) {
        List<Path> temps = new ArrayList<>();
        try {
            for (Output o : outputs) {
                temps.add(writeTemp(o));
            }
            commit(outputs, temps);
            temps.clear();
        } finally {
            for (Path t : temps) {
                deleteQuietly(t);
            }
        }
    }

    private static Path writeTemp(Output o) {
        Path target = o.target();
        Path abs = target.toAbsolutePath();
        checkTarget(target, abs);
        Path dir = abs.getParent();
        if (o.createDirectories()) {
            ensureDirectory(dir);
        } else if (!Files.isDirectory(dir)) {
            throw new LfmException(target + ": cannot write: directory " + dir + " does not exist");
        }
        removeStaleTemps(abs);
        // not createTempFile: it makes the file 0600, and outputs should get the umask's permissions
        Path tmp = tempFor(abs);
        boolean written = false;
        try {
            Files.createFile(tmp);
            try (FileOutputStream out = new FileOutputStream(tmp.toFile())) {
                o.writer().write(out);
                out.flush();
                out.getFD().sync();
            }
            written = true;
            return tmp;
        } catch (IOException e) {
            throw new LfmException(target + ": cannot write: " + reason(e, dir), e);
        } finally {
            if (!written) {
                deleteQuietly(tmp);
            }
        }
    }

    /** Renames every temporary over its target; on a failure restores the targets already replaced. */
    static void commit(List<Output> outputs, List<Path> temps) {
        int n = outputs.size();
        Path[] backups = new Path[n];
        boolean[] existed = new boolean[n];
        int done = 0;
        try {
            for (; done < n; done++) {
                Path abs = outputs.get(done).target().toAbsolutePath();
                existed[done] = Files.exists(abs, LinkOption.NOFOLLOW_LINKS);
                if (n > 1 && existed[done]) {
                    backups[done] = backup(abs);
                }
                move(temps.get(done), abs);
                syncDirectory(abs.getParent());
            }
        } catch (IOException e) {
            Output failed = outputs.get(done);
            for (int j = done - 1; j >= 0; j--) {
                restore(outputs.get(j).target().toAbsolutePath(), existed[j], backups[j]);
            }
            deleteQuietly(backups[done]);
            throw new LfmException(failed.target() + ": cannot write: "
                    + reason(e, failed.target().toAbsolutePath().getParent())
                    + (done > 0 ? " (nothing was written: " + outputs.get(0).target() + " is as it was)" : ""), e);
        } finally {
            if (done == n) {
                for (Path b : backups) {
                    deleteQuietly(b);
                }
            }
        }
    }

    private static Path backup(Path abs) throws IOException {
        Path b = tempFor(abs);
        try {
            Files.createLink(b, abs);
        } catch (IOException | UnsupportedOperationException e) {
            Files.copy(abs, b, StandardCopyOption.COPY_ATTRIBUTES);
        }
        return b;
    }

    private static void restore(Path abs, boolean existed, Path backup) {
        try {
            if (backup != null) {
                move(backup, abs);
            } else if (!existed) {
                Files.deleteIfExists(abs);
            }
        } catch (IOException ignored) {
            // best effort: the error being thrown says what failed
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Makes a rename durable (POSIX: fsync the directory); silently skipped where it cannot be done. */
    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | RuntimeException ignored) {
            // not supported on this platform or file system
        }
    }

    /** {@code .NAME.<pid>.<hex>.tmp} next to {@code abs}. */
    static Path tempFor(Path abs) {
        return abs.resolveSibling("." + abs.getFileName() + "." + ProcessHandle.current().pid() + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
    }

    /**
     * Removes the temporary files of {@code abs} left by writers that are gone (see the class
     * comment); returns how many were removed.
     */
    static int removeStaleTemps(Path abs) {
        Path dir = abs.getParent();
        String name = abs.getFileName().toString();
        int removed = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "." + escapeGlob(name) + ".*.tmp")) {
            for (Path p : ds) {
                if (isStale(p, name)) {
                    try {
                        if (Files.deleteIfExists(p)) {
                            removed++;
                        }
                    } catch (IOException ignored) {
                        // left for the next write
                    }
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // a directory that cannot be listed: the write itself will say what is wrong
        }
        return removed;
    }

    private static boolean isStale(Path p, String name) throws IOException {
        Matcher m = Pattern.compile(Pattern.quote("." + name + ".") + "(?:(\\d+)\\.)?[0-9a-f]{1,16}\\.tmp")
                .matcher(p.getFileName().toString());
        if (!m.matches() || !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        if (m.group(1) == null) {
            return System.currentTimeMillis() - Files.getLastModifiedTime(p).toMillis() > LEGACY_TEMP_AGE_MILLIS;
        }
        long pid;
        try {
            pid = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            return false;
        }
        if (pid == ProcessHandle.current().pid()) {
            return false; // another thread of this process may be writing it
        }
        return ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true);
    }

    private static String escapeGlob(String s) {
        return s.replaceAll("([\\\\*?\\[\\]{}])", "\\\\$1");
    }

    private static void deleteQuietly(Path p) {
        if (p == null) {
            return;
        }
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // the error being thrown already says what went wrong
        }
    }

    private static String reason(IOException e) {
        return reason(e, null);
    }

    /** The reason in a few words; {@code dir} is the directory the file was to be made in. */
    private static String reason(IOException e, Path dir) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            if (dir != null && Files.isDirectory(dir)) {
                return dir + " does not accept new files (a virtual or special file system?)";
            }
            return "no such file or directory";
        }
        String m = e instanceof FileSystemException fse && fse.getReason() != null ? fse.getReason()
                : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
