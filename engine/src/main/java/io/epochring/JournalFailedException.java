package io.epochring;

/**
 * The coordinator's first fault was that a journal append, commit (sync) or checkpoint failed.
 * Nothing more is appended after it (a half-written record must not be followed by more), and
 * JOURNALED never covers the epochs it concerned. See {@link CoordinatorFaultException}.
 */
public final class JournalFailedException extends CoordinatorFaultException {

    public JournalFailedException(EpochRange range, String reason, Throwable cause) {
        super("the journal failed", range, reason, cause);
    }
}
