package io.epochring;

/**
 * The base of every error EpochRing reports to its users. Each message says what was wrong and,
 * where there is one, what to do.
 */
public class EpochRingException extends RuntimeException {

    public EpochRingException(String message) {
        super(message);
    }

    public EpochRingException(String message, Throwable cause) {
        super(message, cause);
    }

    /** For errors used as control flow (backpressure, say): no stack trace is filled in. */
    protected EpochRingException(String message, Throwable cause, boolean withStackTrace) {
        super(message, cause, true, withStackTrace);
    }
}
