package dev.lfm.serve;

import dev.lfm.LfmException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Item titles by item id, read from the MovieLens item files or a delimited {@code id,title} file:
 *
 * <ul>
 *   <li>{@code movies.csv} (ml-latest, ml-20m, ml-25m): {@code movieId,title,genres}, UTF-8, a
 *       header, CSV quoting ({@code "American President, The (1995)"}, {@code ""} for a quote), CRLF;
 *   <li>{@code movies.dat} (ml-1m, ml-10m): {@code id::title::genres}, Latin-1;
 *   <li>{@code u.item} (ml-100k): {@code id|title|date|...}, Latin-1;
 *   <li>anything else: delimited {@code id<sep>title} with the separator guessed from the first
 *       line (tab, {@code ::}, {@code |}, {@code ;} or comma), UTF-8, CSV quoting for commas, an
 *       optional header (a first line whose id is not a number).
 * </ul>
 */
public final class ItemTitles {
    /** The layouts {@link #read(Path)} recognizes. */
    public enum Format {
        /** MovieLens {@code movies.csv}: CSV, UTF-8. */
        MOVIES_CSV(",", StandardCharsets.UTF_8),
        /** MovieLens {@code movies.dat}: {@code ::}, Latin-1. */
        MOVIES_DAT("::", StandardCharsets.ISO_8859_1),
        /** MovieLens {@code u.item}: {@code |}, Latin-1. */
        U_ITEM("|", StandardCharsets.ISO_8859_1),
        /** {@code id<tab>title}, UTF-8. */
        TAB("\t", StandardCharsets.UTF_8),
        /** {@code id;title}, UTF-8. */
        SEMICOLON(";", StandardCharsets.UTF_8);

        final String separator;
        final Charset charset;

        Format(String separator, Charset charset) {
            this.separator = separator;
            this.charset = charset;
        }
    }

    private final Map<Long, String> titles;

    private ItemTitles(Map<Long, String> titles) {
        this.titles = titles;
    }

    /** The title of item {@code id}, or null. */
    public String title(long id) {
        return titles.get(id);
    }

    /** Number of titles. */
    public int size() {
        return titles.size();
    }

    /** Reads a file, choosing the format from its name and first line. */
    public static ItemTitles read(Path file) {
        return read(file, detect(file));
    }

    /** Reads a file in the given format. */
    public static ItemTitles read(Path file, Format format) {
        try (BufferedReader in = Files.newBufferedReader(file, format.charset)) {
            return parse(in, format, file.toString());
        } catch (NoSuchFileException e) {
            throw new LfmException(file + ": no such file");
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new LfmException(file + ": cannot read: " + e.getMessage());
        }
    }

    /** Parses text in the given format ({@code name} names the source in messages). */
    public static ItemTitles parse(String text, Format format, String name) {
        try {
            return parse(new BufferedReader(new StringReader(text)), format, name);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static Format detect(Path file) {
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (name.equals("u.item")) {
            return Format.U_ITEM;
        }
        if (name.endsWith(".dat")) {
            return Format.MOVIES_DAT;
        }
        String first;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            first = in.readLine();
        } catch (NoSuchFileException e) {
            throw new LfmException(file + ": no such file");
        } catch (IOException e) {
            throw new LfmException(file + ": cannot read: " + e.getMessage());
        }
        if (first == null) {
            return Format.MOVIES_CSV;
        }
        if (first.contains("\t")) {
            return Format.TAB;
        }
        if (first.contains("::")) {
            return Format.MOVIES_DAT;
        }
        int comma = first.indexOf(',');
        int pipe = first.indexOf('|');
        int semi = first.indexOf(';');
        if (pipe >= 0 && (comma < 0 || pipe < comma)) {
            return Format.U_ITEM;
        }
        if (semi >= 0 && (comma < 0 || semi < comma)) {
            return Format.SEMICOLON;
        }
        return Format.MOVIES_CSV;
    }

    private static ItemTitles parse(BufferedReader in, Format format, String name) throws IOException {
        Map<Long, String> map = new HashMap<>();
        int line = 0;
        for (List<String> fields; (fields = nextRecord(in, format)) != null; ) {
            line++;
            if (fields.size() == 1 && fields.get(0).isBlank()) {
                continue;
            }
            String id = fields.get(0).strip();
            if (id.startsWith("\uFEFF")) {
                id = id.substring(1);
            }
            long key;
            try {
                key = Long.parseLong(id);
            } catch (NumberFormatException e) {
                if (line == 1) {
                    continue; // a header
                }
                throw new LfmException(name + ":" + line + ": item id '" + id + "' is not a number");
            }
            if (fields.size() < 2) {
                throw new LfmException(name + ":" + line + ": no title after the id");
            }
            map.put(key, fields.get(1).strip());
        }
        return new ItemTitles(map);
    }

    /**
     * The next record's fields, or null at the end. Comma files use CSV quoting (a quoted field
     * may hold commas, doubled quotes and line breaks); other separators split literally.
     */
    private static List<String> nextRecord(BufferedReader in, Format format) throws IOException {
        String line = in.readLine();
        if (line == null) {
            return null;
        }
        List<String> fields = new ArrayList<>();
        if (!format.separator.equals(",")) {
            int from = 0;
            for (int at; (at = line.indexOf(format.separator, from)) >= 0; from = at + format.separator.length()) {
                fields.add(line.substring(from, at));
            }
            fields.add(stripCr(line.substring(from)));
            return fields;
        }
        StringBuilder f = new StringBuilder();
        boolean quoted = false;
        int j = 0;
        while (true) {
            if (j >= line.length()) {
                if (quoted) {
                    String more = in.readLine();
                    if (more != null) {
                        f.append('\n');
                        line = more;
                        j = 0;
                        continue;
                    }
                }
                fields.add(stripCr(f.toString()));
                return fields;
            }
            char ch = line.charAt(j++);
            if (quoted) {
                if (ch == '"') {
                    if (j < line.length() && line.charAt(j) == '"') {
                        f.append('"');
                        j++;
                    } else {
                        quoted = false;
                    }
                } else {
                    f.append(ch);
                }
            } else if (ch == '"' && f.length() == 0) {
                quoted = true;
            } else if (ch == ',') {
                fields.add(f.toString());
                f.setLength(0);
            } else {
                f.append(ch);
            }
        }
    }

    private static String stripCr(String s) {
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }
}
