package io.epochring.bench;

import io.epochring.EpochRange;
import io.epochring.Flusher;

/**
 * A flusher that accepts every frozen delta and keeps nothing, so the benchmarks measure the
 * coordinator, not storage. Its snapshot is the number of epochs flushed so far.
 *
 * @param <F> the frozen delta type
 */
public final class NoopFlusher<F> implements Flusher<F, Long> {

    private volatile long lastFlushed;

    @Override
    public Long snapshot() {
        return lastFlushed;
    }

    @Override
    public Long flush(F frozen, EpochRange range) {
        lastFlushed = range.last();
        return lastFlushed;
    }

    @Override
    public void sync() {
        // nothing is stored, so there is nothing to sync
    }
}
