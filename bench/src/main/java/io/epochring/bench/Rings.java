package io.epochring.bench;

import io.epochring.Channel;
import io.epochring.DurabilityLevel;
import io.epochring.EpochRing;
import io.epochring.EpochRingBuilder;
import io.epochring.Flusher;
import io.epochring.Journal;
import io.epochring.ThreadingMode;
import io.epochring.WriteCodec;
import io.epochring.bench.CounterDelta.Counter;
import io.epochring.bench.peer.BlockingQueueCoordinator;
import io.epochring.bench.peer.PeerChannel;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

/**
 * Builds the coordinators under test with one configuration, so every benchmark compares like
 * with like: flush every 200 ms (timer) into a no-op flusher, no sync per flush, every channel as
 * deep as the ring (or the peer's queue). With no sync per flush the journal gets no checkpoint
 * while a benchmark runs (only at stop), so the journal benchmarks measure appends alone.
 */
final class Rings {

    static final Duration FLUSH_INTERVAL = Duration.ofMillis(200);
    static final long FLUSH_THRESHOLD_BYTES = 64L << 20;
    /**
     * The journal benchmarks' ring: one configuration, since their subject is the journal. Yielding
     * is the best wait strategy on a 2-core machine (measured: 14-19 M/s on JDK 17 against 8 M/s busy-spinning); 65,536 is the ring size of
     * the quick profile.
     */
    static final String JOURNAL_WAIT_STRATEGY = WaitStrategies.YIELDING;
    static final int JOURNAL_RING_SIZE = 65536;
    /** How long a benchmark waits for its writes to apply before it calls the run broken. */
    static final Duration STUCK = Duration.ofSeconds(60);

    private Rings() {
    }

    /** A coordinator as {@link #configured} makes it, with a linger of {@code lingerMicros} (0: none); started. */
    static EpochRing<Long, Long, Counter, Long> epochRing(CounterDelta delta, ThreadingMode mode, String waitStrategy,
                                                          int ringSize, long lingerMicros, String... channels) {
        return configured(delta, new NoopFlusher<>(), mode, waitStrategy, ringSize, channels).linger(linger(lingerMicros)).build().start();
    }

    /** The benchmarks' {@code lingerMicros} parameter as the builder takes it. */
    static Duration linger(long micros) {
        return Duration.of(micros, ChronoUnit.MICROS);
    }

    /**
     * A coordinator journaling every write to {@code journal} before applying it, with the journal
     * benchmarks' fixed {@link #JOURNAL_WAIT_STRATEGY} and {@link #JOURNAL_RING_SIZE}; started.
     */
    static EpochRing<Long, Long, Counter, Long> journaled(CounterDelta delta, ThreadingMode mode, Journal journal,
                                                          WriteCodec<Long> codec, String... channels) {
        return configured(delta, new NoopFlusher<>(), mode, JOURNAL_WAIT_STRATEGY, JOURNAL_RING_SIZE, channels)
            .journal(journal, codec).build().start();
    }

    /** The shared configuration, not yet built: for rows that need one more setting. */
    static EpochRingBuilder<Long, Long, Counter, Long> configured(CounterDelta delta, Flusher<Counter, Long> flusher,
                                                                  ThreadingMode mode, String waitStrategy, int ringSize,
                                                                  String... channels) {
        var builder = EpochRing.builder(delta, flusher)
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
        return builder;
    }

    static BlockingQueueCoordinator<Long, Long, Counter, Long> peer(CounterDelta delta, int queueCapacity, String... channels) {
        return peer(delta, queueCapacity, () -> { }, channels);
    }

    /** {@link #peer(CounterDelta, int, String...)} whose apply thread runs {@code onApplyThreadStart} first. */
    static BlockingQueueCoordinator<Long, Long, Counter, Long> peer(CounterDelta delta, int queueCapacity, Runnable onApplyThreadStart,
                                                                   String... channels) {
        var builder = BlockingQueueCoordinator.builder(delta, new NoopFlusher<Counter>())
                                              .onApplyThreadStart(onApplyThreadStart)
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

    /** Offers {@code count} fire-and-forget writes, backing off while the channel is full. */
    static void offer(Channel<Long, Long> channel, Backoff backoff, int count) {
        for (int i = 0; i < count; i++) {
            backoff.reset();
            while (!channel.tryPublish(CounterDelta.ONE)) {
                backoff.idle();
            }
        }
    }

    /** The same for the peer. */
    static void offer(PeerChannel<Long, Long> channel, Backoff backoff, int count) {
        for (int i = 0; i < count; i++) {
            backoff.reset();
            while (!channel.tryPublish(CounterDelta.ONE)) {
                backoff.idle();
            }
        }
    }

    static IllegalStateException stuck(String what) {
        return new IllegalStateException(what + " did not apply within " + STUCK + ": the coordinator is stuck");
    }

    /**
     * One invocation of a fire-and-forget EpochRing benchmark: offers {@code batch} writes (backing
     * off while the channel is full), then waits until {@code level} covers the last of them, so
     * nothing is counted while merely queued. Epochs count writes from 1 and the caller is the only
     * producer, so the last write's epoch is {@code accepted + batch}.
     *
     * @return the epoch of the last write, the caller's new {@code accepted}
     */
    static long publishAndAwait(EpochRing<Long, Long, Counter, Long> ring, Channel<Long, Long> channel, Backoff backoff,
                                long accepted, int batch, DurabilityLevel level) {
        offer(channel, backoff, batch);
        long last = accepted + batch;
        backoff.reset();
        while (ring.watermark(level) < last) {
            backoff.idle();
        }
        return last;
    }
}
