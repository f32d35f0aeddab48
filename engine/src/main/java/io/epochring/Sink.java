package io.epochring;

import java.util.List;

/**
 * A secondary destination for frozen deltas (an archive, a replica, an index), fed after the
 * primary {@link Flusher} accepted each delta. Each sink runs on its own thread with its own
 * bounded queue; see {@link SinkOptions} for required vs optional, overflow and coalescing.
 *
 * @param <F> the frozen delta type
 */
@FunctionalInterface
public interface Sink<F> {

    /**
     * Receives one or more consecutive frozen deltas, oldest first. Deltas that arrived within
     * the sink's batch window come in one call. A throw is retried under the coordinator's
     * {@link FlushRetryPolicy}; meanwhile the sink's health degrades.
     */
    void accept(List<SinkDelta<F>> deltas) throws Exception;

    /**
     * One frozen delta and the epochs it covers.
     *
     * @param frozen the delta, as the primary flusher got it
     * @param range  its epochs
     * @param <F>    the frozen delta type
     */
    record SinkDelta<F>(F frozen, EpochRange range) {
    }
}
