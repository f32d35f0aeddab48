package io.epochring.journal.support;

import io.epochring.WriteCodec;
import io.epochring.testing.Put;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/** Encodes a {@link Put} as a UTF-8 key (length-prefixed) and a long value, little-endian. */
public final class PutCodec implements WriteCodec<Put> {

    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    @Override
    public int encode(Put write, MutableDirectBuffer buffer, int offset) {
        int keyBytes = buffer.putStringUtf8(offset, write.key(), ORDER);
        buffer.putLong(offset + keyBytes, write.value(), ORDER);
        return keyBytes + Long.BYTES;
    }

    @Override
    public Put decode(DirectBuffer buffer, int offset, int length) {
        if (length < Integer.BYTES + Long.BYTES) {
            throw new IllegalArgumentException("a Put payload has at least 12 bytes, this one " + length);
        }
        int keyLength = buffer.getInt(offset, ORDER);
        if (keyLength < 0 || Integer.BYTES + keyLength + Long.BYTES != length) {
            throw new IllegalArgumentException("Put payload of " + length + " bytes claims a key of " + keyLength + " bytes");
        }
        String key = buffer.getStringUtf8(offset, ORDER);
        return new Put(key, buffer.getLong(offset + Integer.BYTES + keyLength, ORDER));
    }
}
