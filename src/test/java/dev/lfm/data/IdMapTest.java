package dev.lfm.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IdMapTest {
    @Test
    void denseIndicesInOrderOfFirstSight() {
        IdMap m = new IdMap();
        assertThat(m.add(196)).isEqualTo(0);
        assertThat(m.add(186)).isEqualTo(1);
        assertThat(m.add(196)).isEqualTo(0);
        assertThat(m.indexOf(186, true)).isEqualTo(1);
        assertThat(m.indexOf(0)).isEqualTo(-1);
        assertThat(m.indexOf(7, false)).isEqualTo(-1);
        assertThat(m.size()).isEqualTo(2);
        assertThat(m.externalId(0)).isEqualTo(196);
        assertThat(m.externalId(1)).isEqualTo(186);
        assertThat(m.add(0)).isEqualTo(2);
        assertThat(m.indexOf(0)).isEqualTo(2);
        assertThat(m.toArray()).containsExactly(196, 186, 0);
        m.toArray()[0] = 5;
        assertThat(m.externalId(0)).isEqualTo(196);
    }

    @Test
    void identityAndOf() {
        IdMap id = IdMap.identity(5);
        assertThat(id.size()).isEqualTo(5);
        assertThat(id.isIdentity()).isTrue();
        assertThat(id.toArray()).containsExactly(0, 1, 2, 3, 4);
        assertThat(id.indexOf(4)).isEqualTo(4);
        assertThat(id.indexOf(5)).isEqualTo(-1);
        assertThat(IdMap.identity(0).size()).isZero();
        assertThat(IdMap.identity(1).size()).isEqualTo(1);
        assertThat(IdMap.of(new long[] {0, 2, 1}).isIdentity()).isFalse();
        assertThat(IdMap.of(new long[] {1}).isIdentity()).isFalse();
        assertThat(IdMap.of(new long[] {0, 1}).isIdentity()).isTrue();
        assertThat(new IdMap().isIdentity()).isTrue();
        IdMap of = IdMap.of(new long[] {30, 10, 20});
        assertThat(of.indexOf(10)).isEqualTo(1);
        assertThat(of.externalId(2)).isEqualTo(20);
        assertThat(IdMap.of(new long[0]).size()).isZero();
        assertThatThrownBy(() -> IdMap.of(new long[] {3, 4, 3})).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("duplicate id 3");
    }

    @Test
    void manyIdsFromAnyStartingCapacity() {
        for (int expected : new int[] {0, 1, 2, 7, 1000}) {
            IdMap m = new IdMap(expected);
            SplittableRandom rnd = new SplittableRandom(expected);
            Map<Long, Integer> truth = new HashMap<>();
            long[] order = new long[50_000];
            int n = 0;
            for (int t = 0; t < 60_000; t++) {
                long id = switch (t % 4) {
                    case 0 -> rnd.nextLong();
                    case 1 -> rnd.nextInt(40_000);
                    case 2 -> (long) rnd.nextInt(1000) << 32; // low bits equal
                    default -> Long.MAX_VALUE - rnd.nextInt(100);
                };
                Integer known = truth.get(id);
                int got = m.add(id);
                if (known == null) {
                    truth.put(id, n);
                    order[n] = id;
                    assertThat(got).isEqualTo(n);
                    n++;
                    if (n == order.length) {
                        break;
                    }
                } else {
                    assertThat(got).isEqualTo(known);
                }
            }
            assertThat(m.size()).isEqualTo(n);
            for (int j = 0; j < n; j++) {
                assertThat(m.indexOf(order[j])).isEqualTo(j);
                assertThat(m.externalId(j)).isEqualTo(order[j]);
            }
            for (int t = 0; t < 2000; t++) {
                long id = rnd.nextLong();
                assertThat(m.indexOf(id)).isEqualTo(truth.getOrDefault(id, -1));
            }
            assertThat(m.size()).isEqualTo(n);
        }
    }
}
