package io.epochring.testing;

import io.epochring.Delta;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongPredicate;
import java.util.function.Supplier;

/**
 * A delta whose state is not idempotent: a {@link Put} ADDS its value to its key (an account
 * balance), and a frozen delta holds each key's sum of the increments applied since the last
 * freeze. Applying a write twice counts it twice, which is what exactly-once tests look for.
 * Keys starting with {@code "fail"} are refused; so are the epochs {@link #refuseEpochs} names.
 */
public final class CounterDelta implements Delta<Put, Long, Map<String, Long>> {

    private volatile ConcurrentHashMap<String, Long> live = new ConcurrentHashMap<>();
    private final Map<String, Long> applyCalls = new HashMap<>();
    private volatile LongPredicate refused = epoch -> false;
    private volatile Supplier<? extends Throwable> applyFault;
    private volatile Supplier<? extends Throwable> freezeFault;

    @Override
    public Long apply(long epoch, Put write) {
        Faults.raise(applyFault);
        if (write.key().startsWith("fail") || refused.test(epoch)) {
            throw new IllegalArgumentException("the counter refuses the write at epoch " + epoch + " to '" + write.key() + "'");
        }
        synchronized (applyCalls) {
            applyCalls.merge(write.key(), 1L, Long::sum);
        }
        return live.merge(write.key(), write.value(), Long::sum);
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
        Faults.raise(freezeFault);
        Map<String, Long> frozen = Collections.unmodifiableMap(live);
        live = new ConcurrentHashMap<>();
        return frozen;
    }

    /** Every apply from now on throws what {@code fault} supplies (null: none). */
    public void failApplies(Supplier<? extends Throwable> fault) {
        applyFault = fault;
    }

    /** Every freeze from now on throws what {@code fault} supplies (null: none). */
    public void failFreezes(Supplier<? extends Throwable> fault) {
        freezeFault = fault;
    }

    /** Makes {@link #apply} throw for the epochs {@code refused} accepts. */
    public void refuseEpochs(LongPredicate refused) {
        this.refused = refused;
    }

    /** @return how many writes to {@code key} were applied (successfully) */
    public long applyCalls(String key) {
        synchronized (applyCalls) {
            return applyCalls.getOrDefault(key, 0L);
        }
    }
}
