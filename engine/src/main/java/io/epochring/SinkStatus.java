package io.epochring;

/**
 * One sink's state at one moment.
 *
 * @param name                the sink
 * @param health              from consecutive failures
 * @param consecutiveFailures failed deliveries since the last success
 * @param lastError           the most recent delivery error, or null
 * @param deliveredEpoch      every delta up to this epoch was delivered (or given up on, for optional sinks)
 * @param calls               successful {@link Sink#accept} calls
 * @param deltasDelivered     deltas delivered (several per call when coalesced)
 * @param deltasDropped       deltas dropped by DROP_OLDEST or given up after retries
 * @param overflowFailures    deltas refused by the FAIL overflow policy
 * @param queued              deltas waiting now
 */
public record SinkStatus(String name, SinkHealth health, int consecutiveFailures, Throwable lastError,
                         long deliveredEpoch, long calls, long deltasDelivered, long deltasDropped,
                         long overflowFailures, int queued) {
}
