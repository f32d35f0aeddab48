package io.epochring.journal.support;

import io.epochring.Sink;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A secondary target for the exactly-once crash test: a {@link CountingStore} named
 * {@code sink-<name>} that reports its position. It can be made slow (a pause per call), so it
 * lags behind storage and the durable checkpoint.
 */
public final class CountingSink implements Sink<Map<String, Long>> {

    private final CountingStore store;
    private final long pauseNanos;

    public CountingSink(Path file, String name, KillPoints points, long pauseNanos) {
        this.store = new CountingStore(file, "sink-" + name, points);
        this.pauseNanos = pauseNanos;
    }

    public CountingStore store() {
        return store;
    }

    @Override
    public OptionalLong deliveredEpoch() {
        return OptionalLong.of(store.position());
    }

    @Override
    public void accept(List<SinkDelta<Map<String, Long>>> deltas) throws Exception {
        if (pauseNanos > 0) {
            LockSupport.parkNanos(pauseNanos);
        }
        store.receive(deltas);
    }
}
