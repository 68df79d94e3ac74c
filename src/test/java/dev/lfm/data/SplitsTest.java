package dev.lfm.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SplitsTest {
    /** n ratings with distinct (user, item) pairs and the position encoded in the value. */
    private static Ratings ratings(int n) {
        int[] u = new int[n];
        int[] i = new int[n];
        float[] v = new float[n];
        for (int j = 0; j < n; j++) {
            u[j] = j % 97;
            i[j] = j / 97;
            v[j] = j;
        }
        return new Ratings(97, n / 97 + 1, u, i, v, n, IdMap.identity(97), IdMap.identity(n / 97 + 1), 0, n);
    }

    private static Set<Float> values(Ratings r) {
        Set<Float> s = new HashSet<>();
        for (int j = 0; j < r.size(); j++) {
            s.add(r.value(j));
            assertThat(r.user(j)).isEqualTo((int) r.value(j) % 97);
            assertThat(r.item(j)).isEqualTo((int) r.value(j) / 97);
        }
        return s;
    }

    @Test
    void fractionsAreExactAndPartsDisjoint() {
        Ratings r = ratings(10_000);
        Split s = Splits.random(r, 0.2, 0.1, 42);
        assertThat(s.test().size()).isEqualTo(2000);
        assertThat(s.validation().size()).isEqualTo(800);
        assertThat(s.train().size()).isEqualTo(7200);
        Set<Float> all = new HashSet<>(values(s.train()));
        all.addAll(values(s.validation()));
        all.addAll(values(s.test()));
        assertThat(all).hasSize(10_000);
        assertThat(s.train().numUsers()).isEqualTo(97);
        assertThat(s.test().userIds()).isSameAs(r.userIds());
        for (Ratings part : new Ratings[] {s.train(), s.validation(), s.test()}) {
            for (int j = 1; j < part.size(); j++) {
                assertThat(part.value(j)).isGreaterThan(part.value(j - 1));
            }
        }
    }

    @Test
    void noTestAndNoValidationTrainsOnEveryRatingInOrder() {
        Ratings r = ratings(1000);
        Split s = Splits.random(r, 0, 0, 42);
        assertThat(s.train().size()).isEqualTo(1000);
        assertThat(s.validation().size()).isZero();
        assertThat(s.test().size()).isZero();
        for (int j = 0; j < 1000; j++) {
            assertThat(s.train().value(j)).isEqualTo(j);
        }
        for (Ratings part : new Ratings[] {s.train(), s.validation(), s.test()}) {
            assertThat(part.numUsers()).isEqualTo(97);
            assertThat(part.numItems()).isEqualTo(r.numItems());
            assertThat(part.itemIds()).isSameAs(r.itemIds());
            assertThat(part.maxRating()).isEqualTo(1000);
        }
        // a split that rounds to nothing is the same
        assertThat(Splits.random(r, 0.0001, 0.0001, 42).train().size()).isEqualTo(1000);
    }

    @Test
    void sameSeedSameSplitOtherSeedOtherSplit() {
        Ratings r = ratings(5000);
        Split a = Splits.random(r, 0.25, 0.1, 7);
        Split b = Splits.random(r, 0.25, 0.1, 7);
        Split c = Splits.random(r, 0.25, 0.1, 8);
        assertThat(java.util.Arrays.copyOf(a.test().values(), a.test().size()))
                .isEqualTo(java.util.Arrays.copyOf(b.test().values(), b.test().size()));
        assertThat(java.util.Arrays.copyOf(a.validation().values(), a.validation().size()))
                .isEqualTo(java.util.Arrays.copyOf(b.validation().values(), b.validation().size()));
        assertThat(java.util.Arrays.copyOf(a.test().values(), a.test().size()))
                .isNotEqualTo(java.util.Arrays.copyOf(c.test().values(), c.test().size()));
    }

    @Test
    void defaultsAndNoValidation() {
        Split s = Splits.random(ratings(1000), 1);
        assertThat(s.test().size()).isEqualTo(200);
        assertThat(s.hasValidation()).isFalse();
        assertThatThrownBy(() -> Splits.random(ratings(10), 1.0, 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Splits.random(ratings(10), 0.2, -0.1, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void fromSeparateFiles(@TempDir Path dir) throws IOException {
        Path train = Files.writeString(dir.resolve("u1.base"), "1\t10\t3\t0\n1\t11\t4\t0\n2\t10\t5\t0\n2\t12\t1\t0\n");
        Path test = Files.writeString(dir.resolve("u1.test"), "3\t10\t2\t0\n1\t13\t0.5\t0\n");
        Split s = Splits.fromFiles(train, test, ReadOptions.defaults(), 0.25, 3);
        assertThat(s.numUsers()).isEqualTo(3);
        assertThat(s.numItems()).isEqualTo(4);
        assertThat(s.train().size()).isEqualTo(3);
        assertThat(s.validation().size()).isEqualTo(1);
        assertThat(s.test().size()).isEqualTo(2);
        assertThat(s.train().minRating()).isEqualTo(0.5f);
        assertThat(s.test().item(0)).isEqualTo(0);
        assertThat(s.test().userIds().externalId(s.test().user(0))).isEqualTo(3);
    }
}
