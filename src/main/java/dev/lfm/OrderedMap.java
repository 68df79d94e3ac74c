package dev.lfm;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The ordered maps reports, summaries and provenance are built from: keys in the order written,
 * which is the order of the JSON (see {@code report/Json}).
 */
public final class OrderedMap {
    private OrderedMap() {
    }

    /**
     * A new, mutable map of {@code keysAndValues} (key, value, key, value, ...; every key a string,
     * none twice, values may be null) in that order: {@link Map#of} with an order.
     *
     * @throws IllegalArgumentException for an odd count, a key that is not a string or a repeated key
     */
    public static Map<String, Object> of(Object... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("keys and values come in pairs: " + keysAndValues.length + " given");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        for (int j = 0; j < keysAndValues.length; j += 2) {
            if (!(keysAndValues[j] instanceof String key)) {
                throw new IllegalArgumentException("key " + (j / 2) + " is not a string: " + keysAndValues[j]);
            }
            if (m.containsKey(key)) {
                throw new IllegalArgumentException("key '" + key + "' given twice");
            }
            m.put(key, keysAndValues[j + 1]);
        }
        return m;
    }
}
