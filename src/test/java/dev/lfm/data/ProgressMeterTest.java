package dev.lfm.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When the progress line appears, what it says, and that it is erased: on a hand-driven clock. */
class ProgressMeterTest {
    private static final long S = 1_000_000_000L;

    @TempDir
    Path dir;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private long now = 5 * S;

    private ProgressMeter meter(boolean on, long total) {
        return new ProgressMeter("reading r.txt", total, true, on, out, () -> now);
    }

    private String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void nothingDuringTheFirstTwoSecondsThenOneLineRewrittenInPlace() {
        ProgressMeter m = meter(true, 100_000_000);
        m.add(10_000_000);
        now += 1_999_999_999L;
        m.add(10_000_000);
        assertThat(printed()).isEmpty();
        now += 1;
        m.add(20_000_000); // 40 MB in 2 s
        assertThat(printed()).isEqualTo("\rreading r.txt: 40.0 of 100.0 MB, 20.0 MB/s, 3 s left");
        now += ProgressMeter.INTERVAL_NANOS - 1;
        m.add(1);
        assertThat(printed()).doesNotContain("\n").hasSize("\rreading r.txt: 40.0 of 100.0 MB, 20.0 MB/s, 3 s left".length());
        now += 1;
        m.add(9_999_999); // 50 MB at 2.25 s: a shorter line, padded over the longer one's tail
        String first = "reading r.txt: 40.0 of 100.0 MB, 20.0 MB/s, 3 s left";
        String second = "reading r.txt: 50.0 of 100.0 MB, 22.2 MB/s, 3 s left";
        assertThat(printed()).isEqualTo("\r" + first + "\r" + second);
        now += ProgressMeter.INTERVAL_NANOS;
        m.add(50_000_000); // done: no time left, shorter
        String third = "reading r.txt: 100.0 of 100.0 MB, 40.0 MB/s";
        String padded = third + " ".repeat(first.length() - third.length());
        assertThat(printed()).isEqualTo("\r" + first + "\r" + second + "\r" + padded);
        int before = printed().length();
        m.close();
        String erase = printed().substring(before);
        assertThat(erase).as("the widest line's columns").isEqualTo("\r" + " ".repeat(first.length()) + "\r");
        now += 10 * S;
        m.add(1);
        assertThat(printed().length()).as("nothing after close").isEqualTo(before + erase.length());
    }

    @Test
    void offPrintsNothingAndAQuickStepErasesNothing() {
        ProgressMeter off = meter(false, 100);
        now += 60 * S;
        off.add(50);
        off.close();
        assertThat(printed()).isEmpty();
        assertThat(off.done()).isEqualTo(50);
        ProgressMeter quick = meter(true, 100);
        quick.add(100);
        quick.close();
        assertThat(printed()).isEmpty();
    }

    @Test
    void unknownTotalsAndCounts() {
        assertThat(ProgressMeter.text("reading <stdin>", 3_000_000, -1, true, 2 * S))
                .isEqualTo("reading <stdin>: 3.0 MB, 1.5 MB/s");
        assertThat(ProgressMeter.text("building the SGD plan", 2_000_000, 8_000_000, false, S))
                .isEqualTo("building the SGD plan: 2,000,000 of 8,000,000, 2.0M/s, 3 s left");
        assertThat(ProgressMeter.text("x", 10, 10, true, S)).as("done: no time left").doesNotContain("left");
    }

    @Test
    void aFailedReadErasesItsLineBeforeTheErrorSurfaces() throws Exception {
        assertThat(ProgressMeter.enabled()).as("off by default (library use, tests)").isFalse();
        StringBuilder sb = new StringBuilder();
        for (int j = 0; j < 200_000; j++) {
            sb.append(j).append(' ').append(j % 7).append(" 3\n");
        }
        sb.append("1 2 x\n");
        Path f = dir.resolve("bad.txt");
        Files.writeString(f, sb);
        // every clock reading moves a second on: the line shows from the second buffer read
        long[] clock = {0};
        assertThatThrownBy(() -> RatingsReader.read(f, ReadOptions.of(RatingFormat.LIBMF), new IdMap(), new IdMap(),
                size -> new ProgressMeter("reading bad.txt", size, true, true, out, () -> clock[0] += S)))
                .hasMessage(f + ":200001: rating 'x' is not a number");
        String p = printed();
        assertThat(p).startsWith("\rreading bad.txt: ").doesNotContain("\n");
        int last = p.lastIndexOf("\rreading");
        int width = p.indexOf('\r', last + 1) - last - 1;
        assertThat(p.substring(last + 1 + width)).as("erased").isEqualTo("\r" + " ".repeat(width) + "\r");
    }
}
