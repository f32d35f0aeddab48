package io.epochring.kv.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Lays out one progress update in a given number of columns. Each field has a rank; when the line
 * is too wide the lowest-ranked field goes first, so a narrow terminal still shows how far the run
 * is and how long it has left.
 */
final class ProgressFormat {

    /**
     * One update, as plain numbers so the layout can be tested without a clock.
     *
     * @param done         writes applied in this run
     * @param total        writes the run will make
     * @param elapsedNanos time since the producers started
     * @param rate         writes per second over the last update period
     * @param journaled    writes journaled in this run
     * @param written      writes flushed to RocksDB in this run
     * @param durable      writes durable in this run
     * @param flushes      flushes so far
     */
    record Progress(long done, long total, long elapsedNanos, long rate, long journaled, long written, long durable, long flushes) {
    }

    private static final String GAP = "  ";

    private ProgressFormat() {
    }

    /** @return the line, at most {@code width} characters long */
    static String format(Progress p, int width) {
        // In display order; the rank says what to keep when narrow (1 is kept longest).
        List<Field> fields = new ArrayList<>(List.of(
            new Field(5, String.format(Locale.ROOT, "%.1fs", p.elapsedNanos() / 1e9)),
            new Field(1, Format.count(p.done()) + "/" + Format.count(p.total()) + " (" + percent(p) + ")"),
            new Field(3, Format.count(p.rate()) + " w/s"),
            new Field(2, "ETA " + eta(p)),
            new Field(7, "journaled " + Format.count(p.journaled())),
            new Field(8, "written " + Format.count(p.written())),
            new Field(4, "durable " + Format.count(p.durable())),
            new Field(6, "flushes " + Format.count(p.flushes()))));
        String line = join(fields);
        while (line.length() > width && fields.size() > 1) {
            fields.remove(fields.stream().max((a, b) -> Integer.compare(a.rank(), b.rank())).orElseThrow());
            line = join(fields);
        }
        return line.length() > width ? line.substring(0, Math.max(0, width)) : line;
    }

    /**
     * @param columns the {@code COLUMNS} environment variable, or null when unset
     * @return the terminal's width: {@code columns} when it is a positive number, else 80
     */
    static int width(String columns) {
        if (columns != null) {
            try {
                int width = Integer.parseInt(columns.strip());
                if (width > 0) {
                    return width;
                }
            } catch (NumberFormatException e) {
                // Not a number: fall back to the classic width rather than fail the demo over it.
            }
        }
        return 80;
    }

    private static String percent(Progress p) {
        if (p.total() <= 0) {
            return "-%";
        }
        long permille = Math.min(1000, p.done() * 1000 / p.total());
        return permille / 10 + "." + permille % 10 + "%";
    }

    /** The remaining writes at the average rate so far, which moves less than the last period's rate. */
    static String eta(Progress p) {
        if (p.done() >= p.total()) {
            return "0s";
        }
        if (p.done() <= 0 || p.elapsedNanos() <= 0) {
            return "-";
        }
        double seconds = (p.total() - p.done()) * (p.elapsedNanos() / 1e9) / p.done();
        long s = (long) Math.ceil(seconds);
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60);
    }

    private static String join(List<Field> fields) {
        StringBuilder line = new StringBuilder();
        for (Field field : fields) {
            if (!line.isEmpty()) {
                line.append(GAP);
            }
            line.append(field.text());
        }
        return line.toString();
    }

    private record Field(int rank, String text) {
    }
}
