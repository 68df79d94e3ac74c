package dev.lfm.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** {@link Duplicates#resolve} on hand-made arrays, with hand-computed results. */
class DuplicatesTest {
    private static final IdMap ITEMS10 = IdMap.identity(10);

    private record Out(int n, int[] u, int[] i, float[] v) {
        String dump() {
            StringBuilder sb = new StringBuilder();
            for (int j = 0; j < n; j++) {
                sb.append(j == 0 ? "" : " ").append(u[j]).append(':').append(i[j]).append('=').append(v[j]);
            }
            return sb.toString();
        }
    }

    private static Out run(int[] u, int[] i, float[] v, int numItems, DuplicatePolicy p, IdMap items) {
        int[] uu = u.clone();
        int[] ii = i.clone();
        float[] vv = v.clone();
        int n = Duplicates.resolve(uu, ii, vv, u.length, numItems, p, pos -> 10 + 3 * pos, "f.csv",
                IdMap.of(new long[] {100, 101, 102, 103}), items);
        return new Out(n, uu, ii, vv);
    }

    private static Out run(int[] u, int[] i, float[] v, DuplicatePolicy p) {
        return run(u, i, v, 10, p, ITEMS10);
    }

    @Test
    void noRepeatsLeavesEverythingAsItWas() {
        for (DuplicatePolicy p : DuplicatePolicy.values()) {
            // sorted
            assertThat(run(new int[] {0, 0, 1}, new int[] {0, 1, 0}, new float[] {1, 2, 3}, p).dump())
                    .isEqualTo("0:0=1.0 0:1=2.0 1:0=3.0");
            // unsorted; same item for several users; (0, 1) and (1, 0) are different pairs
            assertThat(run(new int[] {1, 0, 2, 0}, new int[] {3, 3, 3, 1}, new float[] {1, 2, 3, 4}, p).dump())
                    .isEqualTo("1:3=1.0 0:3=2.0 2:3=3.0 0:1=4.0");
            assertThat(run(new int[] {1, 0}, new int[] {0, 1}, new float[] {1, 2}, 2, p, IdMap.identity(2)).n())
                    .isEqualTo(2);
            assertThat(run(new int[] {3, 0}, new int[] {0, 3}, new float[] {1, 2}, 4, p, IdMap.identity(4)).n())
                    .isEqualTo(2);
            assertThat(run(new int[0], new int[0], new float[0], p).n()).isZero();
            assertThat(run(new int[] {2}, new int[] {5}, new float[] {1}, p).n()).isEqualTo(1);
        }
    }

    @Test
    void itemOrderIsTheFileIdOrder() {
        // dense item 0 is file id 20, dense 1 is file id 10: (user 0, 10) then (user 0, 20) is increasing
        IdMap items = IdMap.of(new long[] {20, 10});
        for (DuplicatePolicy p : DuplicatePolicy.values()) {
            assertThat(run(new int[] {0, 0}, new int[] {1, 0}, new float[] {1, 2}, 2, p, items).n()).isEqualTo(2);
            assertThat(run(new int[] {0, 0}, new int[] {0, 1}, new float[] {1, 2}, 2, p, items).n()).isEqualTo(2);
        }
        assertThat(run(new int[] {0, 0}, new int[] {1, 1}, new float[] {1, 2}, 2, DuplicatePolicy.LAST, items).dump())
                .isEqualTo("0:1=2.0");
    }

    @Test
    void errorNamesBothLinesAndTheFileIds() {
        // positions 1 and 3 repeat (user 101, item 5): lines 13 and 19
        assertThatThrownBy(() -> run(new int[] {0, 1, 2, 1}, new int[] {4, 5, 6, 5}, new float[] {1, 2, 3, 4},
                DuplicatePolicy.ERROR))
                .isInstanceOf(DataFormatException.class)
                .hasMessage("f.csv:19: duplicate rating for user 101, item 5 (first given on line 13;"
                        + " choose a duplicate policy: last or mean)")
                .satisfies(e -> assertThat(((DataFormatException) e).line()).isEqualTo(19));
        // adjacent and sorted-looking repeat
        assertThatThrownBy(() -> run(new int[] {0, 0}, new int[] {3, 3}, new float[] {1, 2}, DuplicatePolicy.ERROR))
                .hasMessageStartingWith("f.csv:13: duplicate rating for user 100, item 3 (first given on line 10;");
        // the first repeat in the file is named, whatever its key
        assertThatThrownBy(() -> run(new int[] {3, 0, 3, 0}, new int[] {9, 0, 9, 0}, new float[] {1, 2, 3, 4},
                DuplicatePolicy.ERROR))
                .hasMessageStartingWith("f.csv:16: duplicate rating for user 103, item 9 (first given on line 10;");
        assertThatThrownBy(() -> run(new int[] {1, 0, 0}, new int[] {0, 0, 0}, new float[] {1, 2, 3},
                DuplicatePolicy.ERROR))
                .hasMessageStartingWith("f.csv:16: duplicate rating for user 100, item 0 (first given on line 13;");
    }

    @Test
    void lastKeepsTheFirstPositionWithTheLastValue() {
        // (0, 5) at positions 0, 2, 4; (2, 1) at 3 and 6
        int[] u = {0, 1, 0, 2, 0, 3, 2};
        int[] i = {5, 5, 5, 1, 5, 0, 1};
        float[] v = {1, 2, 3, 4, 5, 6, 7};
        Out last = run(u, i, v, DuplicatePolicy.LAST);
        assertThat(last.n()).isEqualTo(4);
        assertThat(last.dump()).isEqualTo("0:5=5.0 1:5=2.0 2:1=7.0 3:0=6.0");
        Out mean = run(u, i, v, DuplicatePolicy.MEAN);
        assertThat(mean.dump()).isEqualTo("0:5=3.0 1:5=2.0 2:1=5.5 3:0=6.0");
    }

    @Test
    void groupsOfEveryKindAndOrder() {
        // keys in sorted order: (0,0)x2, (0,1)x1, (1,1)x3, (2,0)x2; given shuffled
        int[] u = {1, 2, 0, 1, 0, 2, 1, 0};
        int[] i = {1, 0, 0, 1, 1, 0, 1, 0};
        float[] v = {1, 2, 3, 4, 5, 6, 7, 8};
        assertThat(run(u, i, v, DuplicatePolicy.LAST).dump()).isEqualTo("1:1=7.0 2:0=6.0 0:0=8.0 0:1=5.0");
        assertThat(run(u, i, v, DuplicatePolicy.MEAN).dump()).isEqualTo("1:1=4.0 2:0=4.0 0:0=5.5 0:1=5.0");
        // two adjacent groups of two in sorted order
        assertThat(run(new int[] {0, 0, 1, 1}, new int[] {2, 2, 3, 3}, new float[] {1, 2, 3, 4},
                DuplicatePolicy.MEAN).dump()).isEqualTo("0:2=1.5 1:3=3.5");
        // mean in double: 0.1 + 0.2 + 0.3 (floats) over 3
        Out m = run(new int[] {0, 0, 0}, new int[] {1, 1, 1}, new float[] {0.1f, 0.2f, 0.3f}, DuplicatePolicy.MEAN);
        assertThat(m.n()).isEqualTo(1);
        assertThat(m.v()[0]).isEqualTo((float) (((double) 0.1f + 0.2f + 0.3f) / 3));
        // the tail past the new size is not a rating any more, the head is compacted in place
        assertThat(Arrays.copyOf(run(u, i, v, DuplicatePolicy.LAST).u(), 4)).containsExactly(1, 2, 0, 0);
    }

    @Test
    void usersGivenInOneRunEachWithItemsInAnyOrder() {
        for (DuplicatePolicy p : DuplicatePolicy.values()) {
            // grouped by user (users 2, 0, 3), items unsorted: no repeat
            assertThat(run(new int[] {2, 2, 2, 0, 0, 3}, new int[] {7, 1, 4, 4, 9, 4}, new float[] {1, 2, 3, 4, 5, 6}, p)
                    .dump()).isEqualTo("2:7=1.0 2:1=2.0 2:4=3.0 0:4=4.0 0:9=5.0 3:4=6.0");
        }
        // a repeat inside one user's run, not adjacent
        assertThatThrownBy(() -> run(new int[] {2, 2, 2, 0}, new int[] {7, 1, 7, 4}, new float[] {1, 2, 3, 4},
                DuplicatePolicy.ERROR)).hasMessageStartingWith("f.csv:16: duplicate rating for user 102, item 7 (first given on line 10;");
        // user 0 comes back after user 1: the repeat spans its two runs
        assertThatThrownBy(() -> run(new int[] {0, 0, 1, 0}, new int[] {5, 6, 5, 6}, new float[] {1, 2, 3, 4},
                DuplicatePolicy.ERROR)).hasMessageStartingWith("f.csv:19: duplicate rating for user 100, item 6 (first given on line 13;");
        assertThat(run(new int[] {0, 0, 1, 0}, new int[] {5, 6, 5, 7}, new float[] {1, 2, 3, 4}, DuplicatePolicy.ERROR).n())
                .isEqualTo(4);
    }

    @Test
    void randomArraysAgreeWithASetOfPairs() {
        java.util.Random rnd = new java.util.Random(3);
        for (int t = 0; t < 2000; t++) {
            int n = rnd.nextInt(30);
            int numItems = 1 + rnd.nextInt(10);
            int[] u = new int[n];
            int[] i = new int[n];
            float[] v = new float[n];
            int user = rnd.nextInt(4);
            java.util.Set<Long> pairs = new java.util.HashSet<>();
            boolean repeat = false;
            for (int p = 0; p < n; p++) {
                if (rnd.nextInt(4) == 0) {
                    user = rnd.nextInt(4);
                }
                u[p] = user;
                i[p] = rnd.nextInt(numItems);
                v[p] = p;
                repeat |= !pairs.add(u[p] * 100L + i[p]);
            }
            boolean failed = false;
            try {
                assertThat(run(u, i, v, numItems, DuplicatePolicy.ERROR, IdMap.identity(numItems)).n()).isEqualTo(n);
            } catch (DataFormatException e) {
                failed = true;
            }
            assertThat(failed).as("try %d: %s / %s", t, Arrays.toString(u), Arrays.toString(i)).isEqualTo(repeat);
        }
    }
}
