package io.epochring.kv;

import java.util.Iterator;

/**
 * The read side of an in-memory layer of the store: the live delta and each frozen delta (the
 * {@code F} type of the store's {@link io.epochring.View}). A segment answers for the keys written
 * while it was live, tombstones included; a key it does not hold is to be looked up in older
 * layers.
 *
 * <p>Thread-safe for readers. The live segment keeps growing while it is read; a frozen one does
 * not change.
 */
public interface KvSegment {

    /**
     * @return the entry for {@code key} (possibly a tombstone), or null when this segment has none
     */
    KvEntry get(byte[] key);

    /**
     * @param from first key, inclusive; null for no lower bound
     * @param to   end key, exclusive; null for no upper bound
     * @return the entries in the range, tombstones included, in ascending unsigned-byte key order
     */
    Iterator<KvEntry> scan(byte[] from, byte[] to);

    /** @return the number of keys (tombstones included) */
    int size();
}
