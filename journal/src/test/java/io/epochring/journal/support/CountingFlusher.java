package io.epochring.journal.support;

import io.epochring.EpochRange;
import io.epochring.Flusher;
import io.epochring.Sink.SinkDelta;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Storage for the exactly-once crash test: a {@link CountingStore} named {@code flush} that
 * reports its position. {@link #sync()} reaches the kill points {@code sync-begin} (storage written,
 * not yet synced) and {@code sync-end} (synced, the checkpoint not yet recorded).
 */
public final class CountingFlusher implements Flusher<Map<String, Long>, Map<String, Long>> {

    private final CountingStore store;
    private final KillPoints points;

    public CountingFlusher(Path file, KillPoints points) {
        this.store = new CountingStore(file, "flush", points);
        this.points = points;
    }

    public CountingStore store() {
        return store;
    }

    @Override
    public OptionalLong storedEpoch() {
        return OptionalLong.of(store.position());
    }

    @Override
    public Map<String, Long> snapshot() {
        return store.totals();
    }

    @Override
    public Map<String, Long> flush(Map<String, Long> frozen, EpochRange range) throws Exception {
        store.receive(List.of(new SinkDelta<>(frozen, range)));
        return store.totals();
    }

    @Override
    public void sync() {
        points.reached("sync-begin");
        // Each flush's rename is atomic and a kill -9 keeps the page cache, so there is nothing to force.
        points.reached("sync-end");
    }
}
