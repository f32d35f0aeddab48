package io.epochring;

/**
 * The coordinator's first fault, latched once: a flush the retry policy gave up on, a sync, a
 * journal append, commit or checkpoint, an {@link Error} from the delta, a freeze, a sink or a
 * stage. The message names what failed and the epochs it concerned; the cause is the original
 * error. Every waiter at a level the fault keeps its write from reaching gets this exception, and
 * the coordinator refuses new writes with it as the cause.
 */
public final class FlushFailedException extends EpochRingException {

    private final EpochRange range;

    public FlushFailedException(EpochRange range, String reason, Throwable cause) {
        super((range.isEmpty() ? "" : "epochs " + range.first() + ".." + range.last() + ": ") + reason
              + (cause == null ? "" : ": " + cause), cause);
        this.range = range;
    }

    /** @return the epochs of the frozen delta whose flush failed */
    public EpochRange range() {
        return range;
    }
}
