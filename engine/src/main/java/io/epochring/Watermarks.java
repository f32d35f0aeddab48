package io.epochring;

import java.util.EnumMap;

/**
 * The four watermarks of one coordinator.
 */
final class Watermarks {

    private final EnumMap<DurabilityLevel, Watermark> byLevel = new EnumMap<>(DurabilityLevel.class);
    private final boolean journaled;
    private volatile EpochRingException abandoned;

    Watermarks(boolean journaled) {
        this.journaled = journaled;
        for (DurabilityLevel level : DurabilityLevel.values()) {
            byLevel.put(level, new Watermark(level));
        }
    }

    Watermark of(DurabilityLevel level) {
        if (level == DurabilityLevel.JOURNALED && !journaled) {
            throw new IllegalStateException("JOURNALED needs a journal, and this coordinator has none: configure one with builder.journal(journal, codec), or wait for APPLIED, WRITTEN or DURABLE");
        }
        return byLevel.get(level);
    }

    long get(DurabilityLevel level) {
        return byLevel.get(level).get();
    }

    Watermark applied() {
        return byLevel.get(DurabilityLevel.APPLIED);
    }

    Watermark journal() {
        return byLevel.get(DurabilityLevel.JOURNALED);
    }

    Watermark written() {
        return byLevel.get(DurabilityLevel.WRITTEN);
    }

    Watermark durable() {
        return byLevel.get(DurabilityLevel.DURABLE);
    }

    /**
     * stop() gave up with threads left behind in user code: whatever they finish is no longer
     * tracked, so from now on a wait for a write's outcome not known yet, and a wait above the
     * levels reached (JOURNALED, WRITTEN, DURABLE) not failed already, end with this cause
     * instead of waiting for ever.
     */
    void abandon(EpochRingException cause) {
        abandoned = cause;
        if (journaled) {
            journal().failIfNotFailed(cause);
        }
        written().failIfNotFailed(cause);
        durable().failIfNotFailed(cause);
    }

    /** @return why outcomes still unknown will never be reported, or null while they will be */
    EpochRingException abandoned() {
        return abandoned;
    }
}
