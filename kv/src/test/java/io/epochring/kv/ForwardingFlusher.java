package io.epochring.kv;

import io.epochring.EpochRange;
import io.epochring.Flusher;

import java.util.OptionalLong;

/**
 * A flusher decorator for tests that forwards everything to the store's own flusher, so a
 * subclass overrides only what it watches or breaks. It forwards {@link #storedEpoch()} too: a
 * decorator that forgot it would quietly turn recovery from exactly once into at least once.
 */
abstract class ForwardingFlusher implements Flusher<KvSegment, KvSnapshot> {

    protected final Flusher<KvSegment, KvSnapshot> delegate;

    ForwardingFlusher(Flusher<KvSegment, KvSnapshot> delegate) {
        this.delegate = delegate;
    }

    @Override
    public KvSnapshot snapshot() {
        return delegate.snapshot();
    }

    @Override
    public OptionalLong storedEpoch() {
        return delegate.storedEpoch();
    }

    @Override
    public KvSnapshot flush(KvSegment frozen, EpochRange range) throws Exception {
        return delegate.flush(frozen, range);
    }

    @Override
    public void sync() throws Exception {
        delegate.sync();
    }
}
