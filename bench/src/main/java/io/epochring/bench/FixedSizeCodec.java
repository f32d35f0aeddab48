package io.epochring.bench;

import io.epochring.WriteCodec;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * The journal benchmarks' codec: a counter write (a {@code long}) as a payload of a fixed size,
 * the value in the first 8 bytes (little-endian), zeros after it. The size stands for a small
 * real write (24 bytes by default: an id, a key hash and a value). Decoding returns
 * {@link Long#valueOf}, which for the benchmarks' write of 1 is a cached instance, so replay
 * allocates nothing per record here either.
 */
final class FixedSizeCodec implements WriteCodec<Long> {

    static final int MIN_SIZE = Long.BYTES;

    private final int size;

    /**
     * @param size payload bytes per write, at least {@value #MIN_SIZE}
     * @throws IllegalArgumentException when {@code size} cannot hold the value
     */
    FixedSizeCodec(int size) {
        if (size < MIN_SIZE) {
            throw new IllegalArgumentException("payloadBytes must be >= " + MIN_SIZE + " (the write's long), was " + size);
        }
        this.size = size;
    }

    int size() {
        return size;
    }

    @Override
    public int encode(Long write, MutableDirectBuffer buffer, int offset) {
        buffer.putLong(offset, write, ByteOrder.LITTLE_ENDIAN);
        buffer.setMemory(offset + MIN_SIZE, size - MIN_SIZE, (byte) 0);
        return size;
    }

    @Override
    public Long decode(DirectBuffer buffer, int offset, int length) {
        if (length != size) {
            throw new IllegalArgumentException("payload is " + length + " bytes, this codec writes " + size
                                               + ": replay with the payloadBytes the journal was written with");
        }
        return buffer.getLong(offset, ByteOrder.LITTLE_ENDIAN);
    }
}
