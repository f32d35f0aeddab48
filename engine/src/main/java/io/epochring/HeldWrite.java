package io.epochring;

/**
 * A write copied out of its ring slot while its channel is paused, so the ring can move on. Only
 * paused channels pay this allocation.
 */
final class HeldWrite {

    final Channel<?, ?> channel;
    final Object write;
    final WriteHandle<Object> handle;
    /** Set by the sequence stage on release: the epoch, or 0 when cancelled or failed. */
    long epoch;
    /** Set by the apply stage (with a journal): the write's bytes and apply outcome for the journal stage. */
    EncodedWrite encoded;

    HeldWrite(Channel<?, ?> channel, Object write, WriteHandle<Object> handle) {
        this.channel = channel;
        this.write = write;
        this.handle = handle;
    }
}
