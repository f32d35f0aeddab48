package io.epochring.kv;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One write to a {@link KvStore}: put a value under a key, delete a key, or add to the counter
 * a key holds. Keys and values are any bytes (an empty key is a key too); keys sort as unsigned
 * bytes, as RocksDB sorts them.
 *
 * <p>A counter is an ordinary value of 8 bytes, a big-endian signed long: {@link #add} reads the
 * key's current value (absent or deleted counts as 0), adds to it and stores the sum as a plain
 * value, so a read sees the number and a put or delete sets or resets it.
 *
 * <p>The arrays are not copied: hand them over and do not change them afterwards, since the
 * store keeps them in its delta, journal buffer and scans.
 */
public final class KvWrite {

    private static final byte PUT = 0;
    private static final byte DELETE = 1;
    private static final byte ADD = 2;

    private final byte kind;
    private final byte[] key;
    private final byte[] value;
    private final long amount;

    private KvWrite(byte kind, byte[] key, byte[] value, long amount) {
        this.kind = kind;
        this.key = key;
        this.value = value;
        this.amount = amount;
    }

    /**
     * @throws NullPointerException when the key or value is null (use {@link #delete} to remove a key)
     */
    public static KvWrite put(byte[] key, byte[] value) {
        Objects.requireNonNull(key, "put: key must not be null");
        Objects.requireNonNull(value, "put: value must not be null; to remove a key use KvWrite.delete(key)");
        return new KvWrite(PUT, key, value, 0);
    }

    /**
     * @throws NullPointerException when the key is null
     */
    public static KvWrite delete(byte[] key) {
        Objects.requireNonNull(key, "delete: key must not be null");
        return new KvWrite(DELETE, key, null, 0);
    }

    /**
     * Adds {@code amount} (negative to subtract) to the counter under {@code key}. Applying it
     * fails, for this write only, when the key holds a value that is not 8 bytes or the sum
     * overflows a long; the key keeps its value then.
     *
     * @throws NullPointerException when the key is null
     */
    public static KvWrite add(byte[] key, long amount) {
        Objects.requireNonNull(key, "add: key must not be null");
        return new KvWrite(ADD, key, null, amount);
    }

    public byte[] key() {
        return key;
    }

    /** @return the value to store for a put; null for a delete or an add */
    public byte[] value() {
        return value;
    }

    public boolean isDelete() {
        return kind == DELETE;
    }

    public boolean isAdd() {
        return kind == ADD;
    }

    /** @return what an add adds to the counter; 0 for a put or delete */
    public long amount() {
        return amount;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KvWrite other && kind == other.kind && amount == other.amount && Arrays.equals(key, other.key)
               && Arrays.equals(value, other.value);
    }

    @Override
    public int hashCode() {
        return (31 * Arrays.hashCode(key) + Arrays.hashCode(value)) * 31 + Long.hashCode(amount) + kind;
    }

    @Override
    public String toString() {
        switch (kind) {
            case DELETE:
                return "delete(" + printable(key) + ")";
            case ADD:
                return "add(" + printable(key) + ", " + amount + ")";
            default:
                return "put(" + printable(key) + ", " + value.length + " bytes)";
        }
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
