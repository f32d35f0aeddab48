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
}
