package io.epochring.kv.cli;

import io.epochring.DurabilityLevel;
import io.epochring.WriteHandle;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Waits for sampled writes at every durability level and records, per level, the time from just
 * before the write was submitted to the moment it reached the level. Completions arrive on the
 * coordinator's threads, so recording is a lock-free histogram update. Only samples still in
 * flight are kept: finished ones are dropped as new ones come, so a run of any length holds about
 * as many as reach DURABLE per flush.
 */
final class LatencySampler {

    private static final long MAX_NANOS = TimeUnit.MINUTES.toNanos(10);

    private final Map<DurabilityLevel, Histogram> histograms = new EnumMap<>(DurabilityLevel.class);
    private final Queue<CompletableFuture<?>> pending = new ConcurrentLinkedQueue<>();
    private final AtomicReference<Throwable> firstFailure = new AtomicReference<>();

    LatencySampler(List<DurabilityLevel> levels) {
        for (DurabilityLevel level : levels) {
            histograms.put(level, new ConcurrentHistogram(MAX_NANOS, 3));
        }
    }

    /** Tracks one write submitted at {@code startNanos} ({@link System#nanoTime()}). */
    void track(WriteHandle<?> handle, long startNanos) {
        // Oldest first: samples finish in about the order they were taken. remove(head), not poll():
        // another producer may have taken the head meanwhile, and poll() would then take a future in flight.
        for (CompletableFuture<?> head; (head = pending.peek()) != null && head.isDone(); ) {
            pending.remove(head);
        }
        for (Map.Entry<DurabilityLevel, Histogram> tracked : histograms.entrySet()) {
            Histogram histogram = tracked.getValue();
            DurabilityLevel level = tracked.getKey();
            pending.add(handle.future(level).whenComplete((result, error) -> {
                if (error == null) {
                    histogram.recordValue(Math.min(System.nanoTime() - startNanos, MAX_NANOS));
                } else {
                    firstFailure.compareAndSet(null, error);
                }
            }));
        }
    }

    /**
     * Waits for every tracked write to reach every level.
     *
     * @throws IllegalStateException when a sampled write failed or did not get there in time
     */
    void awaitAll(long timeout, TimeUnit unit) throws InterruptedException {
        CompletableFuture<?>[] all = pending.toArray(new CompletableFuture<?>[0]);
        try {
            CompletableFuture.allOf(all).get(timeout, unit);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("a sampled write failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("sampled writes did not all reach DURABLE within " + timeout + " " + unit.name().toLowerCase()
                                            + ": the flusher is stuck or very slow");
        }
        Throwable failure = firstFailure.get();
        if (failure != null) {
            throw new IllegalStateException("a sampled write failed: " + failure.getMessage(), failure);
        }
    }

    Histogram histogram(DurabilityLevel level) {
        return histograms.get(level);
    }
}
