package io.epochring.kv;

import java.util.Arrays;

/**
 * How a value sits in RocksDB: the sequence of the write that set it (8 bytes, big-endian), then
 * the value's bytes. A delete is a RocksDB delete, so storage holds no tombstones.
 */
final class StoredValue {

    static final int PREFIX = Long.BYTES;

    private StoredValue() {
    }

    static byte[] encode(KvEntry entry) {
        byte[] value = entry.value();
        byte[] stored = new byte[PREFIX + value.length];
        putLong(stored, entry.sequence());
        System.arraycopy(value, 0, stored, PREFIX, value.length);
        return stored;
    }

    /**
     * @throws KvStoreException when the bytes are too short to be a stored value
     */
    static KvEntry decode(byte[] key, byte[] stored) {
        if (stored.length < PREFIX) {
            throw new KvStoreException("RocksDB holds a " + stored.length + "-byte value under key " + KvWrite.printable(key)
                                       + ", too short for the store's format: the database was written by something else");
        }
        return new KvEntry(key, Arrays.copyOfRange(stored, PREFIX, stored.length), getLong(stored));
    }

    static byte[] longBytes(long value) {
        byte[] bytes = new byte[Long.BYTES];
        putLong(bytes, value);
        return bytes;
    }

    static long getLong(byte[] bytes) {
        long v = 0;
        for (int i = 0; i < Long.BYTES; i++) {
            v = (v << 8) | (bytes[i] & 0xff);
        }
        return v;
    }

    private static void putLong(byte[] bytes, long value) {
        for (int i = Long.BYTES - 1; i >= 0; i--) {
            bytes[i] = (byte) value;
            value >>>= 8;
        }
    }
}
