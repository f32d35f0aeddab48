package io.epochring;

/**
 * The coordinator's first fault was that a required sink could not deliver (a permanent error, or
 * the retry window closed), or a sink threw an {@link Error}. See {@link
 * CoordinatorFaultException}.
 */
public final class SinkFailedException extends CoordinatorFaultException {

    public SinkFailedException(EpochRange range, String reason, Throwable cause) {
        super("a sink failed", range, reason, cause);
    }
}
