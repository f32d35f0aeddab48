package io.epochring.bench;

import io.epochring.EpochRing;
import io.epochring.ThreadingMode;
import io.epochring.bench.CounterDelta.Counter;
import io.epochring.bench.peer.BlockingQueueCoordinator;

import java.time.Duration;

/**
 * Builds the coordinators under test with one configuration, so every benchmark compares like
 * with like: flush every 200 ms (timer) into a no-op flusher, no sync per flush, every channel as
 * deep as the ring (or the peer's queue).
 */
final class Rings {

    static final Duration FLUSH_INTERVAL = Duration.ofMillis(200);
    static final long FLUSH_THRESHOLD_BYTES = 64L << 20;
    /** How long a benchmark waits for its writes to apply before it calls the run broken. */
    static final Duration STUCK = Duration.ofSeconds(60);

    private Rings() {
    }

    static EpochRing<Long, Long, Counter, Long> epochRing(CounterDelta delta, ThreadingMode mode, String waitStrategy,
                                                          int ringSize, String... channels) {
        var builder = EpochRing.builder(delta, new NoopFlusher<Counter>())
                               .name("bench")
                               .ringSize(ringSize)
                               .threadingMode(mode)
                               .waitStrategy(WaitStrategies.create(waitStrategy))
                               .flushInterval(FLUSH_INTERVAL)
                               .flushThresholdBytes(FLUSH_THRESHOLD_BYTES)
                               .syncEveryFlush(false);
        for (String channel : channels) {
            builder.channel(channel, ringSize);
        }
        return builder.build().start();
    }

    static BlockingQueueCoordinator<Long, Long, Counter, Long> peer(CounterDelta delta, int queueCapacity, String... channels) {
        var builder = BlockingQueueCoordinator.builder(delta, new NoopFlusher<Counter>())
                                              .name("bench")
                                              .queueCapacity(queueCapacity)
                                              .flushInterval(FLUSH_INTERVAL)
                                              .flushThresholdBytes(FLUSH_THRESHOLD_BYTES)
                                              .syncEveryFlush(false);
        for (String channel : channels) {
            builder.channel(channel, queueCapacity);
        }
        return builder.build().start();
    }

    static IllegalStateException stuck(String what) {
        return new IllegalStateException(what + " did not apply within " + STUCK + ": the coordinator is stuck");
    }
}
