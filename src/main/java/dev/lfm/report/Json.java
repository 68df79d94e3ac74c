package dev.lfm.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.lfm.io.OutputFiles;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Every JSON file lfm writes goes through this one Jackson configuration: pretty-printed, keys in
 * insertion order (use a {@link java.util.LinkedHashMap} or records), and one policy for numbers
 * JSON cannot hold: NaN and ±Infinity (an empty split, an undefined speedup) are written as
 * {@code null}.
 */
public final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .registerModule(new SimpleModule("lfm-non-finite-as-null")
                    .addSerializer(Double.class, new NonFiniteAsNull<>())
                    .addSerializer(Double.TYPE, new NonFiniteAsNull<>())
                    .addSerializer(Float.class, new NonFiniteAsNull<>())
                    .addSerializer(Float.TYPE, new NonFiniteAsNull<>()));

    private Json() {
    }

    /** The shared mapper (thread-safe once configured); also the one to read lfm's JSON back with. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** {@code value} as pretty-printed JSON text with a final newline. */
    public static String toString(Object value) {
        try {
            return MAPPER.writeValueAsString(value) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("not serializable as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Writes {@code value} to {@code target} atomically. */
    public static Path write(Path target, Object value) {
        return OutputFiles.writeString(target, toString(value));
    }

    /** {@code value} as one output of an {@link OutputFiles#writeAll} batch (serialized now; directories created). */
    public static OutputFiles.Output output(Path target, Object value) {
        byte[] bytes = toString(value).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return new OutputFiles.Output(target, out -> out.write(bytes), true);
    }

    private static final class NonFiniteAsNull<T extends Number> extends JsonSerializer<T> {
        @Override
        public void serialize(T value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            double x = value.doubleValue();
            if (!Double.isFinite(x)) {
                gen.writeNull();
            } else if (value instanceof Float f) {
                gen.writeNumber(f);
            } else {
                gen.writeNumber(x);
            }
        }
    }
}
