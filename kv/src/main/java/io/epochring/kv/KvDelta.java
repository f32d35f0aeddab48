package io.epochring.kv;

import io.epochring.Delta;

/**
 * The store's delta: puts and deletes (tombstones) in a sorted in-memory segment, last write wins
 * per key. {@link #freeze()} swaps the live segment for an empty one in O(1); the frozen segment
 * is sealed into sorted arrays later, by the flusher, off the apply thread.
 *
 * <p>Applying a write returns its sequence (see {@link KvEntry}). The delta keeps its sequence
 * counter across freezes and refuses a write whose epoch does not move it forward, which would
 * mean two writes claiming the same place in the order.
 *
 * <p>Threads: the engine calls {@code apply}, {@code estimatedSizeBytes} and {@code freeze} from
 * its apply thread; segments returned by {@code view} and {@code freeze} are read by any thread.
 */
public final class KvDelta implements Delta<KvWrite, Long, KvSegment> {

    private volatile MemSegment live = new MemSegment();
    private long lastSequence;
    private long applied;

    @Override
    public Long apply(long epoch, KvWrite write) {
        if (epoch <= lastSequence) {
            throw new IllegalStateException("write at epoch " + epoch + " arrived after sequence " + lastSequence
                                             + ": sequences must increase; the coordinator or a replay delivered writes out of order");
        }
        live.put(new KvEntry(write.key(), write.value(), epoch));
        lastSequence = epoch;
        applied++;
        return epoch;
    }

    @Override
    public long estimatedSizeBytes() {
        return live.estimatedBytes();
    }

    @Override
    public KvSegment view() {
        return live;
    }

    @Override
    public KvSegment freeze() {
        MemSegment frozen = live;
        live = new MemSegment();
        return frozen;
    }

    /** @return the sequence of the last write applied, across freezes (0 before the first) */
    public long lastSequence() {
        return lastSequence;
    }

    /** @return writes applied since this delta was created, across freezes */
    public long appliedCount() {
        return applied;
    }
}
