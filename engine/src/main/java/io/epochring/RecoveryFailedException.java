package io.epochring;

/**
 * {@link EpochRing#start()} could not recover: a journaled write that was applied when it was
 * first written fails to apply on replay, or a target's position contradicts the journal. Nothing
 * on disk was changed, so a fixed build (a deterministic {@link Delta}, the right codec) or a
 * repaired directory can recover later.
 */
public class RecoveryFailedException extends EpochRingException {

    private final long epoch;
    private final String channel;

    public RecoveryFailedException(String message, long epoch, String channel, Throwable cause) {
        super(message, cause);
        this.epoch = epoch;
        this.channel = channel;
    }

    /** @return the epoch recovery stopped at, 0 when no single write is to blame */
    public long epoch() {
        return epoch;
    }

    /** @return the channel of the write recovery stopped at, or null */
    public String channel() {
        return channel;
    }
}
