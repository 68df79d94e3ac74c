package dev.lfm.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether this process's standard error is a terminal (progress lines are for people, not logs). */
final class Terminal {
    private Terminal() {
    }

    /**
     * True when standard error is a terminal: as {@code LFM_STDERR_TTY} (1 or 0) says when it is set
     * ({@code bin/lfm} sets it, since it pipes the JVM's stderr through a filter); otherwise, on Linux,
     * when {@code /proc/self/fd/2} links to a tty or pty; elsewhere, when the JVM has a console.
     */
    static boolean stderrIsTerminal() {
        String told = System.getenv("LFM_STDERR_TTY");
        if (told != null && !told.isBlank()) {
            return told.strip().equals("1");
        }
        Path fd = Path.of("/proc/self/fd/2");
        if (Files.exists(Path.of("/proc/self/fd"))) {
            try {
                String target = Files.readSymbolicLink(fd).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
            } catch (IOException | UnsupportedOperationException | SecurityException e) {
                return false;
            }
        }
        return System.console() != null;
    }
}
