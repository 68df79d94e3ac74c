package dev.lfm.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lfm.LfmException;
import dev.lfm.data.IdMap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link FactorModel} and the parts of {@link ModelIO} not covered by ModelIOTest, against hand-computed values. */
class FactorModelTest {
    @TempDir
    Path dir;

    /** μ = 3, b_u = (0.5, -1), b_i = (-0.25, 2), p_0 = (1, 2), p_1 = (-1, 0.5), q_0 = (0.5, -1), q_1 = (2, 2); scale [1, 5]. */
    static FactorModel handModel(boolean biases) {
        FactorModel m = new FactorModel(2, 2, 2, biases);
        m.mu = 3;
        m.userBias[0] = 0.5f;
        m.userBias[1] = -1;
        m.itemBias[0] = -0.25f;
        m.itemBias[1] = 2;
        System.arraycopy(new float[] {1, 2, -1, 0.5f}, 0, m.p, 0, 4);
        System.arraycopy(new float[] {0.5f, -1, 2, 2}, 0, m.q, 0, 4);
        m.minRating = 1;
        m.maxRating = 5;
        return m;
    }

    @Test
    void predictionsAreMuPlusBiasesPlusTheDotProductClippedToTheScale() {
        FactorModel m = handModel(true);
        // (0,0): 3 + 0.5 - 0.25 + (0.5 - 2) = 1.75
        assertThat(m.predictRaw(0, 0)).isEqualTo(1.75f);
        assertThat(m.predict(0, 0)).isEqualTo(1.75f);
        // (0,1): 3 + 0.5 + 2 + (2 + 4) = 11.5 -> clipped to 5
        assertThat(m.predictRaw(0, 1)).isEqualTo(11.5f);
        assertThat(m.predict(0, 1)).isEqualTo(5f);
        // (1,0): 3 - 1 - 0.25 + (-0.5 - 0.5) = 0.75 -> clipped to 1
        assertThat(m.predictRaw(1, 0)).isEqualTo(0.75f);
        assertThat(m.predict(1, 0)).isEqualTo(1f);
        // (1,1): 3 - 1 + 2 + (-2 + 1) = 3
        assertThat(m.predict(1, 1)).isEqualTo(3f);
        FactorModel nb = handModel(false);
        // without biases the stored biases are ignored: (0,0): 3 + (0.5 - 2) = 1.5
        assertThat(nb.predictRaw(0, 0)).isEqualTo(1.5f);
        assertThat(nb.predict(1, 1)).isEqualTo(2f);
    }

    @Test
    void initializationIsSeededScaledAndLeavesRowsWithoutRatingsAtZero() {
        FactorModel m = new FactorModel(400, 300, 5, true);
        int[] users = new int[400];
        int[] items = new int[300];
        java.util.Arrays.fill(users, 1);
        java.util.Arrays.fill(items, 2);
        users[7] = 0;
        items[299] = 0;
        m.initialize(3, 0.2, users, items);
        for (int c = 0; c < 5; c++) {
            assertThat(m.p[7 * 5 + c]).isZero();
            assertThat(m.q[299 * 5 + c]).isZero();
        }
        double sq = 0;
        int nonZero = 0;
        for (float x : m.p) {
            sq += x * x;
            nonZero += x != 0 ? 1 : 0;
        }
        assertThat(nonZero).isEqualTo(399 * 5);
        assertThat(Math.sqrt(sq / nonZero)).isBetween(0.19, 0.21);
        assertThat(m.userBias).containsOnly(0f);
        double sqq = 0;
        for (float x : m.q) {
            sqq += x * x;
        }
        assertThat(Math.sqrt(sqq / (299 * 5))).isBetween(0.18, 0.22);
        FactorModel again = new FactorModel(400, 300, 5, true);
        again.initialize(3, 0.2, users, items);
        assertThat(again.p).isEqualTo(m.p);
        assertThat(again.q).isEqualTo(m.q);
        assertThat(again.q).isNotEqualTo(again.p.length == again.q.length ? again.p : new float[0]);
        FactorModel other = new FactorModel(400, 300, 5, true);
        other.initialize(4, 0.2, null, null);
        assertThat(other.p).isNotEqualTo(m.p);
        assertThat(other.p[7 * 5]).as("null counts: every row is active").isNotZero();
    }

