package io.epochring;

import org.agrona.ErrorHandler;
import org.agrona.concurrent.NanoClock;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The flush thread: takes frozen batches in epoch order, writes each with {@link Flusher#flush}
 * (retrying transient errors under the {@link FlushRetryPolicy}), publishes the new view, then
 * advances WRITTEN; on a sync request it syncs storage, advances DURABLE and records a checkpoint.
 * Between batches it asks the ring for a timer tick when a timed flush is due.
 *
 * <p>After a terminal failure it keeps draining the hand-off (so the ring never wedges) but
 * flushes nothing more: every later epoch's WRITTEN/DURABLE waiter already got the failure.
 */
final class FlushProcessor<F, S> implements Runnable {

    static final FrozenBatch STOP = new FrozenBatch(null, EpochRange.emptyAfter(0), false, 0);

    private final Conductor<?, ?, F, S> ring;
    private final BlockingQueue<FrozenBatch> handoff;
    private final List<FrozenBatch> recovered;
    private final Flusher<F, S> flusher;
    private final ViewPublisher<F, S> views;
    private final Watermarks watermarks;
    private final RetryLoop retries;
    private final List<FlushListener> listeners;
    private final ErrorHandler errorHandler;
    private final NanoClock clock;
    private final FlushTimer timer;
    private final Runnable tickRequester;
    private final long tickPeriodNanos;
    private final DurabilityTracker tracker;
    private final List<SinkWorker<F>> sinks;

    private volatile long flushCount;
    private volatile long flushFailures;
    private volatile long lastFlushNanos;
    private volatile long maxFlushNanos;
    private volatile long totalFlushNanos;

    /** @param recovered segments recovery froze for targets that lack them, oldest first: flushed before any new batch */
    FlushProcessor(Conductor<?, ?, F, S> ring, BlockingQueue<FrozenBatch> handoff, List<FrozenBatch> recovered, Flusher<F, S> flusher,
                   ViewPublisher<F, S> views, Watermarks watermarks, FlushRetryPolicy retryPolicy,
                   Predicate<Throwable> isTransient, List<FlushListener> listeners, ErrorHandler errorHandler,
                   NanoClock clock, FlushTimer timer, Runnable tickRequester, long flushIntervalNanos, DurabilityTracker tracker,
                   List<SinkWorker<F>> sinks) {
        this.ring = ring;
        this.handoff = handoff;
        this.recovered = List.copyOf(recovered);
        this.flusher = flusher;
        this.views = views;
        this.watermarks = watermarks;
        this.retries = new RetryLoop(retryPolicy, isTransient, clock);
        this.listeners = List.copyOf(listeners);
        this.errorHandler = errorHandler;
        this.clock = clock;
        this.timer = timer;
        this.tickRequester = tickRequester;
        this.tickPeriodNanos = Math.max(100_000, Math.min(flushIntervalNanos / 2, 10_000_000));
        this.tracker = tracker;
        this.sinks = List.copyOf(sinks);
    }

    @Override
    public void run() {
        recovered.forEach(this::process);
        while (true) {
            FrozenBatch batch;
            try {
                batch = handoff.poll(tickPeriodNanos, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                continue;
            }
            if (batch == STOP) {
                return;
            }
            try {
                if (batch != null) {
                    process(batch);
                }
                if (ring.failureCause() == null && timer.shouldTick(clock.nanoTime(), watermarks.applied().get())) {
                    timer.tickSent();
                    tickRequester.run();
                }
            } catch (RuntimeException | Error e) {
                // The thread boundary: this thread must outlive anything, or the hand-off fills and the ring wedges.
                ring.fail(new StageFailedException(EpochRange.emptyAfter(0), "the flush thread failed unexpectedly", e));
            }
        }
    }

    private void process(FrozenBatch batch) {
        if (ring.failureCause() != null) {
            return;
        }
        try {
            if (batch.hasDelta()) {
                write(batch);
            }
            if (batch.sync) {
                sync(batch.range);
            }
        } catch (CoordinatorFaultException e) {
            ring.fail(e);
        } catch (RuntimeException | Error e) {
            // Anything else (an Error from the flusher, a bug) must not kill this thread silently:
            // WRITTEN and DURABLE would never move and stop() would wait forever.
            ring.fail(new FlushFailedException(batch.range, "the flush thread hit an unexpected error", e));
        }
    }

    /** Tells listeners the coordinator failed for good. */
    void terminalFailure(CoordinatorFaultException error) {
        for (FlushListener listener : listeners) {
            notify(() -> listener.onTerminalFailure(error));
        }
    }

    /**
     * Writes the batch to storage unless storage already holds it (a segment recovery froze for a
     * sink that lags storage), then offers it to the sinks, each of which skips what it holds.
     */
    @SuppressWarnings("unchecked")
    private void write(FrozenBatch batch) {
        F frozen = (F) batch.frozen;
        if (batch.range.last() > tracker.primaryWritten()) {
            writeToStorage(frozen, batch);
        }
        for (SinkWorker<F> sink : sinks) {
            sink.offer(frozen, batch.range);
        }
    }

    private void writeToStorage(F frozen, FrozenBatch batch) {
        EngineEvents.Flush event = EngineEvents.flushStarted();
        long start = clock.nanoTime();
        int[] attempts = new int[1];
        S snapshot = withRetry(batch.range, "flush", () -> {
            attempts[0]++;
            return flusher.flush(frozen, batch.range);
        });
        long nanos = clock.nanoTime() - start;
        if (event != null) {
            event.finish(ring.config.name, batch.range, batch.bytes, attempts[0]);
        }
        // The view moves before WRITTEN, so a WRITTEN waiter always finds its data in the snapshot.
        // Stats and listeners before WRITTEN, so a WRITTEN waiter finds them up to date too.
        views.onFlushed(frozen, snapshot);
        flushCount++;
        lastFlushNanos = nanos;
        totalFlushNanos += nanos;
        maxFlushNanos = Math.max(maxFlushNanos, nanos);
        for (FlushListener listener : listeners) {
            notify(() -> listener.onFlushed(batch.range, nanos, attempts[0]));
        }
        tracker.onPrimaryWritten(batch.range.last());
    }

    private void sync(EpochRange range) {
        EngineEvents.Sync event = EngineEvents.syncStarted();
        long synced = tracker.primaryWritten();
        int[] attempts = new int[1];
        withRetry(range, "sync", () -> {
            attempts[0]++;
            flusher.sync();
            return null;
        });
        if (event != null) {
            event.finish(ring.config.name, synced, attempts[0]);
        }
        tracker.onPrimarySynced(synced); // records the checkpoint before DURABLE moves
    }

    private <T> T withRetry(EpochRange range, String what, Callable<T> operation) {
        try {
            return retries.call(what, operation, (e, attempt, willRetry) -> {
                flushFailures++;
                for (FlushListener listener : listeners) {
                    notify(() -> listener.onFlushFailed(range, e, attempt, willRetry));
                }
            }, () -> false);
        } catch (RetryLoop.GaveUp e) {
            throw new FlushFailedException(range, e.getMessage(), e.error());
        }
    }

    private void notify(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException | Error e) {
            errorHandler.onError(e);
        }
    }

    CoordinatorStats stats() {
        return new CoordinatorStats(watermarks.get(DurabilityLevel.APPLIED), watermarks.get(DurabilityLevel.JOURNALED),
                                    watermarks.get(DurabilityLevel.WRITTEN), watermarks.get(DurabilityLevel.DURABLE),
                                    flushCount, flushFailures, lastFlushNanos, maxFlushNanos, totalFlushNanos);
    }
}
