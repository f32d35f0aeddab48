package io.epochring.journal.support;

import io.epochring.EpochRange;
import io.epochring.Flusher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * "Storage" that survives a {@code kill -9}: each flush rewrites a whole text file (first line the
 * last epoch it covers, then {@code key=value} lines) and renames it into place atomically.
 * Small and slow, good enough for the crash tests.
 */
public final class FileFlusher implements Flusher<Map<String, Long>, Map<String, Long>> {

    /** What a storage file holds. */
    public record Stored(long lastEpoch, Map<String, Long> data) {
    }

    private final Path file;
    private final Map<String, Long> storage;
    private long lastEpoch;

    public FileFlusher(Path file) {
        this.file = file;
        Stored stored = load(file);
        this.storage = new HashMap<>(stored.data());
        this.lastEpoch = stored.lastEpoch();
    }

    public static Stored load(Path file) {
        if (!Files.exists(file)) {
            return new Stored(0, Map.of());
        }
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            Map<String, Long> data = new HashMap<>();
            for (String line : lines.subList(1, lines.size())) {
                int eq = line.lastIndexOf('=');
                data.put(line.substring(0, eq), Long.parseLong(line.substring(eq + 1)));
            }
            return new Stored(Long.parseLong(lines.get(0)), data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized Map<String, Long> snapshot() {
        return Map.copyOf(storage);
    }

    @Override
    public synchronized Map<String, Long> flush(Map<String, Long> frozen, EpochRange range) throws IOException {
        storage.putAll(frozen);
        lastEpoch = range.last();
        StringBuilder text = new StringBuilder(storage.size() * 24).append(lastEpoch).append('\n');
        storage.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return Map.copyOf(storage);
    }

    @Override
    public void sync() {
        // The rename is atomic; a kill -9 keeps the page cache, which is all these tests need.
    }
}
