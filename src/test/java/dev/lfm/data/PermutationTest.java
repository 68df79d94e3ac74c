package dev.lfm.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The documented shuffle (Fisher–Yates from the last position down, {@code rnd.nextInt(j + 1)} for
 * position j) written out here from its specification, plus the properties of a fair shuffle.
 */
class PermutationTest {
    /** The specification of {@link Permutation}, independent of its code. */
    private static int[] specShuffle(int[] a, SplittableRandom rnd) {
        int[] b = a.clone();
        for (int j = b.length - 1; j >= 1; j--) {
            int s = rnd.nextInt(j + 1);
            int t = b[j];
            b[j] = b[s];
            b[s] = t;
        }
        return b;
    }

    private static int[] identity(int n) {
        int[] a = new int[n];
        for (int j = 0; j < n; j++) {
            a[j] = j;
        }
        return a;
    }

    @Test
    void seededIsTheSpecifiedFisherYates() {
        for (int n : new int[] {0, 1, 2, 3, 10, 1000}) {
            assertThat(Permutation.seeded(n, 77)).isEqualTo(specShuffle(identity(n), new SplittableRandom(77)));
            int[] into = new int[n];
            Arrays.fill(into, -5);
            Permutation.seededInto(into, 77);
            assertThat(into).isEqualTo(Permutation.seeded(n, 77));
        }
        assertThat(Permutation.seeded(1000, 77)).isNotEqualTo(Permutation.seeded(1000, 78));
        assertThat(Permutation.seeded(1000, 77)).isNotEqualTo(identity(1000));
        int[] sorted = Permutation.seeded(1000, 77);
        Arrays.sort(sorted);
        assertThat(sorted).isEqualTo(identity(1000));
    }

    @Test
    void randomDrawsFromAndAdvancesTheGivenStream() {
        SplittableRandom a = new SplittableRandom(5);
        SplittableRandom b = new SplittableRandom(5);
        int[] p = Permutation.random(50, a);
        assertThat(p).isEqualTo(specShuffle(identity(50), b));
        // exactly n - 1 draws were taken
        assertThat(a.nextLong()).isEqualTo(b.nextLong());
        SplittableRandom c = new SplittableRandom(5);
        int[] ints = identity(50);
        Permutation.shuffle(ints, c);
        assertThat(ints).isEqualTo(p);
        byte[] bytes = new byte[50];
        for (int j = 0; j < 50; j++) {
            bytes[j] = (byte) j;
        }
        Permutation.shuffle(bytes, new SplittableRandom(5));
        for (int j = 0; j < 50; j++) {
            assertThat((int) bytes[j]).isEqualTo(p[j]);
        }
    }

    @Test
    void aRangeShufflesOnlyThatRange() {
        int[] a = identity(20);
        SplittableRandom rnd = new SplittableRandom(3);
        Permutation.shuffle(5, 12, rnd, (x, y) -> {
            int t = a[x];
            a[x] = a[y];
            a[y] = t;
        });
        int[] mid = specShuffle(new int[] {5, 6, 7, 8, 9, 10, 11}, new SplittableRandom(3));
        for (int j = 0; j < 20; j++) {
            assertThat(a[j]).isEqualTo(j < 5 || j >= 12 ? j : mid[j - 5]);
        }
        // 6 draws for 7 positions, none for an empty or single range
        SplittableRandom ref = new SplittableRandom(3);
        for (int j = 6; j >= 1; j--) {
            ref.nextInt(j + 1);
        }
        assertThat(rnd.nextLong()).isEqualTo(ref.nextLong());
        SplittableRandom none = new SplittableRandom(9);
        Permutation.shuffle(4, 5, none, (x, y) -> {
            throw new AssertionError("no swap");
        });
        assertThat(none.nextLong()).isEqualTo(new SplittableRandom(9).nextLong());
    }

    @Test
    void everyOrderOfThreeIsEquallyLikely() {
        Map<String, Integer> seen = new HashMap<>();
        for (long seed = 0; seed < 6000; seed++) {
            seen.merge(Arrays.toString(Permutation.seeded(3, seed)), 1, Integer::sum);
        }
        assertThat(seen).hasSize(6);
        assertThat(seen.values()).allSatisfy(c -> assertThat(c).isBetween(880, 1120));
    }
}
