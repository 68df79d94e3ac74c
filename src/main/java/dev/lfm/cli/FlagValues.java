package dev.lfm.cli;

import dev.lfm.data.DuplicatePolicy;
import dev.lfm.data.ReadOptions;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The flag values checked as they are parsed: picocli converters that the {@code @Option}s name, each
 * rule written once whatever flag it serves. A value a rule refuses is a {@link Refused}, which
 * {@link Main} prints after the flag's name as one line ({@code lfm: --partitions must be >= 1 (got 0)},
 * exit 2); text that is not a number at all reads as picocli's own message ({@code 'x' is not an int}).
 */
final class FlagValues {
    private FlagValues() {
    }

    /** What a rule says of the value it refused, to follow the flag's name: "must be >= 1 (got 0)". */
    static final class Refused extends RuntimeException {
        Refused(String mustBe) {
            super(mustBe, null, false, false);
        }
    }

    /** An integer >= 1 (partitions, checkpoint intervals). */
    static final class Positive implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String s) {
            int v = integer(s);
            if (v < 1) {
                throw new Refused("must be >= 1 (got " + v + ")");
            }
            return v;
        }
    }

    /** A fraction of the ratings in [0, 1) (the test and validation splits). */
    static final class Fraction implements ITypeConverter<Double> {
        @Override
        public Double convert(String s) {
            double f;
            try {
                f = Double.parseDouble(s);
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + s + "' is not a double");
            }
            if (!(f >= 0 && f < 1)) {
                throw new Refused("must be in [0, 1) (got " + f + ")");
            }
            return f;
        }
    }

    /** LIBMF's id space a side: 1 .. {@link ReadOptions#MAX_DENSE_IDS_LIMIT}. */
    static final class IdSpace implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String s) {
            int n = integer(s);
            if (n < 1 || n > ReadOptions.MAX_DENSE_IDS_LIMIT) {
                throw new Refused("must be in 1.." + ReadOptions.MAX_DENSE_IDS_LIMIT + " (got " + n + ")");
            }
            return n;
        }
    }

    /** The policy for a repeated (user, item) pair: error, last or mean. */
    static final class Duplicates implements ITypeConverter<DuplicatePolicy> {
        @Override
        public DuplicatePolicy convert(String s) {
            try {
                return DuplicatePolicy.valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new Refused("must be error, last or mean (got '" + s + "')");
            }
        }
    }

    private static int integer(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + s + "' is not an int");
        }
    }
}
