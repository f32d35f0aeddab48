package io.epochring.kv;

import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Snapshot;

import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A point-in-time view of the store's RocksDB database, taken after a flush: the {@code S} type of
 * the store's {@link io.epochring.View}. It holds a RocksDB snapshot, which pins old data in the
 * database until it is released.
 *
 * <p>Reference counted: the flusher holds one reference until a newer snapshot has replaced this
 * one in the published view, and each read holds one while it runs. The RocksDB snapshot is
 * released when the count reaches zero; from then on {@link #tryAcquire()} returns false, and a
 * reader that still has an old {@code View} should read {@code ring.view()} again (the new view
 * carries a newer snapshot). {@link #get} acquires and releases on its own.
 */
public final class KvSnapshot {

    private final RocksDbFlusher owner;
    private final Snapshot snapshot;
    private final ReadOptions readOptions;
    private final long writtenEpoch;
    private final AtomicInteger refs = new AtomicInteger(1);

    KvSnapshot(RocksDbFlusher owner, Snapshot snapshot, long writtenEpoch) {
        this.owner = owner;
        this.snapshot = snapshot;
        this.readOptions = new ReadOptions().setSnapshot(snapshot);
        this.writtenEpoch = writtenEpoch;
    }

    /** @return the last epoch written to the database when this snapshot was taken */
    public long writtenEpoch() {
        return writtenEpoch;
    }

    /**
     * Takes a reference for a read.
     *
     * @return false when the snapshot was already released: read the current view instead
     */
    public boolean tryAcquire() {
        while (true) {
            int r = refs.get();
            if (r == 0) {
                return false;
            }
            if (refs.compareAndSet(r, r + 1)) {
                return true;
            }
        }
    }

    /** Gives back a reference taken by {@link #tryAcquire()} (or the flusher's own). */
    public void release() {
        int r = refs.decrementAndGet();
        if (r == 0) {
            readOptions.close();
            owner.onReleased(this);
        } else if (r < 0) {
            refs.incrementAndGet();
            throw new IllegalStateException("KvSnapshot released more often than acquired: pair every tryAcquire() with one release()");
        }
    }

    /** @return true once the RocksDB snapshot has been released */
    public boolean isReleased() {
        return refs.get() == 0;
    }

    /**
     * @return the value stored under {@code key} in this snapshot, or null
     * @throws IllegalStateException when the snapshot was already released
     */
    public byte[] get(byte[] key) {
        if (!tryAcquire()) {
            throw new IllegalStateException("this RocksDB snapshot (written epoch " + writtenEpoch
                                            + ") was released after a newer flush: read ring.view() again");
        }
        try {
            KvEntry entry = entry(key);
            return entry == null ? null : entry.value();
        } finally {
            release();
        }
    }

    @Override
    public String toString() {
        return "KvSnapshot[written epoch " + writtenEpoch + (isReleased() ? ", released]" : "]");
    }

    // ---- for the store; the caller holds a reference --------------------------------------------

    Snapshot rocksSnapshot() {
        return snapshot;
    }

    KvEntry entry(byte[] key) {
        try {
            byte[] stored = owner.db().get(owner.data(), readOptions, key);
            return stored == null ? null : StoredValue.decode(key, stored);
        } catch (RocksDBException e) {
            throw new KvStoreException("reading key " + KvWrite.printable(key) + " from RocksDB at " + owner.path()
                                       + " failed: " + e.getMessage(), e);
        }
    }

    /** @return the stored entries in [from, to), ascending; close it to free the native iterator */
    EntryCursor cursor(byte[] from, byte[] to) {
        RocksIterator iterator = owner.db().newIterator(owner.data(), readOptions);
        if (from == null) {
            iterator.seekToFirst();
        } else {
            iterator.seek(from);
        }
        return new EntryCursor() {
            private KvEntry next = read();

            private KvEntry read() {
                if (!iterator.isValid()) {
                    try {
                        iterator.status();
                    } catch (RocksDBException e) {
                        throw new KvStoreException("scanning RocksDB at " + owner.path() + " failed: " + e.getMessage(), e);
                    }
                    return null;
                }
                byte[] key = iterator.key();
                if (to != null && MemSegment.KEY_ORDER.compare(key, to) >= 0) {
                    return null;
                }
                return StoredValue.decode(key, iterator.value());
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public KvEntry next() {
                if (next == null) {
                    throw new NoSuchElementException();
                }
                KvEntry entry = next;
                iterator.next();
                next = read();
                return entry;
            }

            @Override
            public void close() {
                iterator.close();
            }
        };
    }
}
