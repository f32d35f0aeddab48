package io.epochring;

/**
 * The coordinator's first fault was that the delta cannot be trusted: {@code Delta.apply} threw an
 * {@link Error} (it may be half-changed), or {@code Delta.freeze()} or {@code view()} threw, so
 * nothing can be flushed again. See {@link CoordinatorFaultException}.
 */
public final class DeltaFailedException extends CoordinatorFaultException {

    public DeltaFailedException(EpochRange range, String reason, Throwable cause) {
        super("the delta failed", range, reason, cause);
    }
}
