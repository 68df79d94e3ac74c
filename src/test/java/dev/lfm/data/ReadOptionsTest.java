package dev.lfm.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lfm.LfmException;
import dev.lfm.data.ReadOptions.Header;
import org.junit.jupiter.api.Test;

class ReadOptionsTest {
    private static ReadOptions opts(String delimiter, int u, int i, int r, float min, float max, int maxIds) {
        return new ReadOptions(RatingFormat.DELIMITED, delimiter, u, i, r, null, DuplicatePolicy.ERROR, UnknownIds.ADD,
                min, max, maxIds);
    }

    @Test
    void defaultsAndFactories() {
        assertThat(ReadOptions.defaults()).isEqualTo(new ReadOptions(RatingFormat.AUTO, ",", 0, 1, 2, null,
                DuplicatePolicy.ERROR, UnknownIds.ADD, Float.NaN, Float.NaN, 1 << 26));
        assertThat(ReadOptions.of(RatingFormat.LIBMF).format()).isEqualTo(RatingFormat.LIBMF);
        assertThat(ReadOptions.delimited(";", 3, 1, 0)).isEqualTo(new ReadOptions(RatingFormat.DELIMITED, ";", 3, 1, 0,
                null, DuplicatePolicy.ERROR, UnknownIds.ADD, Float.NaN, Float.NaN, 67_108_864));
        assertThat(ReadOptions.DEFAULT_MAX_DENSE_IDS).isEqualTo(67_108_864);
        assertThat(ReadOptions.MAX_DENSE_IDS_LIMIT).isEqualTo(2_147_483_631);
        assertThat(ReadOptions.WHITESPACE).isEqualTo(" ");
    }

    @Test
    void eachWitherChangesOnlyItsField() {
        ReadOptions base = new ReadOptions(RatingFormat.DELIMITED, ";", 1, 2, 3, Header.SKIP, DuplicatePolicy.LAST,
                UnknownIds.ERROR, 1f, 5f, 1000);
        assertThat(base.withFormat(RatingFormat.LIBMF)).isEqualTo(new ReadOptions(RatingFormat.LIBMF, ";", 1, 2, 3,
                Header.SKIP, DuplicatePolicy.LAST, UnknownIds.ERROR, 1f, 5f, 1000));
        assertThat(base.withDelimiter("::")).isEqualTo(new ReadOptions(RatingFormat.DELIMITED, "::", 1, 2, 3,
                Header.SKIP, DuplicatePolicy.LAST, UnknownIds.ERROR, 1f, 5f, 1000));
        assertThat(base.withColumns(4, 0, 2)).isEqualTo(new ReadOptions(RatingFormat.DELIMITED, ";", 4, 0, 2,
                Header.SKIP, DuplicatePolicy.LAST, UnknownIds.ERROR, 1f, 5f, 1000));
        assertThat(base.withHeader(Header.DETECT)).isEqualTo(new ReadOptions(RatingFormat.DELIMITED, ";", 1, 2, 3,
                Header.DETECT, DuplicatePolicy.LAST, UnknownIds.ERROR, 1f, 5f, 1000));
        assertThat(base.withDuplicates(DuplicatePolicy.MEAN)).isEqualTo(new ReadOptions(RatingFormat.DELIMITED, ";",
                1, 2, 3, Header.SKIP, DuplicatePolicy.MEAN, UnknownIds.ERROR, 1f, 5f, 1000));
        assertThat(base.withUnknownIds(UnknownIds.ADD)).isEqualTo(new ReadOptions(RatingFormat.DELIMITED, ";", 1, 2,
                3, Header.SKIP, DuplicatePolicy.LAST, UnknownIds.ADD, 1f, 5f, 1000));
        assertThat(base.withScale(0f, 10f)).isEqualTo(new ReadOptions(RatingFormat.DELIMITED, ";", 1, 2, 3,
                Header.SKIP, DuplicatePolicy.LAST, UnknownIds.ERROR, 0f, 10f, 1000));
        assertThat(base.withMaxDenseIds(7)).isEqualTo(new ReadOptions(RatingFormat.DELIMITED, ";", 1, 2, 3,
                Header.SKIP, DuplicatePolicy.LAST, UnknownIds.ERROR, 1f, 5f, 7));
    }

