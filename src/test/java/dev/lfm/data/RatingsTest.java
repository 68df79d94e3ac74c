package dev.lfm.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RatingsTest {
    private static final IdMap USERS = IdMap.of(new long[] {10, 20, 30, 40});
    private static final IdMap ITEMS = IdMap.of(new long[] {1, 2, 3, 4, 5});

    /** 3 ratings in arrays of 5: the last two entries are not ratings. */
    private static Ratings three() {
        return new Ratings(4, 5, new int[] {0, 3, 0, 1, 1}, new int[] {4, 4, 2, 0, 0},
                new float[] {1f, 2f, 4.5f, 100f, 100f}, 3, USERS, ITEMS, 0.5f, 5f);
    }

    @Test
    void accessorsAndSizeLimitedStatistics() {
        Ratings r = three();
        assertThat(r.numUsers()).isEqualTo(4);
        assertThat(r.numItems()).isEqualTo(5);
        assertThat(r.size()).isEqualTo(3);
        assertThat(r.user(1)).isEqualTo(3);
        assertThat(r.item(2)).isEqualTo(2);
        assertThat(r.value(2)).isEqualTo(4.5f);
        assertThat(r.minRating()).isEqualTo(0.5f);
        assertThat(r.maxRating()).isEqualTo(5f);
        assertThat(r.userIds()).isSameAs(USERS);
        assertThat(r.itemIds()).isSameAs(ITEMS);
        assertThat(r.mean()).isCloseTo(7.5 / 3, within(1e-12));
        assertThat(r.userCounts()).containsExactly(2, 0, 0, 1);
        assertThat(r.itemCounts()).containsExactly(0, 0, 1, 0, 2);
        assertThat(new Ratings(2, 2, new int[1], new int[1], new float[] {3}, 0, null, null, 1, 5).mean()).isZero();
        assertThat(new Ratings(2, 2, new int[1], new int[1], new float[] {3}, 1, null, null, 1, 5).mean())
                .isEqualTo(3.0);
        assertThat(r.toString()).isEqualTo("3 ratings, 4 users x 5 items");
    }

    @Test
    void sizeMustFitEveryArray() {
        int[] two = new int[2];
        int[] three = new int[3];
        float[] f2 = new float[2];
        float[] f3 = new float[3];
        new Ratings(1, 1, three, three, f3, 3, null, null, 1, 5);
        assertThatThrownBy(() -> new Ratings(1, 1, two, three, f3, 3, null, null, 1, 5))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("size exceeds arrays");
        assertThatThrownBy(() -> new Ratings(1, 1, three, two, f3, 3, null, null, 1, 5))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Ratings(1, 1, three, three, f2, 3, null, null, 1, 5))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void selectTakesPositionsInTheirOrder() {
        Ratings r = three();
        Ratings s = r.select(new int[] {2, 0, 1, 1}, 3);
        assertThat(s.size()).isEqualTo(3);
        assertThat(s.users()).containsExactly(0, 0, 3);
        assertThat(s.items()).containsExactly(2, 4, 4);
        assertThat(s.values()).containsExactly(4.5f, 1f, 2f);
        assertThat(s.numUsers()).isEqualTo(4);
        assertThat(s.numItems()).isEqualTo(5);
        assertThat(s.userIds()).isSameAs(USERS);
        assertThat(s.itemIds()).isSameAs(ITEMS);
        assertThat(s.minRating()).isEqualTo(0.5f);
        assertThat(s.maxRating()).isEqualTo(5f);
        assertThat(r.select(new int[] {1}, 0).size()).isZero();
    }

    @Test
    void trimmedCopiesOnlyWhenSomeArrayIsLonger() {
        Ratings exact = new Ratings(2, 2, new int[] {0, 1}, new int[] {1, 0}, new float[] {1, 2}, 2, null, null, 1, 5);
        assertThat(exact.trimmed()).isSameAs(exact);
        Ratings[] longer = {
            new Ratings(2, 2, new int[] {0, 1, 9}, new int[] {1, 0}, new float[] {1, 2}, 2, null, null, 1, 5),
            new Ratings(2, 2, new int[] {0, 1}, new int[] {1, 0, 9}, new float[] {1, 2}, 2, null, null, 1, 5),
            new Ratings(2, 2, new int[] {0, 1}, new int[] {1, 0}, new float[] {1, 2, 9}, 2, USERS, ITEMS, 1, 5),
        };
        for (Ratings r : longer) {
            Ratings t = r.trimmed();
            assertThat(t).isNotSameAs(r);
            assertThat(t.users()).containsExactly(0, 1);
            assertThat(t.items()).containsExactly(1, 0);
            assertThat(t.values()).containsExactly(1f, 2f);
            assertThat(t.size()).isEqualTo(2);
            assertThat(t.numUsers()).isEqualTo(2);
            assertThat(t.userIds()).isSameAs(r.userIds());
            assertThat(t.maxRating()).isEqualTo(5f);
        }
    }

    @Test
    void withIdSpaceWidensAndKeepsTheRatings() {
        Ratings r = three();
        IdMap u = IdMap.identity(9);
        IdMap i = IdMap.identity(8);
        Ratings w = r.withIdSpace(9, 8, u, i);
        assertThat(w.numUsers()).isEqualTo(9);
        assertThat(w.numItems()).isEqualTo(8);
        assertThat(w.userIds()).isSameAs(u);
        assertThat(w.itemIds()).isSameAs(i);
        assertThat(w.size()).isEqualTo(3);
        assertThat(w.users()).isSameAs(r.users());
        assertThat(w.values()).isSameAs(r.values());
        assertThat(w.minRating()).isEqualTo(0.5f);
    }
}
