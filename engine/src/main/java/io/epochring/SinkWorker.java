package io.epochring;

import org.agrona.ErrorHandler;
import org.agrona.concurrent.NanoClock;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Feeds one {@link Sink} from its own bounded queue on its own thread: applies the overflow
 * policy when the flush thread offers a delta, coalesces deltas that arrive within the batch
 * window, retries failed deliveries with the coordinator's {@link RetryLoop} (so only errors its
 * classifier calls transient are retried), and tracks health.
 */
final class SinkWorker<F> implements Runnable {

    private final Sink.SinkDelta<F> stopMarker = new Sink.SinkDelta<>(null, EpochRange.emptyAfter(0));
    private final String name;
    private final Sink<F> sink;
    private final SinkOptions options;
    private final ArrayBlockingQueue<Sink.SinkDelta<F>> queue;
    private final RetryLoop retries;
    private final NanoClock clock;
    private final List<FlushListener> listeners;
    private final ErrorHandler errorHandler;
    private final Conductor<?, ?, F, ?> ring;
    private DurabilityTracker tracker;

    private volatile long deliveredEpoch;
    /** The last epoch the sink itself took (deliveredEpoch also moves past deltas an optional sink dropped). */
    private volatile long acceptedEpoch;
    /** Flush thread only: the last epoch offered (or held at start); older deltas are not offered again. */
    private long offeredEpoch;
    private volatile int consecutiveFailures;
    private volatile Throwable lastError;
    private volatile long calls;
    private volatile long deltasDelivered;
    /** Dropped by the flush thread (overflow) and the sink thread (given up): both add, so it is atomic. */
    private final AtomicLong deltasDropped = new AtomicLong();
    private volatile long overflowFailures;

    SinkWorker(String name, Sink<F> sink, SinkOptions options, RetryLoop retries, NanoClock clock,
               List<FlushListener> listeners, ErrorHandler errorHandler, Conductor<?, ?, F, ?> ring, long recovered) {
        this.name = name;
        this.sink = sink;
        this.options = options;
        this.queue = new ArrayBlockingQueue<>(options.queueCapacity() + 1);
        this.retries = retries;
        this.clock = clock;
        this.listeners = List.copyOf(listeners);
        this.errorHandler = errorHandler;
        this.ring = ring;
        this.deliveredEpoch = recovered;
        this.acceptedEpoch = recovered;
        this.offeredEpoch = recovered;
    }

    void tracker(DurabilityTracker tracker) {
        this.tracker = tracker;
    }

    boolean isRequired() {
        return options.mode() == SinkOptions.Mode.REQUIRED;
    }

    String name() {
        return name;
    }

    long deliveredEpoch() {
        return deliveredEpoch;
    }

    /** @return the last epoch the sink accepted itself: what a sink that reports its position will report after a restart */
    long acceptedEpoch() {
        return acceptedEpoch;
    }

    /** Flush thread: a delta the primary flusher accepted (or holds); skipped when this sink already has it. */
    void offer(F frozen, EpochRange range) {
        if (range.last() <= offeredEpoch) {
            return;
        }
        offeredEpoch = range.last();
        Sink.SinkDelta<F> delta = new Sink.SinkDelta<>(frozen, range);
        switch (options.overflow()) {
            case BLOCK:
                while (queue.size() >= options.queueCapacity()) {
                    LockSupport.parkNanos(50_000);
                }
                queue.add(delta);
                break;
            case FAIL:
                if (queue.size() >= options.queueCapacity()) {
                    overflowFailures++;
                    event(SinkEvent.Kind.OVERFLOW_FAILED, range, null);
                } else {
                    queue.add(delta);
                }
                break;
            default:
                while (queue.size() >= options.queueCapacity()) {
                    Sink.SinkDelta<F> dropped = queue.poll();
                    if (dropped != null) {
                        deltasDropped.incrementAndGet();
                        event(SinkEvent.Kind.DROPPED_OLDEST, dropped.range(), null);
                    }
                }
                queue.add(delta);
                break;
        }
    }

    /** Lets the worker deliver what is queued, then end. */
    void stop() {
        queue.add(stopMarker);
    }

