package io.epochring;

/**
 * The coordinator hit a terminal background error (a flush that could not be completed) and refuses
 * new writes, like RocksDB after a background error. The cause is the original failure. Writes that
 * were journaled are recovered when the journal is reopened.
 */
public final class CoordinatorFailedException extends RejectedWriteException {

    public CoordinatorFailedException(Throwable cause, Object write) {
        super("the coordinator failed and accepts no more writes: " + cause
              + ". Stop it, fix the storage problem, and reopen (journaled writes are recovered)", write, cause, true);
    }
}
