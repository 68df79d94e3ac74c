package dev.lfm.serve;

import dev.lfm.LfmException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Consumer;

/** Recommendation rows as CSV, and user-id lists, for {@code recommend --all-users / --users}. */
public final class RecommendationFiles {
    private RecommendationFiles() {
    }

    /** The CSV header: {@code user,item,score,rank,rating} and, with titles, {@code ,title}. */
    public static String header(boolean titles) {
        return titles ? "user,item,score,rank,rating,title" : "user,item,score,rank,rating";
    }

    /**
     * A sink writing one CSV line per row ({@code 1,318,4.8123,1,4.8123[,"Shawshank Redemption, The (1994)"]}),
     * after writing the {@link #header}. The caller owns (flushes, closes, atomically renames) the writer;
     * write errors surface as {@link UncheckedIOException}.
     */
    public static Consumer<Recommendation> csv(Writer out, boolean titles) {
        try {
            out.write(header(titles));
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        StringBuilder line = new StringBuilder(128);
        return r -> {
            line.setLength(0);
            line.append(r.user()).append(',').append(r.item()).append(',');
            fixed(line, r.score(), 5).append(',').append(r.rank()).append(',');
            fixed(line, r.rating(), 4);
            if (titles) {
                line.append(',').append(quote(r.title() == null ? "" : r.title()));
            }
            line.append('\n');
            try {
                out.append(line);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    private static final long[] POW10 = {1, 10, 100, 1_000, 10_000, 100_000};

    /**
     * Appends {@code x} with {@code digits} (at most 5) decimals, exactly as {@code String.format(Locale.ROOT,
     * "%.<digits>f", x)} writes it (half up), without its cost (about a fifth of writing a netflix-size top-N file):
     * a float widened to double and multiplied by 10^digits is exact (24 + 17 bits &lt; 53), so rounding
     * the magnitude of that product is the decimal rounding. Non-finite and huge values use the formatter.
     */
    static StringBuilder fixed(StringBuilder sb, float x, int digits) {
        if (!(Math.abs(x) < 1e9f)) {
            return sb.append(String.format(Locale.ROOT, "%." + digits + "f", x));
        }
        long scale = POW10[digits];
        double scaled = Math.abs((double) x) * scale;
        long units = (long) Math.floor(scaled + 0.5);
        if (x < 0 || (x == 0 && 1 / x < 0)) {
            sb.append('-');
        }
        sb.append(units / scale).append('.');
        long frac = units % scale;
        for (long p = scale / 10; p > frac && p > 1; p /= 10) {
            sb.append('0');
        }
        return sb.append(frac);
    }

    /** CSV quoting when a field holds a comma, quote or line break. */
    static String quote(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    /**
     * User ids, one per line (the first field of a delimited line is used; blank lines and a
     * header line that is not a number are skipped), in file order.
     */
    public static long[] readIds(Path file) {
        long[] ids = new long[1024];
        int count = 0;
        int line = 0;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String s; (s = in.readLine()) != null; ) {
                line++;
                String f = s.strip().split("[,;\\t| ]", 2)[0];
                if (f.startsWith("\uFEFF")) {
                    f = f.substring(1);
                }
                if (f.isEmpty()) {
                    continue;
                }
                long id;
                try {
                    id = Long.parseLong(f);
                } catch (NumberFormatException e) {
                    if (count == 0 && line == 1) {
                        continue;
                    }
                    throw new LfmException(file + ":" + line + ": user id '" + f + "' is not a number");
                }
                if (count == ids.length) {
                    ids = Arrays.copyOf(ids, count * 2);
                }
                ids[count++] = id;
            }
        } catch (NoSuchFileException e) {
            throw new LfmException(file + ": no such file");
        } catch (IOException e) {
            throw new LfmException(file + ": cannot read: " + e.getMessage());
        }
        return Arrays.copyOf(ids, count);
    }
}
