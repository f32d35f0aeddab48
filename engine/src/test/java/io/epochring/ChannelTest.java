package io.epochring;

import io.epochring.testing.Await;
import io.epochring.testing.MapDelta;
import io.epochring.testing.Put;
import io.epochring.testing.TestFlusher;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Channels: pause and resume, cancellation, statistics. */
class ChannelTest {

    @Test
    void shouldHoldAPausedChannelsWritesWhileOthersFlowAndApplyThemInOrderOnResume() {
        try (var ring = EpochRing.builder(new MapDelta(), new TestFlusher()).channel("a", 16).channel("b", 16).build().start()) {
            Channel<Put, Long> a = ring.channel("a");
            a.pause();
            WriteHandle<Long> a1 = a.write(new Put("a1", 1));
            WriteHandle<Long> a2 = a.write(new Put("a2", 2));
            WriteHandle<Long> b1 = ring.channel("b").write(new Put("b1", 3));

            b1.await(DurabilityLevel.APPLIED);
            assertThat(b1.epoch()).isEqualTo(1);
            assertThat(a1.isResolved()).isFalse();
            assertThat(a1.epoch()).isZero();
            assertThat(ring.view().live()).containsOnlyKeys("b1");
            assertThat(a.stats().queueDepth()).isEqualTo(2);

            a.resume();
            a2.await(DurabilityLevel.APPLIED);
            assertThat(a1.epoch()).isEqualTo(2);
            assertThat(a2.epoch()).isEqualTo(3);
            assertThat(ring.view().live()).containsOnlyKeys("a1", "a2", "b1");
            assertThat(a.write(new Put("a3", 4)).await(DurabilityLevel.APPLIED)).isEqualTo(4L);
        }
    }

    @Test
    void shouldNeverApplyACancelledWriteAndRefuseToCancelAnAppliedOne() {
        try (var ring = EpochRing.builder(new MapDelta(), new TestFlusher()).channel("a", 16).build().start()) {
            Channel<Put, Long> a = ring.channel("a");
            a.pause();
            WriteHandle<Long> cancelled = a.write(new Put("gone", 1));
            WriteHandle<Long> kept = a.write(new Put("kept", 2));
            assertThat(cancelled.cancel()).isTrue();
            assertThat(cancelled.cancel()).isFalse();
            a.resume();

            assertThat(kept.await(DurabilityLevel.APPLIED)).isEqualTo(1L);
            assertThat(kept.epoch()).isEqualTo(1);
            assertThatThrownBy(() -> cancelled.await(DurabilityLevel.APPLIED))
                .isInstanceOf(WriteCancelledException.class).hasMessageContaining("'a'");
            assertThat(cancelled.future(DurabilityLevel.WRITTEN)).isCompletedExceptionally();
            assertThat(cancelled.epoch()).isZero();
            assertThat(kept.cancel()).isFalse();
            assertThat(ring.view().live()).containsOnlyKeys("kept");
            assertThat(a.stats().cancelled()).isEqualTo(1);
            assertThat(a.stats().queueDepth()).isZero();
        }
    }

    @Test
    void shouldRecordTheDeepestTheQueueHasBeenAsWritesAreClaimed() {
        try (var ring = EpochRing.builder(new MapDelta(), new TestFlusher()).channel("a", 8).build().start()) {
            Channel<Put, Long> a = ring.channel("a");
            a.pause();
            for (int i = 0; i < 5; i++) {
                a.publish(new Put("k" + i, i));
            }
            a.resume();
            Await.until("the held writes to apply", () -> ring.watermark(DurabilityLevel.APPLIED) == 5);
            assertThat(a.stats().maxQueueDepth()).isEqualTo(5);

            // Shallower queues later leave the maximum alone; a deeper one raises it.
            a.write(new Put("x", 1)).await(DurabilityLevel.APPLIED);
            assertThat(a.stats().maxQueueDepth()).isEqualTo(5);
            a.pause();
            for (int i = 0; i < 7; i++) {
                a.publish(new Put("m" + i, i));
            }
            assertThat(a.stats().queueDepth()).isEqualTo(7);
            assertThat(a.stats().maxQueueDepth()).isEqualTo(7);
            a.resume();
            Await.until("the second burst to apply", () -> a.stats().queueDepth() == 0);
            assertThat(a.stats().maxQueueDepth()).isEqualTo(7);
        }
    }

    @Test
    void shouldCountPerChannelAndCoordinatorStatistics() {
        try (var ring = EpochRing.builder(new MapDelta(), new TestFlusher()).channel("a", 3).channel("b", 8).build().start()) {
            Channel<Put, Long> a = ring.channel("a");
            a.pause();
            a.tryWrite(new Put("1", 1));
            a.tryWrite(new Put("2", 2));
            WriteHandle<Long> third = a.tryWrite(new Put("3", 3));
            assertThatThrownBy(() -> a.tryWrite(new Put("4", 4))).isInstanceOf(BackpressureException.class);
            third.cancel();
            assertThat(a.stats()).isEqualTo(new ChannelStats("a", 3, 0, 1, 1, 3, 3));

            a.resume();
            ring.channel("b").write(new Put("b", 5));
            ring.flush(true).await(DurabilityLevel.DURABLE);
            assertThat(a.stats()).isEqualTo(new ChannelStats("a", 3, 2, 1, 1, 0, 3));
            assertThat(ring.channel("b").stats()).isEqualTo(new ChannelStats("b", 1, 1, 0, 0, 0, 1));

            CoordinatorStats stats = ring.stats();
            assertThat(stats.applied()).isEqualTo(3);
            assertThat(stats.written()).isEqualTo(3);
            assertThat(stats.durable()).isEqualTo(3);
            assertThat(stats.journaled()).isZero();
            assertThat(stats.flushCount()).isEqualTo(1);
            assertThat(stats.maxFlushNanos()).isPositive();
            assertThat(stats.meanFlushNanos()).isPositive();
        }
    }
}
