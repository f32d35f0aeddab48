package io.epochring;

/**
 * The write was cancelled before it was sequenced; it has no epoch and was never applied.
 */
public final class WriteCancelledException extends EpochRingException {

    public WriteCancelledException(String channel) {
        super("the write on channel '" + channel + "' was cancelled before it was applied");
    }
}