    @Test
    void copiesAreDeepAndShapesMustMatch() {
        FactorModel m = handModel(true);
        m.userIds = IdMap.identity(2);
        m.provenance.put("a", "b");
        FactorModel c = m.copy();
        assertThat(c.p).containsExactly(1, 2, -1, 0.5f);
        assertThat(c.q).containsExactly(0.5f, -1, 2, 2);
        assertThat(c.userBias).containsExactly(0.5f, -1);
        assertThat(c.itemBias).containsExactly(-0.25f, 2);
        c.p[0] = 99;
        c.userBias[0] = 99;
        c.itemBias[0] = 99;
        c.q[0] = 99;
        assertThat(m.p[0]).isEqualTo(1f);
        assertThat(m.q[0]).isEqualTo(0.5f);
        assertThat(m.userBias[0]).isEqualTo(0.5f);
        assertThat(m.itemBias[0]).isEqualTo(-0.25f);
        assertThat(c.mu).isEqualTo(3f);
        assertThat(c.minRating).isEqualTo(1f);
        assertThat(c.maxRating).isEqualTo(5f);
        assertThat(c.userIds).isSameAs(m.userIds);
        assertThat(c.provenance).containsEntry("a", "b");
        assertThat(c.biases).isTrue();
        assertThatThrownBy(() -> m.copyInto(new FactorModel(2, 2, 3, true))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> m.copyInto(new FactorModel(3, 2, 2, true))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> m.copyInto(new FactorModel(2, 3, 2, true))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shapesThatCannotBeHeldAreOneLine() {
        assertThatThrownBy(() -> new FactorModel(2, 2, 0, true)).isInstanceOf(LfmException.class)
                .hasMessage("rank must be >= 1 (got 0)");
        assertThatThrownBy(() -> new FactorModel(1 << 20, 10, 4096, true)).isInstanceOf(LfmException.class)
                .hasMessage("rank 4096 x 1048576 rows needs 4294967296 floats per factor matrix, more than a Java array "
                        + "holds (2^31): lower --rank");
        assertThatThrownBy(() -> new FactorModel(10, 1 << 20, 4096, true)).hasMessageContaining("lower --rank");
        // exactly the largest array a JVM gives: 2^31 - 9 floats is accepted by the shape check
        assertThat(new FactorModel(0, 0, 1, false).p).isEmpty();
    }

    @Test
    void nonFiniteParametersAreRefusedOnLoadWhereverTheyAre() throws IOException {
        Path f = dir.resolve("m.lfm");
        String[] where = {"p", "q", "bu", "bi", "min", "max", "order"};
        for (String w : where) {
            FactorModel m = handModel(true);
            switch (w) {
                case "p" -> m.p[3] = Float.NaN;
                case "q" -> m.q[2] = Float.NEGATIVE_INFINITY;
                case "bu" -> m.userBias[1] = Float.NaN;
                case "bi" -> m.itemBias[1] = Float.POSITIVE_INFINITY;
                case "min" -> m.minRating = Float.NaN;
                case "max" -> m.maxRating = Float.POSITIVE_INFINITY;
                default -> {
                    m.minRating = 5;
                    m.maxRating = 1;
                }
            }
            ModelIO.save(m, f);
            String expected = switch (w) {
                case "p" -> "P (user factors) hold NaN at user row 1";
                case "q" -> "Q (item factors) hold -Infinity at item row 1";
                case "bu" -> "user biases hold NaN at user row 1";
                case "bi" -> "item biases hold Infinity at item row 1";
                case "min" -> "bad rating scale [NaN, 5.0]";
                case "max" -> "bad rating scale [1.0, Infinity]";
                default -> "bad rating scale [5.0, 1.0]";
            };
            assertThatThrownBy(() -> ModelIO.load(f)).as(w).isInstanceOf(LfmException.class)
                    .hasMessageStartingWith(f + ": corrupt lfm model file (" + expected);
        }
        // biases are not checked in a model without biases (they are not even stored)
        FactorModel nb = handModel(false);
        nb.userBias[0] = Float.NaN;
        ModelIO.save(nb, f);
        assertThat(ModelIO.load(f).predictRaw(0, 0)).isEqualTo(1.5f);
        FactorModel flat = handModel(true);
        flat.minRating = 3;
        flat.maxRating = 3;
        ModelIO.save(flat, f);
        assertThat(ModelIO.load(f).predict(0, 1)).isEqualTo(3f);
    }

    @Test
    void trailingBytesAreRefusedAlsoWhenTheChecksumEndsExactlyAtAReadBufferBoundary() throws IOException {
        // every field 4-byte aligned and the file exactly 2 x 64 KiB, so the reader's buffer is empty after
        // the checksum and it must read on to see the extra byte
        FactorModel m = new FactorModel(1000, 23, 31, true);
        m.initialize(1, 0.1, null, null);
        m.userIds = IdMap.identity(1000);
        m.itemIds = IdMap.identity(23);
        m.minRating = -1;
        m.maxRating = 1;
        m.provenance.put("kkkk", "v".repeat(64));
        Path f = dir.resolve("aligned.lfm");
        ModelIO.save(m, f);
        assertThat(Files.size(f)).isEqualTo(2 * 65536);
        assertThat(ModelIO.load(f).p).isEqualTo(m.p);
        Files.write(f, new byte[] {0}, StandardOpenOption.APPEND);
        assertThatThrownBy(() -> ModelIO.load(f)).isInstanceOf(LfmException.class)
                .hasMessage(f + ": corrupt lfm model file (unexpected bytes after the checksum)");
        ModelIO.save(m, f);
        Files.write(f, new byte[70_000], StandardOpenOption.APPEND);
        assertThatThrownBy(() -> ModelIO.load(f)).hasMessage(f + ": corrupt lfm model file (unexpected bytes after the checksum)");
    }

    private byte[] bytes(FactorModel m) throws IOException {
        Path f = dir.resolve("tmp-" + System.nanoTime() + ".lfm");
        ModelIO.save(m, f);
        byte[] b = Files.readAllBytes(f);
        Files.delete(f);
        return b;
    }

    private static void putInt(byte[] b, int at, int v) {
        java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(at, v);
    }

    private String loadError(byte[] b) throws IOException {
        Path f = Files.write(dir.resolve("crafted.lfm"), b);
        try {
            ModelIO.load(f);
            return "loaded";
        } catch (LfmException e) {
            return e.getMessage().substring(f.toString().length() + 2);
        }
    }

    @Test
    void aShapeLargerThanTheFileIsTruncatedBeforeAnythingIsAllocated() throws IOException {
        byte[] b = bytes(ModelIOTest.fixtureModel()); // biases, 3 x 4 x 2
        int size = b.length;
        // rank 2 with biases: 4·(U·2 + I·2 + U + I) = 12·(U + I) bytes of parameters; just over the file's size
        int sum = size / 12 + 1;
        putInt(b, 12, sum - 5);
        putInt(b, 16, 5);
        assertThat(loadError(b)).isEqualTo("not a complete lfm model file (truncated: " + (sum - 5) + " x 5 x 2 needs more than "
                + size + " bytes)");
        // exactly as large as the file: not refused by this check (what follows fails on its own)
        byte[] exact = java.util.Arrays.copyOf(b, 12 * (size / 12 + 1));
        putInt(exact, 12, exact.length / 12 - 5);
        assertThat(loadError(exact)).doesNotContain("needs more than");
        // the largest shape a Java array holds passes the shape check (and is then truncated); one more is "bad shape"
        byte[] big = bytes(ModelIOTest.fixtureModel());
        putInt(big, 20, 1);
        putInt(big, 12, Integer.MAX_VALUE - 8);
        assertThat(loadError(big)).startsWith("not a complete lfm model file (truncated: 2147483639 x 4 x 1");
        putInt(big, 12, Integer.MAX_VALUE - 7);
        assertThat(loadError(big)).isEqualTo("corrupt lfm model file (bad shape 2147483640 x 4 x 1)");
        putInt(big, 12, 3);
        putInt(big, 16, Integer.MAX_VALUE - 8);
        assertThat(loadError(big)).startsWith("not a complete lfm model file (truncated: 3 x 2147483639 x 1");
        putInt(big, 16, Integer.MAX_VALUE - 7);
        assertThat(loadError(big)).isEqualTo("corrupt lfm model file (bad shape 3 x 2147483640 x 1)");
        putInt(big, 16, 4);
        putInt(big, 20, 1 << 16);
        assertThat(loadError(big)).startsWith("not a complete lfm model file (truncated: 3 x 4 x 65536");
        putInt(big, 20, (1 << 16) + 1);
        assertThat(loadError(big)).isEqualTo("corrupt lfm model file (bad shape 3 x 4 x 65537)");
        putInt(big, 20, 0);
        assertThat(loadError(big)).isEqualTo("corrupt lfm model file (bad shape 3 x 4 x 0)");
        putInt(big, 20, 2);
        putInt(big, 12, -1);
        assertThat(loadError(big)).isEqualTo("corrupt lfm model file (bad shape -1 x 4 x 2)");
        putInt(big, 12, 1_200_000_000); // x rank 2 is past the largest array, though each side alone is not
        assertThat(loadError(big)).isEqualTo("corrupt lfm model file (bad shape 1200000000 x 4 x 2)");
        putInt(big, 12, 3);
        putInt(big, 16, 1_200_000_000);
        assertThat(loadError(big)).isEqualTo("corrupt lfm model file (bad shape 3 x 1200000000 x 2)");
        putInt(big, 16, -1);
        assertThat(loadError(big)).isEqualTo("corrupt lfm model file (bad shape 3 x -1 x 2)");
    }

    @Test
    void provenanceCountsAndStringLengthsAreBoundedByTheFileSize() throws IOException {
        FactorModel m = ModelIOTest.fixtureModel();
        m.userIds = IdMap.identity(3);
        byte[] b = bytes(m);
        int countAt = 36 + 4 + 4; // header, user id kind, item id kind
        putInt(b, countAt, b.length / 8 + 1);
        assertThat(loadError(b)).isEqualTo("corrupt lfm model file (bad provenance count " + (b.length / 8 + 1) + ")");
        putInt(b, countAt, b.length / 8);
        assertThat(loadError(b)).doesNotContain("bad provenance count");
        putInt(b, countAt, -1);
        assertThat(loadError(b)).isEqualTo("corrupt lfm model file (bad provenance count -1)");
        byte[] s = bytes(m);
        putInt(s, countAt + 4, s.length + 1);
        assertThat(loadError(s)).isEqualTo("corrupt lfm model file (bad string length " + (s.length + 1) + ")");
        putInt(s, countAt + 4, s.length);
        assertThat(loadError(s)).isEqualTo("not a complete lfm model file (truncated)");
        putInt(s, countAt + 4, -2);
        assertThat(loadError(s)).isEqualTo("corrupt lfm model file (bad string length -2)");
        assertThat(loadError(java.util.Arrays.copyOf(bytes(m), 30))).isEqualTo("not a complete lfm model file (truncated: 3 x 4 x 2 needs more than 30 bytes)");
        assertThat(loadError(java.util.Arrays.copyOf(bytes(m), 18))).isEqualTo("not a complete lfm model file (truncated)");
        Path dirAsModel = Files.createDirectory(dir.resolve("d.lfm"));
        assertThatThrownBy(() -> ModelIO.load(dirAsModel)).hasMessage(dirAsModel + ": is a directory, not a model file");
    }

    @Test
    void everyAlignmentOfStringsAgainstTheBufferRoundTrips() throws IOException {
        // a provenance value near the 64 KiB buffer size, lengthened one byte at a time, moves every later field
        // (lengths, floats, the checksum) across a buffer boundary at every offset
        Path f = dir.resolve("a.lfm");
        for (int extra = 0; extra < 12; extra++) {
            FactorModel m = handModel(true);
            m.provenance.put("k", "x".repeat(65_470 + extra));
            m.provenance.put("second", "y".repeat(extra));
            ModelIO.save(m, f);
            FactorModel back = ModelIO.load(f);
            assertThat(back.p).isEqualTo(m.p);
            assertThat(back.itemBias).isEqualTo(m.itemBias);
            assertThat(back.provenance).isEqualTo(m.provenance);
            assertThat(back.mu).isEqualTo(3f);
            assertThat(back.maxRating).isEqualTo(5f);
        }
    }

    @Test
    void modelsWithoutUsersOrItemsRoundTrip() throws IOException {
        Path f = dir.resolve("empty.lfm");
        for (int[] shape : new int[][] {{0, 4}, {3, 0}, {0, 0}}) {
            FactorModel m = new FactorModel(shape[0], shape[1], 2, true);
            m.mu = 2;
            m.minRating = 1;
            m.maxRating = 5;
            ModelIO.save(m, f);
            FactorModel back = ModelIO.load(f);
            assertThat(back.numUsers).isEqualTo(shape[0]);
            assertThat(back.numItems).isEqualTo(shape[1]);
            assertThat(back.mu).isEqualTo(2f);
        }
    }
}
