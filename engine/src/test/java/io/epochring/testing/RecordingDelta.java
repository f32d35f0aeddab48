package io.epochring.testing;

import io.epochring.Delta;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link MapDelta}-like delta that also records every applied (epoch, write) pair in apply
 * order, for ordering and exactly-once checks. The record list is written by the apply thread
 * only and read after the coordinator stops.
 */
public final class RecordingDelta implements Delta<Put, Long, Map<String, Long>> {

    /** One applied write. */
    public record Applied(long epoch, Put write) {
    }

    private final List<Applied> applied = new ArrayList<>();
    private volatile ConcurrentHashMap<String, Long> live = new ConcurrentHashMap<>();

    @Override
    public Long apply(long epoch, Put write) {
        applied.add(new Applied(epoch, write));
        live.put(write.key(), write.value());
        return epoch;
    }

    @Override
    public long estimatedSizeBytes() {
        return live.size() * 64L;
    }

    @Override
    public Map<String, Long> view() {
        return live;
    }

    @Override
    public Map<String, Long> freeze() {
        Map<String, Long> frozen = live;
        live = new ConcurrentHashMap<>();
        return frozen;
    }

    /** @return applied writes in apply order; read only after the coordinator stopped */
    public List<Applied> applied() {
        return applied;
    }
}
