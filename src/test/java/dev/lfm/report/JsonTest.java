package dev.lfm.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonTest {
    record Row(double rmse, float speedup, Double boxed, int n) {
    }

    @Test
    void nonFiniteNumbersAreNullWhereverTheyAre() throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("nan", Double.NaN);
        m.put("inf", Double.POSITIVE_INFINITY);
        m.put("float_nan", Float.NaN);
        m.put("fine", 0.25);
        m.put("row", new Row(Double.NaN, Float.NEGATIVE_INFINITY, Double.NaN, 3));
        JsonNode j = Json.mapper().readTree(Json.toString(m));
        assertThat(j.get("nan").isNull()).isTrue();
        assertThat(j.get("inf").isNull()).isTrue();
        assertThat(j.get("float_nan").isNull()).isTrue();
        assertThat(j.get("fine").asDouble()).isEqualTo(0.25);
        assertThat(j.get("row").get("rmse").isNull()).isTrue();
        assertThat(j.get("row").get("speedup").isNull()).isTrue();
        assertThat(j.get("row").get("boxed").isNull()).isTrue();
        assertThat(j.get("row").get("n").asInt()).isEqualTo(3);
        assertThat(Json.toString(m)).doesNotContain("NaN").doesNotContain("Infinity");
    }

    @Test
    void finiteFloatsKeepTheirShortForm() {
        assertThat(Json.toString(Map.of("x", 0.1f))).contains("0.1").doesNotContain("0.100000");
    }

    @Test
    void writeIsAtomicAndPretty(@TempDir Path dir) throws Exception {
        Path f = Json.write(dir.resolve("out/s.json"), Map.of("a", 1));
        assertThat(java.nio.file.Files.readString(f)).contains("\n").contains("\"a\" : 1");
    }
}
