package dev.lfm.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lfm.LfmException;
import dev.lfm.data.IdMap;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class ModelIOTest {
    /** The checked-in format-v1 file under src/test/resources. */
    static final String FIXTURE = "/dev/lfm/model/format-v1.lfm";

    @TempDir
    Path dir;

    /**
     * The model stored in the fixture: 3 users (file ids 101, 7, 9e9) x 4 items (identity ids),
     * rank 2, biases, provenance with a non-ASCII value. Changing it changes the fixture.
     */
    public static FactorModel fixtureModel() {
        FactorModel m = new FactorModel(3, 4, 2, true);
        for (int j = 0; j < m.p.length; j++) {
            m.p[j] = 0.25f * (j + 1) - 0.5f;
        }
        for (int j = 0; j < m.q.length; j++) {
            m.q[j] = -0.125f * j + 1f / 3;
        }
        m.userBias[0] = 0.5f;
        m.userBias[2] = -0.75f;
        m.itemBias[1] = 0.1f;
        m.itemBias[3] = -1e-3f;
        m.mu = 3.5016f;
        m.minRating = 0.5f;
        m.maxRating = 5f;
        m.userIds = IdMap.of(new long[] {101, 7, 9_000_000_000L});
        m.itemIds = IdMap.identity(4);
        m.provenance.put("algorithm", "sgd");
        m.provenance.put("lambda", "0.05");
        m.provenance.put("data", "ratings-\u00e9t\u00e9.csv");
        return m;
    }

    private static void assertSameModel(FactorModel a, FactorModel b) {
        assertThat(a.numUsers).isEqualTo(b.numUsers);
        assertThat(a.numItems).isEqualTo(b.numItems);
        assertThat(a.rank).isEqualTo(b.rank);
        assertThat(a.biases).isEqualTo(b.biases);
        assertThat(a.p).isEqualTo(b.p);
        assertThat(a.q).isEqualTo(b.q);
        assertThat(a.userBias).isEqualTo(b.userBias);
        assertThat(a.itemBias).isEqualTo(b.itemBias);
        assertThat(a.mu).isEqualTo(b.mu);
        assertThat(a.minRating).isEqualTo(b.minRating);
        assertThat(a.maxRating).isEqualTo(b.maxRating);
        assertThat(a.userIds == null ? null : a.userIds.toArray()).isEqualTo(b.userIds == null ? null : b.userIds.toArray());
        assertThat(a.itemIds == null ? null : a.itemIds.toArray()).isEqualTo(b.itemIds == null ? null : b.itemIds.toArray());
        assertThat(a.provenance).containsExactlyEntriesOf(b.provenance);
    }

    private static byte[] fixtureBytes() throws IOException {
        try (InputStream in = ModelIOTest.class.getResourceAsStream(FIXTURE)) {
            assertThat(in).as("fixture " + FIXTURE).isNotNull();
            return in.readAllBytes();
        }
    }

    @Test
    void checkedInFormatV1FileLoadsAndIsWrittenByteForByte() throws IOException {
        byte[] fixture = fixtureBytes();
        Path f = dir.resolve("fixture.lfm");
        Files.write(f, fixture);
        assertSameModel(ModelIO.load(f), fixtureModel());
        Path again = dir.resolve("again.lfm");
        ModelIO.save(fixtureModel(), again);
        assertThat(Files.readAllBytes(again))
                .as("model format changed: bump ModelIO.VERSION, keep reading version 1, add a new fixture")
                .isEqualTo(fixture);
        ByteBuffer b = ByteBuffer.wrap(fixture).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(new String(fixture, 0, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("LFM1");
        assertThat(b.getInt(4)).isEqualTo(1);
        assertThat(b.getInt(12)).isEqualTo(3);
        assertThat(b.getFloat(24)).isEqualTo(3.5016f);
    }

    @Test
    void roundTripWithoutBiasesOrIdsAndPredictionsAgree() {
        FactorModel m = new FactorModel(50, 30, 5, false);
        m.initialize(9, 0.3, null, null);
        m.mu = 3;
        m.minRating = 1;
        m.maxRating = 5;
        Path f = dir.resolve("m.lfm");
        ModelIO.save(m, f);
        FactorModel back = ModelIO.load(f);
        assertSameModel(back, m);
        assertThat(back.userIds).isNull();
        assertThat(back.predict(7, 11)).isEqualTo(m.predict(7, 11));
        m.userIds = IdMap.identity(50);
        ModelIO.save(m, f);
        assertThat(ModelIO.load(f).userIds.isIdentity()).isTrue();
    }

    @Test
    void largeModelRoundTripCrossesBufferBoundaries() {
        FactorModel m = new FactorModel(20_000, 3000, 16, true);
        m.initialize(1, 0.1, null, null);
        m.userBias[19_999] = 2;
        m.userIds = IdMap.of(java.util.stream.LongStream.range(0, 20_000).map(x -> x * 3 + 1).toArray());
        m.provenance.put("long", "x".repeat(200_000));
        Path f = dir.resolve("big.lfm");
        ModelIO.save(m, f);
        assertSameModel(ModelIO.load(f), m);
    }

    @Test
    void saveIsAtomicAndLeavesNothingBehind() throws IOException {
        Path f = dir.resolve("model.lfm");
        ModelIO.save(fixtureModel(), f);
        FactorModel other = fixtureModel();
        other.mu = 1;
        ModelIO.save(other, f);
        assertThat(ModelIO.load(f).mu).isEqualTo(1f);
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly("model.lfm");
        }
        FactorModel bad = fixtureModel();
        bad.itemIds = IdMap.identity(3);
        assertThatThrownBy(() -> ModelIO.save(bad, f)).isInstanceOf(IllegalArgumentException.class);
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly("model.lfm");
        }
        assertThat(ModelIO.load(f).mu).isEqualTo(1f);
        Path nowhere = dir.resolve("missing-dir").resolve("m.lfm");
        assertThatThrownBy(() -> ModelIO.save(fixtureModel(), nowhere)).isInstanceOf(LfmException.class)
                .hasMessageStartingWith(nowhere + ": cannot write");
    }

    private Path withBytes(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    @Test
    void brokenFilesGiveOneLineMessagesNamingTheFile() throws IOException {
        byte[] good = fixtureBytes();
        Path missing = dir.resolve("none.lfm");
        assertThatThrownBy(() -> ModelIO.load(missing)).isInstanceOf(LfmException.class)
                .hasMessage(missing + ": no such file");

        byte[] magic = good.clone();
        magic[0] = 'X';
        Path m = withBytes("magic.lfm", magic);
        assertThatThrownBy(() -> ModelIO.load(m)).hasMessage(m + ": not an lfm model file (bad magic number)");

        byte[] future = good.clone();
        future[4] = 2;
        Path fu = withBytes("future.lfm", future);
        assertThatThrownBy(() -> ModelIO.load(fu))
                .hasMessage(fu + ": model format version 2 is newer than this lfm reads (1); use a newer lfm");

        for (int cut : List.of(0, 3, 10, 40, good.length / 2, good.length - 4, good.length - 1)) {
            Path t = withBytes("cut" + cut + ".lfm", Arrays.copyOf(good, cut));
            assertThatThrownBy(() -> ModelIO.load(t)).as("cut at " + cut).isInstanceOf(LfmException.class)
                    .hasMessageStartingWith(t + ": ")
                    .hasMessageMatching("(?s)[^\\n]*(truncated|corrupt|not an lfm)[^\\n]*");
        }

        byte[] flipped = good.clone();
        flipped[good.length - 20] ^= 0x10;
        Path fl = withBytes("flipped.lfm", flipped);
        assertThatThrownBy(() -> ModelIO.load(fl)).hasMessage(fl + ": corrupt lfm model file (checksum mismatch)");

        byte[] trailing = Arrays.copyOf(good, good.length + 1);
        Path tr = withBytes("trailing.lfm", trailing);
        assertThatThrownBy(() -> ModelIO.load(tr)).hasMessageContaining("corrupt lfm model file");

        byte[] huge = good.clone();
        ByteBuffer.wrap(huge).order(ByteOrder.LITTLE_ENDIAN).putInt(12, 1_500_000_000);
        Path hu = withBytes("huge.lfm", huge);
        assertThatThrownBy(() -> ModelIO.load(hu)).hasMessageContaining(hu + ": ").hasMessageContaining("bad shape");

        byte[] big = good.clone();
        ByteBuffer.wrap(big).order(ByteOrder.LITTLE_ENDIAN).putInt(12, 100_000);
        Path bi = withBytes("big.lfm", big);
        assertThatThrownBy(() -> ModelIO.load(bi)).hasMessageStartingWith(bi + ": not a complete lfm model file (truncated");

        assertThatThrownBy(() -> ModelIO.load(dir)).hasMessageContaining("is a directory");
    }

    @Test
    void provenanceMapSurvives() {
        FactorModel m = fixtureModel();
        m.provenance.put("empty", "");
        Path f = dir.resolve("p.lfm");
        ModelIO.save(m, f);
        assertThat(ModelIO.load(f).provenance).containsAllEntriesOf(Map.of("empty", "", "algorithm", "sgd"));
    }
}
