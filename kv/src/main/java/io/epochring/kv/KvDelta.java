package io.epochring.kv;

import io.epochring.Delta;
import io.epochring.View;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The store's delta: puts, deletes (tombstones) and counter adds in a sorted in-memory segment,
 * last write wins per key. {@link #freeze()} swaps the live segment for an empty one in O(1); the
 * frozen segment is sealed into sorted arrays later, by the flusher, off the apply thread.
 *
 * <p>Applying a put or delete returns its sequence (see {@link KvEntry}); applying an add returns
 * the counter's new value (the add's sequence is its handle's epoch). The delta keeps its sequence
 * counter across freezes and refuses a write whose epoch does not move it forward, which would
 * mean two writes claiming the same place in the order.
 *
 * <p>An add is the one write that depends on what came before it: it reads the key's current
 * value, adds to it and stores the sum as an ordinary 8-byte value. So the delta reads below its
 * live segment, through what the store holds for the key:
 * <ul>
 *   <li>while the store runs: the current {@link View}'s frozen segments, then its RocksDB
 *       snapshot, installed with {@link #readThrough} once the coordinator has started;</li>
 *   <li>before that, while the journal is replayed into it at start: the segments this delta
 *       froze so far (recovery freezes only at a target's position), then the RocksDB snapshot it
 *       was created with, which holds exactly the epochs up to the one RocksDB stored.</li>
 * </ul>
 * Either way the layers hold every write applied before the add, each once, so the sum depends
 * only on the order of the writes: an add replayed from the journal gets the value it got the
 * first time, and one that was rejected is rejected again (replay skips it anyway).
 *
 * <p>Cost: an add whose key is in the live segment costs a hash lookup more than a put; otherwise
 * it looks in each frozen segment (a hash or binary search each) and then does one RocksDB
 * {@code get} on the apply thread (microseconds when the block is cached, a disk read when not).
 * Keep hot counters hot: they stay in the live segment between flushes.
 *
 * <p>Threads: the engine calls {@code apply}, {@code estimatedSizeBytes} and {@code freeze} from
 * its apply thread; segments returned by {@code view} and {@code freeze} are read by any thread.
 */
public final class KvDelta implements Delta<KvWrite, Long, KvSegment> {

    private volatile MemSegment live = new MemSegment();
    private long lastSequence;
    private long applied;

    /** What storage held before any write reached this delta; null when there is no storage below it. */
    private final KvSnapshot storage;
    /** Segments frozen before {@link #views} was installed, oldest first: layers that storage lacks. */
    private final List<KvSegment> frozenBeforeViews = new ArrayList<>();
    private volatile Supplier<View<KvSegment, KvSnapshot>> views;

    /**
     * A delta with nothing below it: an add reads the live segment and the segments this delta
     * froze (all of them are kept for that), until {@link #readThrough} says where the rest is.
     */
    public KvDelta() {
        this(null);
    }

    /**
     * A delta over RocksDB, for a coordinator assembled by hand as {@link KvStore} does it: create
     * it with the flusher's snapshot before the coordinator starts, and call {@link #readThrough}
     * once it has.
     *
     * @param storage {@link RocksDbFlusher#snapshot()} right after opening, at the epoch RocksDB
     *                stores: the base for adds replayed from the journal before the coordinator runs
     */
    public KvDelta(KvSnapshot storage) {
        this.storage = storage;
    }

    /**
     * From now on, an add reads below the live segment through the current view (pass
     * {@code ring::view}): call it once the coordinator has started, before any write is
     * submitted. The segments frozen before then are forgotten: the views hold them until storage
     * does.
     */
    public void readThrough(Supplier<View<KvSegment, KvSnapshot>> views) {
        this.views = Objects.requireNonNull(views, "views must not be null");
    }

    /**
     * @throws IllegalStateException    when the epoch does not move the sequence forward
     * @throws IllegalArgumentException when an add finds a value that is not an 8-byte counter
     * @throws ArithmeticException      when an add would overflow the counter
     */
    @Override
    public Long apply(long epoch, KvWrite write) {
        if (epoch <= lastSequence) {
            throw new IllegalStateException("write at epoch " + epoch + " arrived after sequence " + lastSequence
                                             + ": sequences must increase; the coordinator or a replay delivered writes out of order");
        }
        Long result;
        KvEntry entry;
        if (write.isAdd()) {
            long sum = add(counter(epoch, write.key()), write);
            entry = new KvEntry(write.key(), StoredValue.longBytes(sum), epoch);
            result = sum;
        } else {
            entry = new KvEntry(write.key(), write.value(), epoch);
            result = epoch;
        }
        live.put(entry);
        lastSequence = epoch;
        applied++;
        return result;
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
        if (views == null) {
            frozenBeforeViews.add(frozen);
        } else if (!frozenBeforeViews.isEmpty()) {
            frozenBeforeViews.clear();
        }
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

    /** @return the counter under {@code key} before the add at {@code epoch}: 0 when absent or deleted */
    private long counter(long epoch, byte[] key) {
        KvEntry current = live.get(key);
        if (current == null) {
            current = below(epoch, key);
        }
        if (current == null || current.isTombstone()) {
            return 0;
        }
        byte[] value = current.value();
        if (value.length != Long.BYTES) {
            throw new IllegalArgumentException("add to key " + KvWrite.printable(key) + ": it holds a " + value.length
                                               + "-byte value (set at sequence " + current.sequence() + "), not an 8-byte counter;"
                                               + " put an 8-byte big-endian long there or delete the key before adding to it");
        }
        return StoredValue.getLong(value);
    }

    private KvEntry below(long epoch, byte[] key) {
        Supplier<View<KvSegment, KvSnapshot>> current = views;
        if (current != null) {
            if (!frozenBeforeViews.isEmpty()) {
                frozenBeforeViews.clear();
            }
            return Layers.belowLive(current, key);
        }
        for (int i = frozenBeforeViews.size() - 1; i >= 0; i--) {
            KvEntry entry = frozenBeforeViews.get(i).get(key);
            if (entry != null) {
                return entry;
            }
        }
        return storage == null ? null : stored(epoch, key);
    }

    /** Before the views exist: RocksDB as opened, which holds every epoch up to its written epoch. */
    private KvEntry stored(long epoch, byte[] key) {
        if (epoch <= storage.writtenEpoch()) {
            // Replay hands epochs RocksDB holds only to a sink that lags it; the counter as it was
            // before this epoch is gone from RocksDB, so the add cannot be computed again.
            throw new IllegalStateException("add to key " + KvWrite.printable(key) + " at epoch " + epoch + " is replayed, but RocksDB"
                                            + " already holds epochs up to " + storage.writtenEpoch() + " and no longer has the counter"
                                            + " as it was before it: counters cannot be rebuilt for a sink that lags RocksDB");
        }
        if (!storage.tryAcquire()) {
            throw new IllegalStateException("the RocksDB snapshot the store opened with was released before the journal replay"
                                            + " ended: install the views with readThrough before the first flush");
        }
        try {
            return storage.entry(key);
        } finally {
            storage.release();
        }
    }

    private static long add(long counter, KvWrite write) {
        try {
            return Math.addExact(counter, write.amount());
        } catch (ArithmeticException e) {
            throw new ArithmeticException("add " + write.amount() + " to key " + KvWrite.printable(write.key()) + ": the counter holds "
                                          + counter + " and the sum overflows a long; the counter keeps its value");
        }
    }
}
