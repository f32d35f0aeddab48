/**
 * Micrometer meters for EpochRing.
 *
 * <pre>
 *  EpochRing ----stats()/sinks()----> EpochRingMetrics (MeterBinder) --> gauges, function counters,
 *  Channel ------stats()------------>   read when the registry is       function timer: epochring.*
 *  ChronicleJournal --stats()------->   scraped, never on a write
 *
 *  producer --> SampledChannel --(N-1 of N)--> Channel.tryPublish / publish  (no handle, no allocation)
 *                              --(1 of N)----> Channel.tryWrite / write --> WriteHandle futures
 *                                               APPLIED ... DURABLE --> Timer epochring.write.latency{level}
 * </pre>
 *
 * {@link io.epochring.micrometer.EpochRingMetrics} binds after the coordinator has started;
 * {@link io.epochring.micrometer.SampledChannel} wraps one channel per producer-facing use.
 */
package io.epochring.micrometer;
