package io.epochring.bench.peer;

import io.epochring.Delta;
import io.epochring.Flusher;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Configures a {@link BlockingQueueCoordinator}, with EpochRing's defaults: one channel
 * "default" of 1024, a queue of 4096, a flush every 200 ms or at 64 MiB, a sync after every flush.
 */
public final class BlockingQueueCoordinatorBuilder<W, R, F, S> {

    final Delta<W, R, F> delta;
    final Flusher<F, S> flusher;
    final Map<String, Integer> channels = new LinkedHashMap<>();
    String name = "peer";
    int queueCapacity = 4096;
    Duration flushInterval = Duration.ofMillis(200);
    long flushThresholdBytes = 64L << 20;
    boolean syncEveryFlush = true;
    Consumer<Throwable> errorHandler;
    Runnable onApplyThreadStart = () -> { };

    BlockingQueueCoordinatorBuilder(Delta<W, R, F> delta, Flusher<F, S> flusher) {
        this.delta = delta;
        this.flusher = flusher;
    }

    /** Names the peer's threads: {@code peer-<name>-apply}, {@code peer-<name>-flush}. */
    public BlockingQueueCoordinatorBuilder<W, R, F, S> name(String name) {
        this.name = name;
        return this;
    }

    /** Adds a named channel admitting at most {@code capacity} writes not yet applied. */
    public BlockingQueueCoordinatorBuilder<W, R, F, S> channel(String name, int capacity) {
        channels.put(name, capacity);
        return this;
    }

    /** The shared queue's capacity: bounds writes in flight across all channels (EpochRing's ring size). */
    public BlockingQueueCoordinatorBuilder<W, R, F, S> queueCapacity(int queueCapacity) {
        this.queueCapacity = queueCapacity;
        return this;
    }

    public BlockingQueueCoordinatorBuilder<W, R, F, S> flushInterval(Duration flushInterval) {
        this.flushInterval = flushInterval;
        return this;
    }

    public BlockingQueueCoordinatorBuilder<W, R, F, S> flushThresholdBytes(long flushThresholdBytes) {
        this.flushThresholdBytes = flushThresholdBytes;
        return this;
    }

    public BlockingQueueCoordinatorBuilder<W, R, F, S> syncEveryFlush(boolean syncEveryFlush) {
        this.syncEveryFlush = syncEveryFlush;
        return this;
    }

    /** Receives apply errors of fire-and-forget writes (no one else could see them). */
    public BlockingQueueCoordinatorBuilder<W, R, F, S> errorHandler(Consumer<Throwable> errorHandler) {
        this.errorHandler = errorHandler;
        return this;
    }

    /** Runs first on the apply thread (to pin it to a core, as EpochRing's {@code onThreadStart} can). */
    public BlockingQueueCoordinatorBuilder<W, R, F, S> onApplyThreadStart(Runnable onApplyThreadStart) {
        this.onApplyThreadStart = onApplyThreadStart;
        return this;
    }

    /**
     * @throws IllegalArgumentException naming the first bad field
     */
    public BlockingQueueCoordinator<W, R, F, S> build() {
        require(delta != null, "delta must not be null");
        require(flusher != null, "flusher must not be null");
        require(name != null && !name.isBlank(), "name must not be blank");
        require(queueCapacity > 0, "queueCapacity must be > 0, was " + queueCapacity);
        channels.forEach((channel, capacity) -> {
            require(channel != null && !channel.isBlank(), "channel name must not be blank");
            require(capacity > 0, "channel '" + channel + "' capacity must be > 0, was " + capacity);
        });
        require(flushInterval != null && !flushInterval.isNegative() && !flushInterval.isZero(),
                "flushInterval must be > 0, was " + flushInterval);
        require(flushThresholdBytes > 0, "flushThresholdBytes must be > 0, was " + flushThresholdBytes);
        if (channels.isEmpty()) {
            channels.put("default", 1024);
        }
        if (errorHandler == null) {
            errorHandler = e -> System.err.println("peer-" + name + ": " + e);
        }
        return new BlockingQueueCoordinator<>(this);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("bad peer configuration: " + message);
        }
    }
}
