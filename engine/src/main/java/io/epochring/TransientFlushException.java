package io.epochring;

/**
 * Thrown by a {@link Flusher} to say the failure may clear by itself (a busy disk, a lost
 * connection): the coordinator retries it under its {@link FlushRetryPolicy}. Any other exception
 * is permanent and is not retried.
 */
public class TransientFlushException extends Exception {

    public TransientFlushException(String message) {
        super(message);
    }

    public TransientFlushException(String message, Throwable cause) {
        super(message, cause);
    }
}
