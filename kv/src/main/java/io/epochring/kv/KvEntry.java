package io.epochring.kv;

import java.util.Arrays;

/**
 * What one layer of the store (live delta, frozen delta, RocksDB snapshot) holds for a key: its
 * value, or a tombstone when the key was deleted, and the sequence of the write that set it.
 *
 * <p>The sequence is the write's epoch: unique, increasing across freezes and flushes, and the
 * same when a journal replay applies the write again. With a journal it keeps increasing across
 * restarts; without one, epochs (and so sequences) start again at 1 on every open.
 *
 * <p>The arrays are shared, not copied: do not change them.
 */
public final class KvEntry {

    private final byte[] key;
    private final byte[] value;
    private final long sequence;

    KvEntry(byte[] key, byte[] value, long sequence) {
        this.key = key;
        this.value = value;
        this.sequence = sequence;
    }

    public byte[] key() {
        return key;
    }

    /** @return the value, or null for a tombstone */
    public byte[] value() {
        return value;
    }

    public long sequence() {
        return sequence;
    }

    /** @return true when this entry records a delete */
    public boolean isTombstone() {
        return value == null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KvEntry other && sequence == other.sequence && Arrays.equals(key, other.key)
               && Arrays.equals(value, other.value);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(key) * 31 + Long.hashCode(sequence);
    }

    @Override
    public String toString() {
        return (isTombstone() ? "tombstone(" : "entry(") + KvWrite.printable(key)
               + (isTombstone() ? "" : ", " + value.length + " bytes") + ", seq " + sequence + ")";
    }
}
