package io.epochring.bench.peer;

import io.epochring.EpochRange;

/**
 * A frozen delta and its epochs on their way to the flush thread; a sync-only request has no delta.
 */
record FrozenDelta(Object frozen, EpochRange range, boolean sync) {

    static final FrozenDelta STOP = new FrozenDelta(null, EpochRange.emptyAfter(0), false);
}
