package io.epochring;

/**
 * A write or command refused because the coordinator failed earlier, like RocksDB after a
 * background error. The cause is the first fault, a {@link CoordinatorFaultException} naming what
 * failed and what to do; the write is handed back.
 */
public final class CoordinatorFailedException extends RejectedWriteException {

    public CoordinatorFailedException(Throwable cause, Object write) {
        super("the coordinator failed earlier and accepts no more writes; the first fault was: " + cause.getMessage(), write, cause, true);
    }
}