    @Override
    public void run() {
        try {
            while (true) {
                Sink.SinkDelta<F> first = take();
                if (first == stopMarker) {
                    return;
                }
                List<Sink.SinkDelta<F>> batch = new ArrayList<>();
                batch.add(first);
                boolean stopping = gather(batch);
                deliver(batch);
                if (stopping) {
                    return;
                }
            }
        } catch (RuntimeException | Error e) {
            // The thread boundary: nothing may end this thread silently with WRITTEN waiting on it.
            ring.fail(new SinkFailedException(EpochRange.emptyAfter(0), "sink '" + name + "' thread failed unexpectedly", e));
        }
    }

    private Sink.SinkDelta<F> take() {
        while (true) {
            try {
                return queue.take();
            } catch (InterruptedException e) {
                // only stop() ends the worker, so nothing queued is lost
            }
        }
    }

    /** Adds deltas arriving within the batch window; @return true when the stop marker came. */
    private boolean gather(List<Sink.SinkDelta<F>> batch) {
        long deadline = System.nanoTime() + options.batchWindow().toNanos();
        while (true) {
            Sink.SinkDelta<F> next;
            try {
                long remaining = deadline - System.nanoTime();
                next = remaining > 0 ? queue.poll(remaining, TimeUnit.NANOSECONDS) : queue.poll();
            } catch (InterruptedException e) {
                continue;
            }
            if (next == null) {
                return false;
            }
            if (next == stopMarker) {
                return true;
            }
            batch.add(next);
        }
    }

    private void deliver(List<Sink.SinkDelta<F>> batch) {
        EpochRange range = new EpochRange(batch.get(0).range().first(), batch.get(batch.size() - 1).range().last());
        List<Sink.SinkDelta<F>> deltas = Collections.unmodifiableList(batch);
        if (ring.failureCause() != null) {
            return;
        }
        try {
            retries.call("delivery to sink '" + name + "'", () -> {
                sink.accept(deltas);
                return null;
            }, (e, attempt, willRetry) -> {
                consecutiveFailures++;
                lastError = e;
                event(SinkEvent.Kind.DELIVERY_FAILED, range, e);
            }, () -> ring.failureCause() != null);
        } catch (RetryLoop.GaveUp e) {
            if (ring.failureCause() == null) {
                giveUp(batch, range, e);
            }
            return;
        } catch (Error e) {
            // Not a delivery failure to retry: the JVM or the sink is broken. Stop everything.
            consecutiveFailures++;
            lastError = e;
            ring.fail(new SinkFailedException(range, "sink '" + name + "' threw an Error while delivering", e));
            return;
        }
        consecutiveFailures = 0;
        calls++;
        deltasDelivered += batch.size();
        acceptedEpoch = range.last();
        delivered(range);
    }

    private void giveUp(List<Sink.SinkDelta<F>> batch, EpochRange range, RetryLoop.GaveUp gaveUp) {
        if (isRequired()) {
            ring.fail(new SinkFailedException(range, "required sink '" + name + "' could not deliver after "
                                                              + gaveUp.attempts + " attempts: " + gaveUp.getMessage(), gaveUp.error()));
            return;
        }
        deltasDropped.addAndGet(batch.size());
        event(SinkEvent.Kind.GAVE_UP, range, gaveUp.error());
        delivered(range);
    }

    private void delivered(EpochRange range) {
        deliveredEpoch = range.last();
        if (isRequired()) {
            try {
                tracker.onSinkDelivered();
            } catch (CoordinatorFaultException e) {
                ring.fail(e); // the checkpoint this delivery needed could not be written
            }
        }
    }

    private void event(SinkEvent.Kind kind, EpochRange range, Throwable error) {
        SinkEvent event = new SinkEvent(name, kind, range, queue.size(), error);
        for (FlushListener listener : listeners) {
            try {
                listener.onSinkEvent(event);
            } catch (RuntimeException | Error e) {
                errorHandler.onError(e);
            }
        }
    }

    SinkStatus status() {
        int failures = consecutiveFailures;
        SinkHealth health = failures == 0 ? SinkHealth.HEALTHY
                            : failures < options.unhealthyAfter() ? SinkHealth.DEGRADED : SinkHealth.UNHEALTHY;
        int queued = queue.size();
        for (Sink.SinkDelta<F> delta : queue) {
            if (delta == stopMarker) {
                queued--;
            }
        }
        return new SinkStatus(name, health, failures, lastError, deliveredEpoch, calls, deltasDelivered,
                              deltasDropped.get(), overflowFailures, queued);
    }
}
