package dev.lfm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OrderedMapTest {
    @Test
    void keepsTheOrderWrittenAndStaysMutable() {
        Map<String, Object> m = OrderedMap.of("z", 1, "a", null, "m", "x");
        assertThat(List.copyOf(m.keySet())).containsExactly("z", "a", "m");
        assertThat(m).containsEntry("z", 1).containsEntry("a", null).containsEntry("m", "x");
        m.put("b", 2.5);
        assertThat(List.copyOf(m.keySet())).containsExactly("z", "a", "m", "b");
        assertThat(OrderedMap.of()).isEmpty();
    }

    @Test
    void refusesAnOddCountAKeyThatIsNotAStringAndARepeatedKey() {
        assertThatThrownBy(() -> OrderedMap.of("a", 1, "b")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3 given");
        assertThatThrownBy(() -> OrderedMap.of("a", 1, 2, 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("key 1 is not a string");
        assertThatThrownBy(() -> OrderedMap.of("a", 1, "a", 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'a' given twice");
    }
}
