package io.epochring.journal;

import org.agrona.DirectBuffer;

import java.nio.charset.StandardCharsets;

/**
 * A small cache between channel names and their UTF-8 bytes, so appending and replaying a record
 * allocate nothing once a channel has been seen. A coordinator has a handful of channels; past
 * {@link #CAPACITY} distinct names the cache stops growing and conversions allocate (still
 * correct, just slower). Not thread-safe: one instance per thread.
 */
final class ChannelNames {

    static final int CAPACITY = 64;

    private final String[] names = new String[CAPACITY];
    private final byte[][] encoded = new byte[CAPACITY][];
    private int size;

    /**
     * @return the UTF-8 bytes of {@code channel}; the caller must not modify them
     * @throws IllegalArgumentException when the name is longer than the record format allows
     */
    byte[] encode(String channel) {
        // The engine passes the same String instance for a channel every time: identity first.
        for (int i = 0; i < size; i++) {
            if (names[i] == channel) {
                return encoded[i];
            }
        }
        if (channel == null) {
            throw new NullPointerException("channel name must not be null: every journal record names its channel");
        }
        for (int i = 0; i < size; i++) {
            if (names[i].equals(channel)) {
                return encoded[i];
            }
        }
        byte[] bytes = channel.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > RecordFormat.MAX_CHANNEL_BYTES) {
            throw new IllegalArgumentException("channel name is " + bytes.length + " bytes in UTF-8; the journal stores at most "
                                               + RecordFormat.MAX_CHANNEL_BYTES + ": use a shorter channel name");
        }
        remember(channel, bytes);
        return bytes;
    }

    /** @return the channel name whose UTF-8 bytes are {@code buffer[offset, offset + length)} */
    String decode(DirectBuffer buffer, int offset, int length) {
        for (int i = 0; i < size; i++) {
            byte[] candidate = encoded[i];
            if (candidate.length == length && equal(candidate, buffer, offset)) {
                return names[i];
            }
        }
        byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        String name = new String(bytes, StandardCharsets.UTF_8);
        remember(name, bytes);
        return name;
    }

    private static boolean equal(byte[] candidate, DirectBuffer buffer, int offset) {
        for (int i = 0; i < candidate.length; i++) {
            if (candidate[i] != buffer.getByte(offset + i)) {
                return false;
            }
        }
        return true;
    }

    private void remember(String name, byte[] bytes) {
        if (size < CAPACITY) {
            names[size] = name;
            encoded[size] = bytes;
            size++;
        }
    }
}
