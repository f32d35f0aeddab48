package io.epochring;

/**
 * What the ring hands to the flush thread: a frozen delta and the epochs it covers, and whether
 * to sync storage afterwards. A sync-only batch has no delta.
 */
final class FrozenBatch {

    final Object frozen;
    final EpochRange range;
    final boolean sync;
    /** {@link Delta#estimatedSizeBytes()} just before the freeze, for the flush event; 0 without a delta. */
    final long bytes;

    FrozenBatch(Object frozen, EpochRange range, boolean sync, long bytes) {
        this.frozen = frozen;
        this.range = range;
        this.sync = sync;
        this.bytes = bytes;
    }

    boolean hasDelta() {
        return frozen != null;
    }
}
