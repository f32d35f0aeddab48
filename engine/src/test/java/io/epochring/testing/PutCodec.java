package io.epochring.testing;

import io.epochring.WriteCodec;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Encodes a {@link Put} as its value (8 bytes) then its key (length-prefixed UTF-8). A key starting
 * with {@code "unencodable"} cannot be encoded.
 */
public final class PutCodec implements WriteCodec<Put> {

    @Override
    public int encode(Put write, MutableDirectBuffer buffer, int offset) {
        if (write.key().startsWith("unencodable")) {
            throw new IllegalArgumentException("the test codec cannot encode key '" + write.key() + "'");
        }
        buffer.putLong(offset, write.value());
        return Long.BYTES + buffer.putStringUtf8(offset + Long.BYTES, write.key());
    }

    @Override
    public Put decode(DirectBuffer buffer, int offset, int length) {
        return new Put(buffer.getStringUtf8(offset + Long.BYTES), buffer.getLong(offset));
    }
}
