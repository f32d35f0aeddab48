package io.epochring.kv;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One write to a {@link KvStore}: put a value under a key, or delete a key. Keys and values are
 * any bytes (an empty key is a key too); keys sort as unsigned bytes, as RocksDB sorts them.
 *
 * <p>The arrays are not copied: hand them over and do not change them afterwards, since the
 * store keeps them in its delta, journal buffer and scans.
 */
public final class KvWrite {

    private final byte[] key;
    private final byte[] value;

    private KvWrite(byte[] key, byte[] value) {
        this.key = key;
        this.value = value;
    }

    /**
     * @throws NullPointerException when the key or value is null (use {@link #delete} to remove a key)
     */
    public static KvWrite put(byte[] key, byte[] value) {
        Objects.requireNonNull(key, "put: key must not be null");
        Objects.requireNonNull(value, "put: value must not be null; to remove a key use KvWrite.delete(key)");
        return new KvWrite(key, value);
    }

    /**
     * @throws NullPointerException when the key is null
     */
    public static KvWrite delete(byte[] key) {
        Objects.requireNonNull(key, "delete: key must not be null");
        return new KvWrite(key, null);
    }

    public byte[] key() {
        return key;
    }

    /** @return the value to store, or null for a delete */
    public byte[] value() {
        return value;
    }

    public boolean isDelete() {
        return value == null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KvWrite other && Arrays.equals(key, other.key) && Arrays.equals(value, other.value);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(key) + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return isDelete() ? "delete(" + printable(key) + ")" : "put(" + printable(key) + ", " + value.length + " bytes)";
    }

    /** Keys in messages: as text when they look like text, else as hex. */
    static String printable(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0x20 || b > 0x7e) {
                StringBuilder hex = new StringBuilder("0x");
                for (int i = 0; i < Math.min(bytes.length, 32); i++) {
                    hex.append(String.format("%02x", bytes[i]));
                }
                return bytes.length > 32 ? hex.append("...").toString() : hex.toString();
            }
        }
        String text = new String(bytes, StandardCharsets.US_ASCII);
        return "'" + (text.length() > 64 ? text.substring(0, 64) + "..." : text) + "'";
    }
}
