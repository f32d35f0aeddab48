package io.epochring;

/**
 * Observes the flush thread: every completed flush, every failed attempt (and whether it will be
 * retried), and the terminal failure that puts the coordinator into its failed state. Called on
 * the flush thread: return quickly, and do not throw (a throw is reported to the error handler).
 */
public interface FlushListener {

    /** A frozen delta was written; {@code attempts} is 1 unless retries were needed. */
    default void onFlushed(EpochRange range, long nanos, int attempts) {
    }

    /**
     * One flush or sync attempt failed.
     *
     * @param willRetry false for a permanent error or when the retry window is exhausted
     */
    default void onFlushFailed(EpochRange range, Throwable error, int attempt, boolean willRetry) {
    }

    /** A sink dropped, refused or failed to deliver a delta (an audit record). */
    default void onSinkEvent(SinkEvent event) {
    }

    /** The coordinator gave up: it now refuses writes, and waiters above WRITTEN get {@code error}. */
    default void onTerminalFailure(CoordinatorFaultException error) {
    }
}
