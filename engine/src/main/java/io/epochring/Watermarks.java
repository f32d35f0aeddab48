package io.epochring;

import java.util.EnumMap;

/**
 * The four watermarks of one coordinator.
 */
final class Watermarks {

    private final EnumMap<DurabilityLevel, Watermark> byLevel = new EnumMap<>(DurabilityLevel.class);
    private final boolean journaled;

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
}
