package io.epochring;

/**
 * The coordinator's first fault was that an unexpected throw (a bug, or an {@link Error} nobody
 * expected) on a ring stage or a background thread; the coordinator failed rather than let the
 * thread die silently. See {@link CoordinatorFaultException}.
 */
public final class StageFailedException extends CoordinatorFaultException {

    public StageFailedException(EpochRange range, String reason, Throwable cause) {
        super("a coordinator thread failed", range, reason, cause);
    }
}
