package io.epochring;

import io.epochring.testing.MapDelta;
import io.epochring.testing.Put;
import io.epochring.testing.TestFlusher;
import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Explicit, timed and size-triggered flushes, ranges, the hand-off, watermarks. */
class FlushingTest {

    private static final Duration LONG = Duration.ofHours(1);

    @Test
    void shouldHandFrozenDeltaToFlusherWithEpochOfLastWriteBeforeIt() throws Exception {
        TestFlusher flusher = new TestFlusher();
        try (var ring = EpochRing.builder(new MapDelta(), flusher).flushInterval(LONG).build().start()) {
            ring.channel("default").write(new Put("a", 1));
            ring.channel("default").write(new Put("b", 2));
            WriteHandle<EpochRange> flush = ring.flush();

            assertThat(flush.await(DurabilityLevel.WRITTEN)).isEqualTo(new EpochRange(1, 2));
            assertThat(flush.epoch()).isEqualTo(2);
            assertThat(flusher.flushed()).containsExactly(
                new TestFlusher.Flushed(java.util.Map.of("a", 1L, "b", 2L), new EpochRange(1, 2)));
        }
    }

    @Test
    void shouldCoverExactlyTheWritesBeforeEachFlushWithContiguousRanges() {
        TestFlusher flusher = new TestFlusher();
        try (var ring = EpochRing.builder(new MapDelta(), flusher).flushInterval(LONG).build().start()) {
            Channel<Put, Long> channel = ring.channel("default");
            int epoch = 0;
            for (int round = 1; round <= 5; round++) {
                for (int i = 0; i < round; i++) {
                    channel.write(new Put("r" + round + "-" + i, ++epoch));
                }
                WriteHandle<EpochRange> flush = ring.flush();
                channel.write(new Put("after-" + round, ++epoch));
                assertThat(flush.await(DurabilityLevel.WRITTEN).last()).isEqualTo(flush.epoch());
            }
        }
        List<TestFlusher.Flushed> flushed = flusher.flushed();
        long next = 1;
        for (TestFlusher.Flushed f : flushed) {
            assertThat(f.range().first()).isEqualTo(next);
            assertThat(f.frozen()).hasSize((int) f.range().size());
            next = f.range().last() + 1;
        }
        assertThat(next - 1).isEqualTo(5 + 15);
    }

    @Test
    void shouldDoNothingForAnEmptyFlushButStillSyncWhenAsked() {
        TestFlusher flusher = new TestFlusher();
        try (var ring = EpochRing.builder(new MapDelta(), flusher).flushInterval(LONG).syncEveryFlush(false).build().start()) {
            ring.channel("default").write(new Put("a", 1));
            ring.flush().await(DurabilityLevel.WRITTEN);
            assertThat(flusher.calls()).isEqualTo(1);
            assertThat(ring.watermark(DurabilityLevel.DURABLE)).isZero();

            WriteHandle<EpochRange> empty = ring.flush();
            assertThat(empty.await(DurabilityLevel.WRITTEN).isEmpty()).isTrue();
            assertThat(flusher.calls()).isEqualTo(1);
            assertThat(flusher.syncs()).isZero();

            ring.flush(true).await(DurabilityLevel.DURABLE);
            assertThat(flusher.calls()).isEqualTo(1);
            assertThat(flusher.syncs()).isEqualTo(1);
            assertThat(ring.watermark(DurabilityLevel.DURABLE)).isEqualTo(1);
        }
    }

    @Test
    void shouldFlushOnTimerMeasuredFromTheLastFlush() throws Exception {
        CachedNanoClock clock = new CachedNanoClock();
        long interval = Duration.ofSeconds(10).toNanos();
        TestFlusher flusher = new TestFlusher();
        try (var ring = EpochRing.builder(new MapDelta(), flusher).clock(clock).flushInterval(Duration.ofNanos(interval)).build().start()) {
            Channel<Put, Long> channel = ring.channel("default");
            channel.write(new Put("a", 1)).await(DurabilityLevel.APPLIED);
            clock.advance(interval / 2);
            ring.flush().await(DurabilityLevel.WRITTEN);          // resets the timer to 1.5 intervals
            channel.write(new Put("b", 2)).await(DurabilityLevel.APPLIED);
            clock.advance(interval * 7 / 10);                     // 1.2 intervals: due only without the reset
            channel.write(new Put("c", 3)).await(DurabilityLevel.APPLIED);
            clock.advance(interval * 3 / 10);                     // 1.5 intervals: due

            assertThat(flusher.awaitFlushStarted()).isEqualTo(new EpochRange(1, 1));
            assertThat(flusher.awaitFlushStarted()).isEqualTo(new EpochRange(2, 3));
        }
    }

