package dev.lfm.report;

import dev.lfm.io.OutputFiles;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A small column-oriented table: the numbers behind a chart. Written as CSV (RFC 4180 quoting,
 * doubles in full round-trip precision, non-finite values as {@code NaN}/{@code Infinity}) and
 * rendered as a fixed-width console table (doubles to 4 significant digits).
 */
public final class Table {
    private final List<String> columns;
    private final List<Object[]> rows = new ArrayList<>();

    public Table(String... columns) {
        this.columns = List.of(columns);
    }

    /** Appends a row; values are numbers, strings, booleans or null (empty cell). */
    public Table add(Object... values) {
        if (values.length != columns.size()) {
            throw new IllegalArgumentException("row has " + values.length + " values, table has "
                    + columns.size() + " columns");
        }
        rows.add(values.clone());
        return this;
    }

    public List<String> columns() {
        return columns;
    }

    public int size() {
        return rows.size();
    }

    public Object get(int row, String column) {
        int c = columns.indexOf(column);
        if (c < 0) {
            throw new IllegalArgumentException("no column " + column);
        }
        return rows.get(row)[c];
    }

    /** Writes the table as CSV to {@code target}, atomically. */
    public Path writeCsv(Path target) {
        return OutputFiles.write(target, out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            w.write(csvLine(columns.toArray()));
            for (Object[] r : rows) {
                w.write(csvLine(r));
            }
            w.flush();
        });
    }

    private static String csvLine(Object[] values) {
        StringBuilder sb = new StringBuilder();
        for (int c = 0; c < values.length; c++) {
            if (c > 0) {
                sb.append(',');
            }
            String s = csvCell(values[c]);
            if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
                s = '"' + s.replace("\"", "\"\"") + '"';
            }
            sb.append(s);
        }
        return sb.append('\n').toString();
    }

    private static String csvCell(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof Double || v instanceof Float) {
            return Double.toString(((Number) v).doubleValue());
        }
        return v.toString();
    }

    /** The table as fixed-width text; more than {@code maxRows} rows are elided in the middle. */
    public String render(int maxRows) {
        List<Object[]> shown = new ArrayList<>();
        int elided = 0;
        if (rows.size() <= maxRows || maxRows < 2) {
            shown.addAll(rows);
        } else {
            int head = (maxRows + 1) / 2;
            int tail = maxRows - head;
            shown.addAll(rows.subList(0, head));
            shown.add(null);
            shown.addAll(rows.subList(rows.size() - tail, rows.size()));
            elided = rows.size() - maxRows;
        }
        String[][] cells = new String[shown.size()][];
        int[] width = new int[columns.size()];
        for (int c = 0; c < columns.size(); c++) {
            width[c] = columns.get(c).length();
        }
        for (int r = 0; r < shown.size(); r++) {
            Object[] row = shown.get(r);
            if (row == null) {
                continue;
            }
            cells[r] = new String[row.length];
            for (int c = 0; c < row.length; c++) {
                cells[r][c] = consoleCell(row[c]);
                width[c] = Math.max(width[c], cells[r][c].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        appendRow(sb, columns.toArray(new String[0]), width);
        char[] rule = new char[Arrays.stream(width).sum() + 2 * (width.length - 1)];
        Arrays.fill(rule, '-');
        sb.append(rule).append('\n');
        for (String[] r : cells) {
            if (r == null) {
                sb.append("  ... ").append(elided).append(" more rows ...\n");
            } else {
                appendRow(sb, r, width);
            }
        }
        return sb.toString();
    }

    private static void appendRow(StringBuilder sb, String[] cells, int[] width) {
        for (int c = 0; c < cells.length; c++) {
            if (c > 0) {
                sb.append("  ");
            }
            sb.append(String.format(Locale.ROOT, "%" + width[c] + "s", cells[c]));
        }
        sb.append('\n');
    }

    private static String consoleCell(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (!Double.isFinite(d)) {
                return Double.toString(d);
            }
            return String.format(Locale.ROOT, "%.4g", d);
        }
        return v.toString();
    }
}
