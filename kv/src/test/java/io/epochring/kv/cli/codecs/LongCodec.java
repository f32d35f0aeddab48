package io.epochring.kv.cli.codecs;

import io.epochring.WriteCodec;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/** A user's codec as {@code inspect --codec} loads it: a long per write, named {@value #NAME} version 1. */
public class LongCodec implements WriteCodec<LongCodec.Amount> {

    public static final String NAME = "test.long";

    /** The decoded write; its {@code toString()} is what inspect prints. */
    public record Amount(long value) {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int encode(Amount write, MutableDirectBuffer buffer, int offset) {
        buffer.putLong(offset, write.value(), ByteOrder.LITTLE_ENDIAN);
        return Long.BYTES;
    }

    @Override
    public Amount decode(DirectBuffer buffer, int offset, int length) {
        if (length != Long.BYTES) {
            throw new IllegalArgumentException("an amount is 8 bytes, this payload " + length);
        }
        return new Amount(buffer.getLong(offset, ByteOrder.LITTLE_ENDIAN));
    }

    /** The same codec after an incompatible change: version 2. */
    public static final class Version2 extends LongCodec {
        @Override
        public int version() {
            return 2;
        }
    }

    /** A codec the tool cannot create: it has no no-argument constructor. */
    public static final class NeedsArgument extends LongCodec {
        public NeedsArgument(String argument) {
        }
    }
}
