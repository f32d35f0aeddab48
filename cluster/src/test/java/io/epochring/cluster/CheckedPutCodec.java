package io.epochring.cluster;

import io.epochring.WriteCodec;
import io.epochring.testing.Put;
import io.epochring.testing.PutCodec;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * {@link PutCodec}'s layout, decoded only when the payload has exactly that layout's length: a
 * cluster log message is a slice of a larger buffer, so a decoder must not read past its length.
 */
final class CheckedPutCodec implements WriteCodec<Put> {

    private final PutCodec codec = new PutCodec();

    @Override
    public String name() {
        return codec.name();
    }

    @Override
    public int encode(Put write, MutableDirectBuffer buffer, int offset) {
        return codec.encode(write, buffer, offset);
    }

    @Override
    public Put decode(DirectBuffer buffer, int offset, int length) {
        if (length < Long.BYTES + Integer.BYTES || length != Long.BYTES + Integer.BYTES + buffer.getInt(offset + Long.BYTES)) {
            throw new IllegalArgumentException("not a Put: " + length + " bytes");
        }
        return codec.decode(buffer, offset, length);
    }
}
