package dev.lfm.data;

import dev.lfm.LfmException;

/**
 * A rating file the reader cannot use. The message is one line that names the file and, where
 * one is to blame, the line: {@code ratings.csv:17: rating 'abc' is not a number}.
 */
public class DataFormatException extends LfmException {
    private final String file;
    private final long line;

    /** An error on a line of {@code file} (line numbers start at 1; 0 means the whole file). */
    public DataFormatException(String file, long line, String detail) {
        super(line > 0 ? file + ":" + line + ": " + detail : file + ": " + detail);
        this.file = file;
        this.line = line;
    }

    /** An error about the whole file. */
    public DataFormatException(String file, String detail) {
        this(file, 0, detail);
    }

    /** The file as the user named it. */
    public String file() {
        return file;
    }

    /** The 1-based line number, or 0 when the error concerns the whole file. */
    public long line() {
        return line;
    }
}
