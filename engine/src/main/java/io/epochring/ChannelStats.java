package io.epochring;

/**
 * One channel's counters at one moment.
 *
 * @param name          the channel
 * @param submitted     writes accepted into the channel
 * @param applied       writes applied (including ones whose apply failed)
 * @param rejected      writes refused for backpressure or timeout
 * @param cancelled     writes cancelled before they were applied
 * @param queueDepth    writes accepted but not yet applied (held ones included)
 * @param maxQueueDepth the deepest the queue has been
 */
public record ChannelStats(String name, long submitted, long applied, long rejected, long cancelled,
                           long queueDepth, long maxQueueDepth) {
}
