package io.epochring;

/**
 * The coordinator's first fault, latched once: whatever it was, every later caller sees this one.
 * Every waiter at a level the fault keeps its write from reaching gets it, channels refuse new
 * writes with it as the cause ({@link CoordinatorFailedException}), nothing more is journaled or
 * flushed, and {@link EpochRing#stop()} reports it. Writes already JOURNALED come back when the
 * journal is reopened. The subclass names what failed; the cause is the original error.
 *
 * <ul>
 *   <li>{@link FlushFailedException}: storage's flush or sync, after the retry policy gave up</li>
 *   <li>{@link JournalFailedException}: a journal append, commit or checkpoint</li>
 *   <li>{@link DeltaFailedException}: an {@link Error} from {@code Delta.apply}, or a failed freeze</li>
 *   <li>{@link SinkFailedException}: a required sink that could not deliver, or any sink's {@link Error}</li>
 *   <li>{@link StageFailedException}: an unexpected throw on a ring or background thread</li>
 * </ul>
 */
public abstract class CoordinatorFaultException extends EpochRingException {

    private final EpochRange range;

    protected CoordinatorFaultException(String what, EpochRange range, String reason, Throwable cause) {
        super(what + (range.isEmpty() ? "" : " (epochs " + range.first() + ".." + range.last() + ")") + ": " + reason
              + (cause == null ? "" : ": " + cause)
              + ". The coordinator stopped taking writes: stop it, fix the cause, and start it again"
              + " (with a journal, every write that reached JOURNALED comes back)", cause);
        this.range = range;
    }

    /** @return the epochs the failed operation concerned (empty when it concerned none in particular) */
    public EpochRange range() {
        return range;
    }
}
