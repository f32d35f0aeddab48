package io.epochring;

/**
 * The coordinator's first fault was that storage's {@link Flusher#flush} or {@link Flusher#sync}
 * failed for good: a permanent error, or a transient one that did not clear within the {@link
 * FlushRetryPolicy}'s window. See {@link CoordinatorFaultException}.
 */
public final class FlushFailedException extends CoordinatorFaultException {

    public FlushFailedException(EpochRange range, String reason, Throwable cause) {
        super("storage failed", range, reason, cause);
    }
}
