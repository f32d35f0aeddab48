package io.epochring;

/**
 * An audit record of something a sink lost or could not do, sent to {@link FlushListener#onSinkEvent}.
 *
 * @param sink      the sink
 * @param kind      what happened
 * @param range     the epochs of the delta concerned
 * @param queueSize the sink's queue size at the time
 * @param error     the delivery error, for {@link Kind#DELIVERY_FAILED} and {@link Kind#GAVE_UP}
 */
public record SinkEvent(String sink, Kind kind, EpochRange range, int queueSize, Throwable error) {

    /** What happened. */
    public enum Kind {
        /** DROP_OLDEST dropped this queued delta to make room. */
        DROPPED_OLDEST,
        /** FAIL refused this delta: the queue was full. */
        OVERFLOW_FAILED,
        /** One delivery attempt failed; it will be retried. */
        DELIVERY_FAILED,
        /** Retries ran out for an optional sink: these deltas were not delivered. */
        GAVE_UP
    }
}
