package dev.lfm.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TableTest {
    @TempDir
    Path dir;

    @Test
    void csvQuotesAndRoundTripsDoubles() throws Exception {
        Table t = new Table("name", "x", "flag");
        double x = 0.1 + 0.2;
        t.add("a, \"quoted\" one", x, 1);
        t.add("nan", Double.NaN, null);
        Path p = t.writeCsv(dir.resolve("t.csv"));
        List<String> lines = Files.readAllLines(p);
        assertThat(lines).containsExactly("name,x,flag", "\"a, \"\"quoted\"\" one\"," + x + ",1", "nan,NaN,");
        assertThat(Double.parseDouble(lines.get(1).split(",")[2])).isEqualTo(x);
        try (var files = Files.list(dir)) {
            assertThat(files).as("no temporary file left behind").containsExactly(p);
        }
    }

    @Test
    void consoleTableAlignsAndElides() {
        Table t = new Table("k", "rmse");
        for (int j = 0; j < 30; j++) {
            t.add(j, 1.0 / (j + 1));
        }
        String s = t.render(6);
        String[] lines = s.split("\n");
        assertThat(lines).hasSize(2 + 6 + 1);
        assertThat(s).contains("... 24 more rows ...").contains("0.5000").doesNotContain("0.08333");
        assertThat(lines[0].length()).isEqualTo(lines[2].length());
    }

    @Test
    void rowWidthMustMatch() {
        Table t = new Table("a", "b");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> t.add(1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
