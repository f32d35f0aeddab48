package io.epochring.kv;

import io.epochring.WriteCodec;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * The journal format of a {@link KvWrite}: any bytes as key and value, round-tripped exactly.
 *
 * <pre>
 *  offset 0   1 byte   kind: 'P' put, 'D' delete, 'A' add
 *  offset 1   4 bytes  key length n (little-endian int32)
 *  offset 5   n bytes  key
 *  offset 5+n rest     put: the value (may be empty); delete: nothing; add: the amount (little-endian int64)
 * </pre>
 *
 * Adds came after puts and deletes: their kind byte is new and the other two are unchanged, so a
 * journal written before adds existed reads the same, and the version stayed 1.
 *
 * <p>Journals record this codec as {@value #NAME}, version {@value #VERSION}, and a store refuses a
 * journal recorded with another codec. Bump {@link #VERSION} when a change makes a payload written
 * before read differently or not at all; a change old journals read the same keeps it.
 *
 * A payload that does not follow this layout fails {@link #decode} with a message naming what is
 * wrong, which recovery reports as a corrupt journal record.
 */
public final class KvCodec implements WriteCodec<KvWrite> {

    /** The name journals record for this codec: fixed, whatever the class is called. */
    public static final String NAME = "epochring.kv";
    /** The version of the layout above. */
    public static final int VERSION = 1;

    /** The codec is stateless: share it. */
    public static final KvCodec INSTANCE = new KvCodec();

    static final byte PUT = 'P';
    static final byte DELETE = 'D';
    static final byte ADD = 'A';
    private static final int HEADER = 5;

    private KvCodec() {
    }

    /** @return {@value #NAME} */
    @Override
    public String name() {
        return NAME;
    }

    /** @return {@value #VERSION} */
    @Override
    public int version() {
        return VERSION;
    }

    @Override
    public int encode(KvWrite write, MutableDirectBuffer buffer, int offset) {
        byte[] key = write.key();
        buffer.putByte(offset, write.isDelete() ? DELETE : write.isAdd() ? ADD : PUT);
        buffer.putInt(offset + 1, key.length, ByteOrder.LITTLE_ENDIAN);
        buffer.putBytes(offset + HEADER, key);
        if (write.isDelete()) {
            return HEADER + key.length;
        }
        if (write.isAdd()) {
            buffer.putLong(offset + HEADER + key.length, write.amount(), ByteOrder.LITTLE_ENDIAN);
            return HEADER + key.length + Long.BYTES;
        }
        buffer.putBytes(offset + HEADER + key.length, write.value());
        return HEADER + key.length + write.value().length;
    }

    @Override
    public KvWrite decode(DirectBuffer buffer, int offset, int length) {
        if (length < HEADER) {
            throw new IllegalArgumentException("kv payload of " + length + " bytes is shorter than its " + HEADER + "-byte header");
        }
        byte kind = buffer.getByte(offset);
        int keyLength = buffer.getInt(offset + 1, ByteOrder.LITTLE_ENDIAN);
        if (keyLength < 0 || keyLength > length - HEADER) {
            throw new IllegalArgumentException("kv payload of " + length + " bytes claims a key of " + keyLength + " bytes");
        }
        byte[] key = new byte[keyLength];
        buffer.getBytes(offset + HEADER, key);
        int valueLength = length - HEADER - keyLength;
        if (kind == DELETE) {
            if (valueLength != 0) {
                throw new IllegalArgumentException("kv delete payload carries " + valueLength + " unexpected bytes after its key");
            }
            return KvWrite.delete(key);
        }
        if (kind == ADD) {
            if (valueLength != Long.BYTES) {
                throw new IllegalArgumentException("kv add payload carries " + valueLength + " bytes after its key, expected an "
                                                   + Long.BYTES + "-byte amount");
            }
            return KvWrite.add(key, buffer.getLong(offset + HEADER + keyLength, ByteOrder.LITTLE_ENDIAN));
        }
        if (kind != PUT) {
            throw new IllegalArgumentException("kv payload has unknown kind byte 0x" + Integer.toHexString(kind & 0xff)
                                               + " (expected 'P', 'D' or 'A')");
        }
        byte[] value = new byte[valueLength];
        buffer.getBytes(offset + HEADER + keyLength, value);
        return KvWrite.put(key, value);
    }
}
