package io.epochring;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Turns writes into journal payload bytes and back. Called on the apply thread (encode, just
 * before the write is applied) and on the thread calling {@code start()} (decode, during recovery).
 * Decoding what was encoded must give back an equal write: recovery applies the decoded writes.
 *
 * <p>Identity: a codec has a {@link #name()} and a {@link #version()}, which a journal records when
 * it is created; a coordinator whose codec has another name or version is refused that journal at
 * {@code start()}, before anything is replayed, so a journal is never decoded by a codec that did
 * not write it (bytes that happen to decode would be applied as wrong writes). Give a codec an
 * explicit name that outlives refactoring, and bump its version whenever the encoding changes so
 * that payloads written before cannot be decoded as written (a change that only adds a layout
 * the old decoder never saw keeps the version: old journals still read the same).
 *
 * @param <W> the write type
 */
public interface WriteCodec<W> {

    /**
     * The codec's name as journals record it; by default the class name. Override it with a
     * constant: a renamed or moved class would otherwise be refused the journals it wrote.
     * Must not be blank, start or end with whitespace, or hold control characters.
     */
    default String name() {
        return getClass().getName();
    }

    /**
     * The encoding's version as journals record it, at least 1; by default 1. Bump it when an
     * encoding change makes payloads written before decode differently, or not at all.
     */
    default int version() {
        return 1;
    }

    /**
     * Encodes one write into {@code buffer} at {@code offset}; the buffer grows as needed.
     *
     * @return the number of bytes written
     * @throws RuntimeException when the write cannot be encoded; that write fails: it is not
     *                          applied, and the journal records its epoch as rejected
     */
    int encode(W write, MutableDirectBuffer buffer, int offset);

    /**
     * Decodes one payload written by {@link #encode}. The buffer is valid only during this call (a
     * journal may hand over its mapped file's memory, and reuses the buffer): a decoded write must
     * copy what it keeps, never hold on to {@code buffer}.
     *
     * @throws RuntimeException when the bytes are not a valid payload
     */
    W decode(DirectBuffer buffer, int offset, int length);
}