    @Test
    void shouldFlushWhenTheDeltaCrossesTheSizeThreshold() throws Exception {
        TestFlusher flusher = new TestFlusher();
        try (var ring = EpochRing.builder(new MapDelta(), flusher).flushInterval(LONG).flushThresholdBytes(3 * 64).build().start()) {
            for (int i = 1; i <= 3; i++) {
                ring.channel("default").write(new Put("k" + i, i));
            }
            assertThat(flusher.awaitFlushStarted()).isEqualTo(new EpochRange(1, 3));
        }
    }

    @Test
    void shouldKeepAcceptingWritesDuringAFlushAndBackpressureAfterTwoWaitingDeltas() throws Exception {
        for (RingShape mode : RingShape.values()) {
            TestFlusher flusher = new TestFlusher();
            flusher.block();
            try (var ring = mode.on(EpochRing.builder(new MapDelta(), flusher)).ringSize(16)
                                     .channel("w", 1024).flushInterval(LONG).build().start()) {
                Channel<Put, Long> channel = ring.channel("w");
                channel.write(new Put("a", 1));
                ring.flush();
                assertThat(flusher.awaitFlushStarted()).isEqualTo(new EpochRange(1, 1));

                WriteHandle<Long> during = channel.write(new Put("b", 2));
                assertThat(during.await(DurabilityLevel.APPLIED)).isEqualTo(2L);
                assertThat(during.epoch()).isEqualTo(2);
                ring.flush();                                     // waiting delta 1
                channel.write(new Put("c", 3));
                ring.flush();                                     // waiting delta 2
                channel.write(new Put("d", 4));
                ring.flush();                                     // no room: the pipeline stops here

                int accepted = 0;
                BackpressureException pushedBack = null;
                for (int i = 0; i < 100 && pushedBack == null; i++) {
                    try {
                        channel.tryWrite(new Put("x" + i, i));
                        accepted++;
                    } catch (BackpressureException e) {
                        pushedBack = e;
                    }
                }
                assertThat(pushedBack).as("backpressure in %s", mode).isNotNull();
                assertThat(accepted).isLessThan(16);

                flusher.release();
                WriteHandle<EpochRange> last = ring.flush();
                assertThat(last.await(DurabilityLevel.WRITTEN).last()).isEqualTo(4 + accepted);
                assertThat(flusher.flushed()).extracting(TestFlusher.Flushed::range)
                    .startsWith(new EpochRange(1, 1), new EpochRange(2, 2), new EpochRange(3, 3), new EpochRange(4, 4));
            }
        }
    }

    @Test
    void shouldCarryDeltaStateAcrossAFreeze() {
        try (var ring = EpochRing.builder(new MapDelta(), new TestFlusher()).flushInterval(LONG).build().start()) {
            Channel<Put, Long> channel = ring.channel("default");
            channel.write(new Put("a", 1));
            channel.write(new Put("b", 2));
            ring.flush().await(DurabilityLevel.WRITTEN);
            assertThat(channel.write(new Put("c", 3)).await(DurabilityLevel.APPLIED)).isEqualTo(3L);
        }
    }

    @Test
    void shouldAdvanceWrittenAfterFlushAndDurableAfterSync() throws Exception {
        TestFlusher flusher = new TestFlusher();
        try (var ring = EpochRing.builder(new MapDelta(), flusher).flushInterval(LONG).syncEveryFlush(false).build().start()) {
            WriteHandle<Long> write = ring.channel("default").write(new Put("a", 1));
            flusher.block();
            ring.flush();
            flusher.awaitFlushStarted();
            assertThat(ring.watermark(DurabilityLevel.WRITTEN)).isZero();
            flusher.release();

            write.await(DurabilityLevel.WRITTEN);
            assertThat(ring.watermark(DurabilityLevel.WRITTEN)).isEqualTo(1);
            assertThat(ring.watermark(DurabilityLevel.DURABLE)).isZero();
            assertThatThrownBy(() -> write.await(DurabilityLevel.DURABLE, Duration.ofMillis(1)))
                .isInstanceOf(AwaitTimeoutException.class);

            ring.flush(true);
            write.await(DurabilityLevel.DURABLE);
            assertThat(ring.watermark(DurabilityLevel.DURABLE)).isEqualTo(1);
            assertThat(ring.stats().flushCount()).isEqualTo(1);
        }
    }
}
