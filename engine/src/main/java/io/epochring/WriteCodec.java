package io.epochring;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Turns writes into journal payload bytes and back. Called on the apply thread (encode, just
 * before the write is applied) and on the thread calling {@code start()} (decode, during recovery).
 * Decoding what was encoded must give back an equal write: recovery applies the decoded writes.
 *
 * @param <W> the write type
 */
public interface WriteCodec<W> {

    /**
     * Encodes one write into {@code buffer} at {@code offset}; the buffer grows as needed.
     *
     * @return the number of bytes written
     * @throws RuntimeException when the write cannot be encoded; that write fails: it is not
     *                          applied, and the journal records its epoch as rejected
     */
    int encode(W write, MutableDirectBuffer buffer, int offset);

    /**
     * Decodes one payload written by {@link #encode}.
     *
     * @throws RuntimeException when the bytes are not a valid payload
     */
    W decode(DirectBuffer buffer, int offset, int length);
}
