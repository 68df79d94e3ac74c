package dev.lfm;

/**
 * An error the user can cause and fix (bad file, bad flag, divergence, device not available).
 * Its message is one complete line, shown as is by the CLI with a non-zero exit and no stack
 * trace; for file errors it names the file and line ("ratings.csv:17: rating 'abc' is not a
 * number").
 */
public class LfmException extends RuntimeException {
    public LfmException(String message) {
        super(message);
    }

    public LfmException(String message, Throwable cause) {
        super(message, cause);
    }
}
