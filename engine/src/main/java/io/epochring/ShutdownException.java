package io.epochring;

/**
 * The coordinator is stopping or stopped (or was never started), so it accepts no writes or
 * flushes. A write is handed back.
 */
public final class ShutdownException extends RejectedWriteException {

    public ShutdownException(String message, Object write) {
        super(message, write, null, true);
    }
}
