package io.epochring;

/**
 * A flush could not be completed (the flusher failed and its retry policy gave up), so the writes
 * waiting for WRITTEN or DURABLE in the affected epochs will not reach it. The cause is the
 * flusher's last error.
 */
public final class FlushFailedException extends EpochRingException {

    private final EpochRange range;

    public FlushFailedException(EpochRange range, String reason, Throwable cause) {
        super("flush of epochs " + range.first() + ".." + range.last() + " failed: " + reason
              + (cause == null ? "" : ": " + cause), cause);
        this.range = range;
    }

    /** @return the epochs of the frozen delta whose flush failed */
    public EpochRange range() {
        return range;
    }
}
