/**
 * EpochRing's engine: a write coordinator that turns writes from many threads into one ordered,
 * optionally journaled stream of epochs, applied to an in-memory delta and flushed to storage in
 * the background.
 *
 * <pre>
 *  producers (any thread)          one Disruptor ring of preallocated {@code Slot}s
 *  Channel "a" --+  tryPublish / tryWrite / write(timeout) / write      +-------------------+
 *  Channel "b" --+---- per-channel permit (capacity) ------------------>| kind, channel,    |
 *  flush(sync) --+     pause / resume / stop are ring commands too      | write, handle     |
 *                                                                       +---------+---------+
 *          +--------------------------------------------------------------------+
 *          v
 *  [1 SequenceStage]  epoch := last + 1; paused channel -> hold queue; cancelled -> skipped
 *          v
 *  [2 JournalStage]   (with a journal) codec -> bytes -> Journal.append; commit at batch end
 *          |          -> JOURNALED watermark
 *          v
 *  [3 ApplyStage]     Delta.apply -> handle result / ApplyException -> APPLIED watermark;
 *          |          flush due (command, size, timer tick)? Delta.freeze() (O(1) swap), new View
 *          v
 *  [4 PublishStage]   frozen batch -> bounded hand-off (2) -> backpressure when the flusher lags
 *          v
 *  flush thread (FlushProcessor): Flusher.flush with FlushRetryPolicy -> View -> WRITTEN
 *                                 Flusher.sync -> Journal.checkpoint -> DURABLE
 * </pre>
 *
 * <p>{@link io.epochring.ThreadingMode#SINGLE_THREAD} runs stages 1-4 on one consumer thread;
 * {@link io.epochring.ThreadingMode#THREAD_PER_STAGE} gives each its own, chained with
 * Disruptor's {@code then}.
 *
 * <p>Design note (permits and the ring): channel capacity is a counter of writes accepted but
 * not yet applied, taken by producers with one CAS before they claim a ring slot and given back by
 * the apply stage. The ring bounds all writes in flight; the permits bound each channel's share,
 * including writes held by a paused channel (which leave the ring, so one paused channel never
 * blocks the others).
 *
 * <p>Design note (waiting): a write's handle is released at APPLIED by the apply stage itself;
 * higher levels wait on the coordinator's watermarks (each with one writer thread), so a write
 * needs no per-level bookkeeping, and fire-and-forget writes need no handle at all.
 */
package io.epochring;
