package dev.lfm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lfm.data.DuplicatePolicy;
import dev.lfm.data.ReadOptions;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

/** The flag values checked as they are parsed: each rule, and the one line a refused value gives. */
class FlagValuesTest {
    @Test
    void eachRuleAcceptsItsRangeAndRefusesTheRest() {
        assertThat(new FlagValues.Positive().convert("1")).isEqualTo(1);
        assertThat(new FlagValues.Positive().convert("+7")).isEqualTo(7);
        assertThatThrownBy(() -> new FlagValues.Positive().convert("0")).isInstanceOf(FlagValues.Refused.class)
                .hasMessage("must be >= 1 (got 0)");
        assertThatThrownBy(() -> new FlagValues.Positive().convert("0x10")).isInstanceOf(TypeConversionException.class)
                .hasMessage("'0x10' is not an int");
        assertThat(new FlagValues.Fraction().convert("0")).isEqualTo(0.0);
        assertThat(new FlagValues.Fraction().convert("0.999")).isEqualTo(0.999);
        for (String bad : new String[] {"1", "-0.1", "NaN", "Infinity"}) {
            assertThatThrownBy(() -> new FlagValues.Fraction().convert(bad)).as(bad)
                    .isInstanceOf(FlagValues.Refused.class).hasMessageStartingWith("must be in [0, 1) (got ");
        }
        assertThatThrownBy(() -> new FlagValues.Fraction().convert("1e-1x")).isInstanceOf(TypeConversionException.class)
                .hasMessage("'1e-1x' is not a double");
        assertThat(new FlagValues.IdSpace().convert("1")).isEqualTo(1);
        assertThat(new FlagValues.IdSpace().convert(Integer.toString(ReadOptions.MAX_DENSE_IDS_LIMIT)))
                .isEqualTo(ReadOptions.MAX_DENSE_IDS_LIMIT);
        assertThatThrownBy(() -> new FlagValues.IdSpace().convert(Integer.toString(ReadOptions.MAX_DENSE_IDS_LIMIT + 1)))
                .isInstanceOf(FlagValues.Refused.class).hasMessageStartingWith("must be in 1..");
        assertThat(new FlagValues.Duplicates().convert(" Mean ")).isEqualTo(DuplicatePolicy.MEAN);
        assertThatThrownBy(() -> new FlagValues.Duplicates().convert("first")).isInstanceOf(FlagValues.Refused.class)
                .hasMessage("must be error, last or mean (got 'first')");
    }

    @Test
    void aRefusedValueIsOneLineNamingTheFlagWithExitCodeTwo() {
        String[][] cases = {
            {"lfm: --partitions must be >= 1 (got 0)", "train", "--engine", "spark", "--partitions", "0"},
            {"lfm: --checkpoint-every must be >= 1 (got -3)", "train", "--engine", "spark", "--checkpoint-every", "-3"},
            {"lfm: --test-fraction must be in [0, 1) (got 1.0)", "train", "--test-fraction", "1"},
            {"lfm: --validation-fraction must be in [0, 1) (got -0.1)", "tune", "--validation-fraction=-0.1"},
            {"lfm: --duplicates must be error, last or mean (got 'x')", "evaluate", "--model", "m", "--data", "d",
                "--duplicates", "x"},
            {"lfm: --max-ids must be in 1.." + ReadOptions.MAX_DENSE_IDS_LIMIT + " (got 0)", "train", "--data", "d",
                "--max-ids", "0"},
            {"lfm: Invalid value for option '--partitions': 'x' is not an int (see 'lfm train --help')", "train",
                "--partitions", "x"},
        };
        for (String[] c : cases) {
            String[] args = java.util.Arrays.copyOfRange(c, 1, c.length);
            CliRun r = CliRun.lfm(args);
            assertThat(r.code()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(r.out()).as(String.join(" ", args)).isEmpty();
            assertThat(r.err().strip()).as(String.join(" ", args)).isEqualTo(c[0]);
        }
    }
}
