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
 *  [2 ApplyStage]     (with a journal: codec -> bytes first) Delta.apply -> handle result /
 *          |          ApplyException -> APPLIED watermark; flush due (command, size, timer tick)?
 *          |          Delta.freeze() (O(1) swap), new View
 *          v
 *  [3 JournalStage]   (with a journal) append each write, rejected ones marked rejected;
 *          |          commit at batch end -> JOURNALED watermark
 *          v
 *  [4 PublishStage]   at batch end, after the commit: frozen batch -> bounded hand-off (2)
 *          v          -> backpressure when the flusher lags
 *  flush thread (FlushProcessor): Flusher.flush with FlushRetryPolicy -> View -> WRITTEN
 *                                 -> each Sink's queue and thread (required ones hold WRITTEN back)
 *                                 Flusher.sync -> checkpoint(durable) in the journal -> DURABLE
 * </pre>
 *
 * <p>Positions and recovery: every target keeps its own position, and recovery hands each one
 * only the epochs it lacks.
 *
 * <pre>
 *  target      position                                   after a crash it receives
 *  journal     last journaled epoch L; rejected epochs     (it is the source)
 *  checkpoint  durable epoch D: storage synced AND every   -
 *              required sink delivered; recorded before
 *              DURABLE moves, so it never trails it
 *  storage     Flusher.storedEpoch() W (>= D), else D      epochs (W, L], once
 *  each sink   Sink.deliveredEpoch() P, else D             epochs (P, L], once
 *
 *  replay from min(W, P..) ----------------------------------------------> L
 *  delta frozen at each position; a segment goes to the targets below its end; the rest stays live
 * </pre>
 *
 * A target that cannot report its position is assumed at D and may get epochs above D again
 * (at least once, with exact {@link io.epochring.EpochRange}s to skip them by).
 *
 * <p>Before recovery reads anything, the journal is told the codec's name and version
 * ({@link io.epochring.Journal#bindCodec}); a journal written with another codec is refused with a
 * {@link io.epochring.CodecMismatchException}, so its payloads are never decoded as this codec's.
 *
 * <p>{@link io.epochring.ThreadingMode#SINGLE_THREAD} runs stages 1-4 on one consumer thread;
 * {@link io.epochring.ThreadingMode#THREAD_PER_STAGE} gives each its own, chained with
 * Disruptor's {@code then}.
 *
 * <p>Design note (single producer): with {@code singleProducer(true)} one thread writes, so the ring
 * claims slots without a CAS (Disruptor's single-producer sequencer) and commands, from any
 * thread, may not take slots. They go through a {@code CommandInbox} beside the ring instead,
 * stamped with the ring's cursor, and the one consumer thread runs each through stages 1-4 between
 * two slots:
 *
 * <pre>
 *  producer thread --- Channel.tryPublish ... ----> ring slots   n-1 |  n  | n+1
 *  any thread ------- flush / pause / resume -----> inbox: (FLUSH, stamp n)  ^
 *  flush thread ----- timer tick -----------------/            runs here: after slot n, before n+1
 *  the wait strategy stops waiting while the inbox holds a command (onTimeout runs it)
 * </pre>
 *
 * <p>Design note (linger): the first stage's thread waits for the next slot with the configured
 * Disruptor wait strategy, after a batch of fire-and-forget writes first a linger
 * ({@code EpochRingBuilder.linger}, 5 µs unless set) in which it keeps off the ring, so a producer
 * writing back to back hands over runs of slots instead of meeting the ring thread on every one.
 * It lingers too when fewer than a run of 64 slots is ready, not only once caught up: a ring thread
 * as fast as the producer would otherwise trail it a few slots behind, batch after batch. After a
 * batch that held a handle it does not linger: the handle's holder may be waiting to write again.
 *
 * <pre>
 *  ring thread: [batch: slots 1..k] caught up -> linger (no look at the ring) -> [batch: k+1..m] ...
 *  producer:     fills k+1, k+2, ... m meanwhile, on lines the ring thread is not reading
 *  ring thread: [batch: 1..k] only k+1..k+5 ready (fewer than 64) -> linger -> [batch: k+1..m]
 *  ring thread: [batch: 1..k] k+1..m ready, m - k >= 64 -> [batch: k+1..m] at once
 *  ring thread: [batch with a handle] caught up -> wait strategy at once (its caller awaits it)
 * </pre>
 *
 * <p>Design note (permits and the ring): channel capacity is a counter of writes accepted but
 * not yet applied, taken by producers with one CAS before they claim a ring slot and given back by
 * the apply stage. The ring bounds all writes in flight; the permits bound each channel's share,
 * including writes held by a paused channel (which leave the ring, so one paused channel never
 * blocks the others).
 *
 * <p>Design note (apply before journal): the journal stage runs after the apply stage so it can
 * record what apply did: a write {@code Delta.apply} rejected is journaled as rejected, in the same
 * record, before its batch counts as JOURNALED, and replay skips exactly those. A write the codec
 * cannot encode, or whose encoding is longer than {@code Journal.maxPayloadLength()}, is caught
 * before apply: its handle fails, it is not applied, and it is journaled as rejected with no
 * payload, so the journal accounts for every epoch a flushed range can end at. Frozen batches
 * wait for the batch's commit, so storage never holds a write the journal could still lose.
 *
 * <p>Design note (fail-stop): the first fault on any thread (an {@link java.lang.Error} anywhere, a
 * journal append, commit or checkpoint, a flush the retry policy gave up on) latches once: channels
 * refuse writes with it as the cause, nothing more is applied, appended or flushed, and waiters at
 * every level not reached get it. {@code stop(Duration)} always returns by its deadline.
 *
 * <p>Observability: JDK Flight Recorder events in the category "EpochRing" ({@code io.epochring.Flush},
 * {@code Sync}, {@code Checkpoint}, {@code Recovery}, {@code Failure}, {@code Backpressure}; see
 * {@code EngineEvents}) come from the flush thread, the durability tracker, {@code start()}, the
 * failure latch and refused writes, never from an accepted write. Errors that belong to no handle
 * go to the error handler, by default a {@link io.epochring.LoggingErrorHandler}.
 *
 * <p>Design note (waiting): a write's handle is released at APPLIED by the apply stage itself;
 * higher levels wait on the coordinator's watermarks (each with one writer thread), so a write
 * needs no per-level bookkeeping, and fire-and-forget writes need no handle at all.
 */
package io.epochring;
