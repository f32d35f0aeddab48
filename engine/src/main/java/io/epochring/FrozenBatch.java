package io.epochring;

/**
 * What the ring hands to the flush thread: a frozen delta and the epochs it covers, and whether
 * to sync storage afterwards. A sync-only batch has no delta.
 */
final class FrozenBatch {

    final Object frozen;
    final EpochRange range;
    final boolean sync;

    FrozenBatch(Object frozen, EpochRange range, boolean sync) {
        this.frozen = frozen;
        this.range = range;
        this.sync = sync;
    }

    boolean hasDelta() {
        return frozen != null;
    }
}
