package io.epochring;

import io.epochring.testing.MapDelta;
import io.epochring.testing.Put;
import io.epochring.testing.RecordingDelta;
import io.epochring.testing.TestFlusher;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Epochs, ordering, APPLIED, apply errors, channels sharing one sequence. */
class EpochOrderingTest {

    @Test
    void shouldAssignEpochsInApplyOrderFromOneWithoutGaps() {
        RecordingDelta delta = new RecordingDelta();
        List<WriteHandle<Long>> handles = new ArrayList<>();
        try (var ring = EpochRing.builder(delta, new TestFlusher()).build().start()) {
            for (int i = 0; i < 100; i++) {
                handles.add(ring.channel("default").write(new Put("k" + i, i)));
            }
            ring.flush().await(DurabilityLevel.APPLIED);
        }
        for (int i = 0; i < 100; i++) {
            assertThat(handles.get(i).epoch()).isEqualTo(i + 1);
            assertThat(delta.applied().get(i).epoch()).isEqualTo(i + 1);
            assertThat(delta.applied().get(i).write().key()).isEqualTo("k" + i);
        }
    }

    @Test
    void shouldApplyWritesToOneKeyInOrderSoTheLastWins() {
        TestFlusher flusher = new TestFlusher();
        try (var ring = EpochRing.builder(new MapDelta(), flusher).build().start()) {
            Channel<Put, Long> channel = ring.channel("default");
            WriteHandle<Long> last = null;
            for (int i = 1; i <= 50; i++) {
                last = channel.write(new Put("same", i));
            }
            last.await(DurabilityLevel.APPLIED);
            assertThat(ring.view().live()).containsEntry("same", 50L);
        }
    }

    @Test
    void shouldAdvanceAppliedWatermarkAndReturnTheApplyResult() {
        try (var ring = EpochRing.builder(new MapDelta(), new TestFlusher()).build().start()) {
            Channel<Put, Long> channel = ring.channel("default");
            for (long i = 1; i <= 5; i++) {
                WriteHandle<Long> handle = channel.write(new Put("k" + i, i));
                assertThat(handle.await(DurabilityLevel.APPLIED)).isEqualTo(i);
                assertThat(ring.watermark(DurabilityLevel.APPLIED)).isGreaterThanOrEqualTo(i);
                assertThat(handle.result()).isEqualTo(i);
            }
            assertThat(ring.awaitWatermark(DurabilityLevel.APPLIED, 5, java.time.Duration.ofSeconds(10))).isTrue();
        }
    }

    @Test
    void shouldDeliverApplyErrorWithEpochAndGoOn() {
        try (var ring = EpochRing.builder(new MapDelta(), new TestFlusher()).build().start()) {
            Channel<Put, Long> channel = ring.channel("default");
            channel.write(new Put("ok1", 1));
            WriteHandle<Long> bad = channel.write(new Put("fail-me", 2));
            WriteHandle<Long> after = channel.write(new Put("ok2", 3));

            assertThatThrownBy(() -> bad.await(DurabilityLevel.APPLIED))
                .isInstanceOf(ApplyException.class)
                .hasMessageContaining("epoch 2")
                .hasMessageContaining("refused by the test delta")
                .satisfies(e -> assertThat(((ApplyException) e).epoch()).isEqualTo(2));
            assertThatThrownBy(() -> bad.await(DurabilityLevel.WRITTEN)).isInstanceOf(ApplyException.class);
            assertThat(bad.future(DurabilityLevel.APPLIED)).isCompletedExceptionally();
            assertThat(after.await(DurabilityLevel.APPLIED)).isEqualTo(2L);
            assertThat(after.epoch()).isEqualTo(3);
            assertThat(ring.view().live()).containsOnlyKeys("ok1", "ok2");
        }
    }

    @Test
    void shouldFeedSeveralChannelsIntoOneEpochSequenceKeepingEachChannelsOrder() {
        RecordingDelta delta = new RecordingDelta();
        try (var ring = EpochRing.builder(delta, new TestFlusher()).channel("a", 64).channel("b", 64).build().start()) {
            for (int i = 0; i < 30; i++) {
                ring.channel(i % 2 == 0 ? "a" : "b").write(new Put((i % 2 == 0 ? "a" : "b") + i, i));
            }
            ring.flush().await(DurabilityLevel.APPLIED);
        }
        List<RecordingDelta.Applied> applied = delta.applied();
        assertThat(applied).hasSize(30);
        long lastA = -1;
        long lastB = -1;
        for (int i = 0; i < applied.size(); i++) {
            assertThat(applied.get(i).epoch()).isEqualTo(i + 1);
            Put put = applied.get(i).write();
            if (put.key().startsWith("a")) {
                assertThat(put.value()).isGreaterThan(lastA);
                lastA = put.value();
            } else {
                assertThat(put.value()).isGreaterThan(lastB);
                lastB = put.value();
            }
        }
    }
}
