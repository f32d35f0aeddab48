package io.epochring.journal.support;

import io.epochring.EpochRange;
import io.epochring.Sink.SinkDelta;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A target (storage or a sink) that survives a {@code kill -9}: it adds each frozen delta's sums
 * to its totals and keeps every epoch range it received and its position (the last epoch), all in
 * one text file rewritten whole and renamed into place atomically after each call. The kill
 * points {@code <name>-before-rename} and {@code <name>-after-rename} surround the rename.
 */
public final class CountingStore {

    /**
     * What a target's file holds.
     *
     * @param position the last epoch received, 0 for none
     * @param ranges   every epoch range received, in arrival order
     * @param totals   per key, the sum of every increment received
     */
    public record Stored(long position, List<EpochRange> ranges, Map<String, Long> totals) {

        public Stored {
            ranges = List.copyOf(ranges);
            totals = Map.copyOf(totals);
        }

        /** @return the total for {@code key}, 0 when it never received one */
        public long total(String key) {
            return totals.getOrDefault(key, 0L);
        }
    }

    private final Path file;
    private final String name;
    private final KillPoints points;
    private final List<EpochRange> ranges;
    private final Map<String, Long> totals;
    private long position;

    public CountingStore(Path file, String name, KillPoints points) {
        this.file = file;
        this.name = name;
        this.points = points;
        Stored stored = load(file);
        this.position = stored.position();
        this.ranges = new ArrayList<>(stored.ranges());
        this.totals = new TreeMap<>(stored.totals());
    }

    /** @return what {@code file} holds; an empty target when there is no file yet */
    public static Stored load(Path file) {
        if (!Files.exists(file)) {
            return new Stored(0, List.of(), Map.of());
        }
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            long position = Long.parseLong(lines.get(0).substring("position ".length()));
            List<EpochRange> ranges = new ArrayList<>();
            String rangeList = lines.get(1).substring("ranges".length()).trim();
            for (String range : rangeList.isEmpty() ? new String[0] : rangeList.split(" ")) {
                int dash = range.indexOf('-');
                ranges.add(new EpochRange(Long.parseLong(range.substring(0, dash)), Long.parseLong(range.substring(dash + 1))));
            }
            Map<String, Long> totals = new TreeMap<>();
            for (String line : lines.subList(2, lines.size())) {
                int eq = line.lastIndexOf('=');
                totals.put(line.substring(0, eq), Long.parseLong(line.substring(eq + 1)));
            }
            return new Stored(position, ranges, totals);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public synchronized long position() {
        return position;
    }

    public synchronized Map<String, Long> totals() {
        return Map.copyOf(totals);
    }

    public synchronized Stored stored() {
        return new Stored(position, ranges, totals);
    }

    /** Adds the deltas, oldest first, and persists the result in one atomic rename. */
    public synchronized void receive(List<SinkDelta<Map<String, Long>>> deltas) throws IOException {
        for (SinkDelta<Map<String, Long>> delta : deltas) {
            delta.frozen().forEach((key, sum) -> totals.merge(key, sum, Long::sum));
            ranges.add(delta.range());
            position = delta.range().last();
        }
        StringBuilder text = new StringBuilder(64 + ranges.size() * 16).append("position ").append(position).append("\nranges");
        ranges.forEach(r -> text.append(' ').append(r.first()).append('-').append(r.last()));
        text.append('\n');
        totals.forEach((key, total) -> text.append(key).append('=').append(total).append('\n'));
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        points.reached(name + "-before-rename");
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        points.reached(name + "-after-rename");
    }
}
