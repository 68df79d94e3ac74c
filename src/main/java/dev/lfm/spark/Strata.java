package dev.lfm.spark;

import dev.lfm.data.Permutation;
import java.util.SplittableRandom;

/**
 * The DSGD schedule of one epoch: p sub-epochs, sub-epoch d pairing user block b with item block
 * {@code label[(b + shift[d]) mod p]} for seeded permutations shift and label. Each stratum is a
 * permutation (its p blocks share no user block and no item block, hence no user and no item), and
 * over the p sub-epochs every one of the p² blocks is visited exactly once.
 */
public final class Strata {
    private Strata() {
    }

    /** schedule[d][b] = the item block paired with user block b in sub-epoch d. */
    public static int[][] schedule(int p, long epochSeed) {
        SplittableRandom rnd = new SplittableRandom(epochSeed ^ 0x5851F42D4C957F2DL);
        int[] shift = Permutation.random(p, rnd);
        int[] label = Permutation.random(p, rnd);
        int[][] s = new int[p][p];
        for (int d = 0; d < p; d++) {
            for (int b = 0; b < p; b++) {
                s[d][b] = label[(b + shift[d]) % p];
            }
        }
        return s;
    }

    /** inverse[j] = the user block paired with item block j in {@code stratum}. */
    static int[] inverse(int[] stratum) {
        int[] inv = new int[stratum.length];
        for (int b = 0; b < stratum.length; b++) {
            inv[stratum[b]] = b;
        }
        return inv;
    }

    /** The seed of epoch {@code epoch}: {@link dev.lfm.train.Trainer#mix}, the single-machine trainer's. */
    static long epochSeed(long seed, long epoch) {
        return dev.lfm.train.Trainer.mix(seed, epoch);
    }

    /**
     * The seed of block (b, j)'s SGD layout, fixed for the run like the single-machine layout
     * (built once from the first epoch's seed); for p = 1 it is exactly that seed.
     */
    static long planSeed(long seed, int p, int b, int j) {
        return epochSeed(seed, 1) + (long) (b * p + j) * 0x9E3779B97F4A7C15L;
    }
}