    @Test
    void delimiterRules() {
        assertThatCode(() -> opts(null, 0, 1, 2, Float.NaN, Float.NaN, 1)).doesNotThrowAnyException();
        assertThatThrownBy(() -> opts("", 0, 1, 2, Float.NaN, Float.NaN, 1)).isInstanceOf(LfmException.class)
                .hasMessageStartingWith("the delimiter is empty");
        assertThatThrownBy(() -> opts(",\n", 0, 1, 2, Float.NaN, Float.NaN, 1))
                .hasMessage("the delimiter must not contain a line break");
        assertThatThrownBy(() -> opts("\r", 0, 1, 2, Float.NaN, Float.NaN, 1))
                .hasMessage("the delimiter must not contain a line break");
        assertThatCode(() -> opts("\t", 0, 1, 2, Float.NaN, Float.NaN, 1)).doesNotThrowAnyException();
        assertThatThrownBy(() -> opts("\n", 0, 1, 2, Float.NaN, Float.NaN, 1))
                .hasMessage("the delimiter must not contain a line break");
        assertThatThrownBy(() -> opts(";\r", 0, 1, 2, Float.NaN, Float.NaN, 1))
                .hasMessage("the delimiter must not contain a line break");
    }

    @Test
    void columnRulesAtTheirBoundaries() {
        assertThatCode(() -> opts(",", 0, 1, 2, Float.NaN, Float.NaN, 1)).doesNotThrowAnyException();
        assertThatCode(() -> opts(",", 1, 0, 2, Float.NaN, Float.NaN, 1)).doesNotThrowAnyException();
        assertThatCode(() -> opts(",", 1, 2, 0, Float.NaN, Float.NaN, 1)).doesNotThrowAnyException();
        assertThatThrownBy(() -> opts(",", -1, 1, 2, Float.NaN, Float.NaN, 1)).isInstanceOf(LfmException.class)
                .hasMessage("columns are 0-based and non-negative (got user -1, item 1, rating 2)");
        assertThatThrownBy(() -> opts(",", 0, -1, 2, Float.NaN, Float.NaN, 1))
                .hasMessage("columns are 0-based and non-negative (got user 0, item -1, rating 2)");
        assertThatThrownBy(() -> opts(",", 0, 1, -1, Float.NaN, Float.NaN, 1))
                .hasMessage("columns are 0-based and non-negative (got user 0, item 1, rating -1)");
        assertThatThrownBy(() -> opts(",", 1, 1, 2, Float.NaN, Float.NaN, 1))
                .hasMessage("user, item and rating columns must differ (got 1, 1, 2)");
        assertThatThrownBy(() -> opts(",", 2, 1, 2, Float.NaN, Float.NaN, 1))
                .hasMessage("user, item and rating columns must differ (got 2, 1, 2)");
        assertThatThrownBy(() -> opts(",", 0, 2, 2, Float.NaN, Float.NaN, 1))
                .hasMessage("user, item and rating columns must differ (got 0, 2, 2)");
    }

    @Test
    void idLimitAndScaleAtTheirBoundaries() {
        assertThatCode(() -> opts(",", 0, 1, 2, Float.NaN, Float.NaN, 1)).doesNotThrowAnyException();
        assertThatCode(() -> opts(",", 0, 1, 2, Float.NaN, Float.NaN, ReadOptions.MAX_DENSE_IDS_LIMIT))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> opts(",", 0, 1, 2, Float.NaN, Float.NaN, 0))
                .hasMessage("the id-space limit must be in 1..2147483631 (got 0)");
        assertThatThrownBy(() -> opts(",", 0, 1, 2, Float.NaN, Float.NaN, ReadOptions.MAX_DENSE_IDS_LIMIT + 1))
                .isInstanceOf(LfmException.class);
        assertThatCode(() -> opts(",", 0, 1, 2, 1f, 1.0001f, 1)).doesNotThrowAnyException();
        assertThatCode(() -> opts(",", 0, 1, 2, Float.NaN, 1f, 1)).doesNotThrowAnyException();
        assertThatCode(() -> opts(",", 0, 1, 2, 5f, Float.NaN, 1)).doesNotThrowAnyException();
        assertThatThrownBy(() -> opts(",", 0, 1, 2, 1f, 1f, 1))
                .hasMessage("the lowest rating of the scale must be below the highest (got 1.0..1.0)");
        assertThatThrownBy(() -> opts(",", 0, 1, 2, 5f, 1f, 1)).isInstanceOf(LfmException.class);
    }

    @Test
    void requiredValues() {
        assertThatThrownBy(() -> new ReadOptions(null, ",", 0, 1, 2, null, DuplicatePolicy.ERROR, UnknownIds.ADD,
                Float.NaN, Float.NaN, 1)).isInstanceOf(IllegalArgumentException.class).hasMessage("format is required");
        assertThatThrownBy(() -> new ReadOptions(RatingFormat.AUTO, ",", 0, 1, 2, null, null, UnknownIds.ADD,
                Float.NaN, Float.NaN, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ReadOptions(RatingFormat.AUTO, ",", 0, 1, 2, null, DuplicatePolicy.ERROR, null,
                Float.NaN, Float.NaN, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
