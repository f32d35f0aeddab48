package io.epochring.journal.support;

import io.epochring.Delta;

import java.util.BitSet;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A non-idempotent delta: the live map holds, per key, the sum of the increments applied since the
 * last freeze, and storage adds frozen sums to its totals. A write applied twice is counted twice.
 * Increments above {@link #LIMIT} are refused, every time they are applied. It remembers the epoch
 * of every apply call, and reaches the kill point {@code "apply"} at the start of each.
 */
public final class CountingDelta implements Delta<Increment, Long, Map<String, Long>> {

    /** The largest increment the delta accepts. */
    public static final long LIMIT = 1;
    /** The increment producers send when they want a write refused. */
    public static final long REFUSED_AMOUNT = 1_000_000;

    private final KillPoints points;
    private final BitSet applyCalls = new BitSet();
    private volatile ConcurrentHashMap<String, Long> live = new ConcurrentHashMap<>();

    public CountingDelta(KillPoints points) {
        this.points = points;
    }

    @Override
    public Long apply(long epoch, Increment write) {
        points.reached("apply");
        synchronized (applyCalls) {
            applyCalls.set(Math.toIntExact(epoch));
        }
        if (write.amount() > LIMIT) {
            throw new IllegalArgumentException("increment of " + write.amount() + " on '" + write.key() + "' is above the limit " + LIMIT);
        }
        return live.merge(write.key(), write.amount(), Long::sum);
    }

    /** @return whether {@link #apply} was called with {@code epoch} */
    public boolean applyCalled(long epoch) {
        synchronized (applyCalls) {
            return applyCalls.get(Math.toIntExact(epoch));
        }
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
