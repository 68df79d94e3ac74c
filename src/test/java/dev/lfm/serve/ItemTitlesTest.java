package dev.lfm.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lfm.LfmException;
import dev.lfm.TestData;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ItemTitlesTest {
    @TempDir
    Path dir;

    private Path write(String name, String text, java.nio.charset.Charset cs) throws Exception {
        Path f = dir.resolve(name);
        Files.write(f, text.getBytes(cs));
        return f;
    }

    @Test
    void moviesCsvWithQuotesCommasAndCrlf() throws Exception {
        Path f = write("movies.csv", "movieId,title,genres\r\n1,Toy Story (1995),Animation\r\n"
                + "11,\"American President, The (1995)\",Comedy\r\n12,\"Say \"\"Hi\"\" (2001)\",Drama\r\n"
                + "29,\"Cité des enfants perdus, La (1995)\",Fantasy\r\n", StandardCharsets.UTF_8);
        ItemTitles t = ItemTitles.read(f);
        assertThat(t.size()).isEqualTo(4);
        assertThat(t.title(1)).isEqualTo("Toy Story (1995)");
        assertThat(t.title(11)).isEqualTo("American President, The (1995)");
        assertThat(t.title(12)).isEqualTo("Say \"Hi\" (2001)");
        assertThat(t.title(29)).isEqualTo("Cité des enfants perdus, La (1995)");
        assertThat(t.title(2)).isNull();
    }

    @Test
    void moviesDatAndUItemAreLatin1() throws Exception {
        ItemTitles dat = ItemTitles.read(write("movies.dat", "1::Toy Story (1995)::Animation\n"
                + "2::Misérables, Les (1995)::Drama\n", StandardCharsets.ISO_8859_1));
        assertThat(dat.title(2)).isEqualTo("Misérables, Les (1995)");
        ItemTitles item = ItemTitles.read(write("u.item", "1|Toy Story (1995)|01-Jan-1995||http://x|0|0\n"
                + "2|Café au lait (1993)|01-Jan-1993||http://y|0|1\n", StandardCharsets.ISO_8859_1));
        assertThat(item.title(1)).isEqualTo("Toy Story (1995)");
        assertThat(item.title(2)).isEqualTo("Café au lait (1993)");
    }

    @Test
    void delimitedIdTitleFiles() throws Exception {
        assertThat(ItemTitles.read(write("titles.tsv", "id\ttitle\n7\tSeven, the film\n", StandardCharsets.UTF_8))
                .title(7)).isEqualTo("Seven, the film");
        assertThat(ItemTitles.read(write("titles.txt", "7,Seven\n8,\"Eight, or so\"\n", StandardCharsets.UTF_8))
                .title(8)).isEqualTo("Eight, or so");
        assertThatThrownBy(() -> ItemTitles.read(write("bad.csv", "1,a\nx,b\n", StandardCharsets.UTF_8)))
                .isInstanceOf(LfmException.class).hasMessageContaining("bad.csv:2");
        assertThatThrownBy(() -> ItemTitles.read(dir.resolve("missing.csv"))).isInstanceOf(LfmException.class)
                .hasMessageContaining("no such file");
    }

    @Test
    void movieLensSmallMoviesCsv() {
        ItemTitles t = ItemTitles.read(TestData.movieLensSmall().resolveSibling("movies.csv"));
        assertThat(t.size()).isEqualTo(9742);
        assertThat(t.title(11)).isEqualTo("American President, The (1995)");
    }
}
