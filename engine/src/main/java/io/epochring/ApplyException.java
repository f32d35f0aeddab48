package io.epochring;

/**
 * {@link Delta#apply} failed for one write. The write consumed its epoch; later writes go on.
 */
public final class ApplyException extends EpochRingException {

    private final long epoch;

    public ApplyException(long epoch, Throwable cause) {
        super("write at epoch " + epoch + " failed to apply: " + cause.getMessage(), cause);
        this.epoch = epoch;
    }

    /** @return the epoch the failed write was given */
    public long epoch() {
        return epoch;
    }
}
