package io.epochring.journal.support;

import io.epochring.WriteCodec;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/** Encodes an {@link Increment} as a UTF-8 key (length-prefixed), the amount and the sequence, little-endian. */
public final class IncrementCodec implements WriteCodec<Increment> {

    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    @Override
    public int encode(Increment write, MutableDirectBuffer buffer, int offset) {
        int keyBytes = buffer.putStringUtf8(offset, write.key(), ORDER);
        buffer.putLong(offset + keyBytes, write.amount(), ORDER);
        buffer.putLong(offset + keyBytes + Long.BYTES, write.seq(), ORDER);
        return keyBytes + 2 * Long.BYTES;
    }

    @Override
    public Increment decode(DirectBuffer buffer, int offset, int length) {
        int keyLength = length < Integer.BYTES ? -1 : buffer.getInt(offset, ORDER);
        if (keyLength < 0 || Integer.BYTES + keyLength + 2 * Long.BYTES != length) {
            throw new IllegalArgumentException("an Increment payload of " + length + " bytes claims a key of " + keyLength + " bytes");
        }
        String key = buffer.getStringUtf8(offset, ORDER);
        int at = offset + Integer.BYTES + keyLength;
        return new Increment(key, buffer.getLong(at, ORDER), buffer.getLong(at + Long.BYTES, ORDER));
    }
}
