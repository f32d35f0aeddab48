package io.epochring;

/**
 * {@code tryWrite} found the channel (or the ring) full. Thrown without a stack trace: it is flow
 * control, not a bug.
 */
public final class BackpressureException extends RejectedWriteException {

    public BackpressureException(String channel, int capacity, Object write) {
        super("channel '" + channel + "' is full (" + capacity + " writes queued): retry later, use write(w, timeout) to wait for space, or raise the channel's capacity",
              write, null, false);
    }

    /** The channel had room, but the ring all channels share did not. */
    static BackpressureException ringFull(String channel, int ringSize, Object write) {
        return new BackpressureException("the ring shared by every channel is full (" + ringSize + " slots) although channel '" + channel
                                         + "' has room: the apply stage or the flush thread is behind; retry later, use write(w, timeout),"
                                         + " or raise the ring size", write);
    }

    /** The channel or the ring lacked room for a whole batch; {@code writes} is the batch, handed back. */
    static BackpressureException batchDoesNotFit(String channel, int capacity, int ringSize, int count, Object writes) {
        return new BackpressureException("channel '" + channel + "' (capacity " + capacity + ") or the ring shared by every channel ("
                                         + ringSize + " slots) has no room for all " + count + " writes of the batch, so none was"
                                         + " accepted: retry later, use writeAll to wait for room, or send smaller batches", writes);
    }

    private BackpressureException(String message, Object write) {
        super(message, write, null, false);
    }
}
