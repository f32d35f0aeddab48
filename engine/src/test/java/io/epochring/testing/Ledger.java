package io.epochring.testing;

import io.epochring.EpochRange;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a non-idempotent target holds: totals that frozen counter deltas are ADDED to, and every
 * epoch range it was handed, so a test can see an epoch handed twice or never.
 */
public final class Ledger {

    private final Map<String, Long> totals = new HashMap<>();
    private final List<EpochRange> ranges = new ArrayList<>();
    private long position;

    synchronized void add(Map<String, Long> frozen, EpochRange range) {
        frozen.forEach((key, amount) -> totals.merge(key, amount, Long::sum));
        ranges.add(range);
        position = range.last();
    }

    public synchronized Map<String, Long> totals() {
        return Map.copyOf(totals);
    }

    public synchronized long total(String key) {
        return totals.getOrDefault(key, 0L);
    }

    public synchronized List<EpochRange> ranges() {
        return List.copyOf(ranges);
    }

    /** @return the last epoch handed to this target */
    public synchronized long position() {
        return position;
    }

    synchronized Ledger copy() {
        Ledger copy = new Ledger();
        copy.totals.putAll(totals);
        copy.ranges.addAll(ranges);
        copy.position = position;
        return copy;
    }

    /** @return true when the ranges are contiguous from 1 and no epoch was handed twice */
    public synchronized boolean isExactlyOnceUpTo(long last) {
        long next = 1;
        for (EpochRange range : ranges) {
            if (range.first() != next) {
                return false;
            }
            next = range.last() + 1;
        }
        return next == last + 1;
    }

    @Override
    public synchronized String toString() {
        return "Ledger[totals=" + totals + ", ranges=" + ranges + "]";
    }
}
