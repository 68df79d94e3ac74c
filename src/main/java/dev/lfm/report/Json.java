package dev.lfm.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Path;

/**
 * JSON summaries through Jackson: pretty-printed, keys in insertion order (use a
 * {@link java.util.LinkedHashMap} or records); non-finite numbers are written as the strings
 * "NaN" / "Infinity" (Jackson's default), which Jackson reads back as doubles.
 */
public final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Json() {
    }

    /** The shared mapper (thread-safe once configured). */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Writes {@code value} to {@code target} atomically. */
    public static Path write(Path target, Object value) {
        return OutputFiles.write(target, out -> MAPPER.writeValue(out, value));
    }
}
