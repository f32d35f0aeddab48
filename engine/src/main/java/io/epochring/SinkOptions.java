package io.epochring;

import java.time.Duration;

/**
 * How one {@link Sink} is fed.
 *
 * @param mode           {@link Mode#REQUIRED}: WRITTEN waits for this sink; {@link Mode#OPTIONAL}: it never does
 * @param queueCapacity  deltas that may wait for the sink's thread
 * @param overflow       what happens when the queue is full
 * @param batchWindow    deltas arriving within this window of the first are delivered in one call
 * @param unhealthyAfter consecutive failures after which the sink is {@link SinkHealth#UNHEALTHY}
 */
public record SinkOptions(Mode mode, int queueCapacity, Overflow overflow, Duration batchWindow, int unhealthyAfter) {

    /** Whether WRITTEN waits for the sink. */
    public enum Mode { REQUIRED, OPTIONAL }

    /** What a full sink queue does to the next delta. */
    public enum Overflow {
        /** The flush thread waits for room: backpressure reaches producers. */
        BLOCK,
        /** The new delta is not delivered; listeners get a {@link SinkEvent.Kind#OVERFLOW_FAILED} event. */
        FAIL,
        /** The oldest queued delta is dropped, with one {@link SinkEvent.Kind#DROPPED_OLDEST} audit event each. */
        DROP_OLDEST
    }

    /** @return a required sink: queue of 4, BLOCK, 1 ms batch window, unhealthy after 3 failures */
    public static SinkOptions required() {
        return new SinkOptions(Mode.REQUIRED, 4, Overflow.BLOCK, Duration.ofMillis(1), 3);
    }

    /** @return an optional sink: queue of 16, DROP_OLDEST, 1 ms batch window, unhealthy after 3 failures */
    public static SinkOptions optional() {
        return new SinkOptions(Mode.OPTIONAL, 16, Overflow.DROP_OLDEST, Duration.ofMillis(1), 3);
    }

    public SinkOptions withQueueCapacity(int queueCapacity) {
        return new SinkOptions(mode, queueCapacity, overflow, batchWindow, unhealthyAfter);
    }

    public SinkOptions withOverflow(Overflow overflow) {
        return new SinkOptions(mode, queueCapacity, overflow, batchWindow, unhealthyAfter);
    }

    public SinkOptions withBatchWindow(Duration batchWindow) {
        return new SinkOptions(mode, queueCapacity, overflow, batchWindow, unhealthyAfter);
    }

    public SinkOptions withUnhealthyAfter(int unhealthyAfter) {
        return new SinkOptions(mode, queueCapacity, overflow, batchWindow, unhealthyAfter);
    }

    /** @return the first problem with these options for sink {@code name}, or null */
    String problem(String name) {
        String prefix = "sink '" + name + "' ";
        if (mode == null || overflow == null || batchWindow == null) {
            return prefix + "options must not be null (mode, overflow, batchWindow)";
        }
        if (queueCapacity < 1) {
            return prefix + "queueCapacity must be > 0, was " + queueCapacity;
        }
        if (batchWindow.isNegative()) {
            return prefix + "batchWindow must be >= 0, was " + batchWindow;
        }
        if (unhealthyAfter < 1) {
            return prefix + "unhealthyAfter must be > 0, was " + unhealthyAfter;
        }
        if (mode == Mode.REQUIRED && overflow != Overflow.BLOCK) {
            return prefix + "is REQUIRED, so it must not lose deltas: use Overflow.BLOCK (was " + overflow + ")";
        }
        return null;
    }
}
