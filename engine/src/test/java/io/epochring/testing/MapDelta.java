package io.epochring.testing;

import io.epochring.Delta;

import java.util.Collections;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A test delta: a concurrent map swapped out at freeze. Applying returns a running count of
 * applied writes that survives freezes (the "context" a real delta keeps). Keys starting with
 * {@code "fail"} fail to apply and leave the map untouched.
 */
public final class MapDelta implements Delta<Put, Long, Map<String, Long>> {

    private volatile ConcurrentHashMap<String, Long> live = new ConcurrentHashMap<>();
    private long appliedCount;

    @Override
    public Long apply(long epoch, Put write) {
        if (write.key().startsWith("fail")) {
            throw new IllegalArgumentException("key '" + write.key() + "' is refused by the test delta");
        }
        live.put(write.key(), write.value());
        return ++appliedCount;
    }

    @Override
    public long estimatedSizeBytes() {
        return live.size() * 64L;
    }

    @Override
    public Map<String, Long> view() {
        return Collections.unmodifiableMap(live);
    }

    @Override
    public Map<String, Long> freeze() {
        Map<String, Long> frozen = Collections.unmodifiableMap(live);
        live = new ConcurrentHashMap<>();
        return frozen;
    }
}
