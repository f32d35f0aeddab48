package io.epochring;

/**
 * A write the coordinator did not accept. The write is handed back, unchanged and never applied,
 * so the caller can retry, reroute or drop it knowingly.
 */
public class RejectedWriteException extends EpochRingException {

    private final transient Object write;

    public RejectedWriteException(String message, Object write, Throwable cause, boolean withStackTrace) {
        super(message, cause, withStackTrace);
        this.write = write;
    }

    /**
     * @param <W> the channel's write type
     * @return the rejected write, or null when the rejected call was not a write (a flush)
     */
    @SuppressWarnings("unchecked")
    public <W> W write() {
        return (W) write;
    }
}
