package io.epochring;

import java.util.List;
import java.util.OptionalLong;

/**
 * A secondary destination for frozen deltas (an archive, a replica, an index), fed after the
 * primary {@link Flusher} accepted each delta. Each sink runs on its own thread with its own
 * bounded queue; see {@link SinkOptions} for required vs optional, overflow and coalescing.
 *
 * <p>Threads: {@link #accept} comes from this sink's own thread, one call at a time, in epoch
 * order; {@link #deliveredEpoch} from the thread calling {@code start()}. The frozen deltas it gets
 * are shared with storage and readers: read them, never change them.
 *
 * @param <F> the frozen delta type
 */
@FunctionalInterface
public interface Sink<F> {

    /**
     * Receives one or more consecutive frozen deltas, oldest first. Deltas that arrived within
     * the sink's batch window come in one call. An exception the coordinator's classifier calls
     * transient ({@link TransientFlushException} by default) is retried under its
     * {@link FlushRetryPolicy}, meanwhile the sink's health degrades; any other is given up on at
     * once (a required sink then fails the coordinator; an optional one drops the deltas). An
     * {@link Error} fails the coordinator.
     */
    void accept(List<SinkDelta<F>> deltas) throws Exception;

    /**
     * The highest epoch this sink has delivered, as the sink itself knows it when the coordinator
     * starts (a durable sink persists it with what it delivered). With it, recovery hands the sink
     * exactly the epochs it lacks, each once, even when they are older than what storage holds.
     *
     * <p>The default, empty, means "cannot tell": the sink is then assumed to hold the journal's
     * durable checkpoint (a required sink holds at least that much, since DURABLE waits for it),
     * and may receive epochs above it again after a crash (<b>at least once</b>; use
     * {@link SinkDelta#range()} to skip them).
     *
     * @return the epoch delivered so far, or empty when this sink cannot tell
     */
    default OptionalLong deliveredEpoch() {
        return OptionalLong.empty();
    }

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
