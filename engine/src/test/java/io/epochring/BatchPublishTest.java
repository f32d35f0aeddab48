package io.epochring;

import io.epochring.testing.RecordingDelta;
import io.epochring.testing.Put;
import io.epochring.testing.TestFlusher;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Batches: accepted whole or not at all, with consecutive epochs in order, and refused whole
 * (losing nothing accepted before) when they are bad.
 */
class BatchPublishTest {

    private static EpochRing<Put, Long, Map<String, Long>, Map<String, Long>> ring(RecordingDelta delta, RingShape shape, int capacity) {
        return shape.on(EpochRing.builder(delta, new TestFlusher())).channel("a", capacity).ringSize(1024).build().start();
    }

    private static Put[] puts(String prefix, int count) {
        Put[] puts = new Put[count];
        for (int i = 0; i < count; i++) {
            puts[i] = new Put(prefix + i, i);
        }
        return puts;
    }

    /** Pauses channel "a" and publishes {@code held} writes to it: held writes keep their permits, so it fills. */
    private static Channel<Put, Long> pausedWithHeld(EpochRing<Put, Long, Map<String, Long>, Map<String, Long>> ring, int held) {
        Channel<Put, Long> a = ring.channel("a");
        a.pause();
        a.publishAll(puts("held", held), 0, held);
        return a;
    }

    @ParameterizedTest
    @EnumSource(RingShape.class)
    void shouldGiveABatchConsecutiveEpochsInOrderWithAHandleForEachWrite(RingShape mode) {
        RecordingDelta delta = new RecordingDelta();
        try (var ring = ring(delta, mode, 64)) {
            Channel<Put, Long> a = ring.channel("a");
            a.publishAll(puts("p", 3), 0, 3);
            assertThat(a.tryPublishAll(puts("q", 4), 1, 2)).isTrue();
            List<WriteHandle<Long>> handles = a.writeAll(List.of(puts("w", 3)));
            List<WriteHandle<Long>> tried = a.tryWriteAll(List.of(puts("t", 2)));

            assertThat(tried.get(1).await(DurabilityLevel.APPLIED)).isNotNull();
            assertThat(handles).extracting(WriteHandle::epoch).containsExactly(6L, 7L, 8L);
            assertThat(tried).extracting(WriteHandle::epoch).containsExactly(9L, 10L);
            assertThat(delta.applied()).extracting(applied -> applied.write().key())
                                       .containsExactly("p0", "p1", "p2", "q1", "q2", "w0", "w1", "w2", "t0", "t1");
            assertThat(delta.applied()).extracting(RecordingDelta.Applied::epoch).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
            assertThat(a.tryPublishAll(new Put[0], 0, 0)).isTrue();
            assertThat(a.writeAll(List.of())).isEmpty();
            assertThat(a.stats().submitted()).isEqualTo(10);
        }
    }

    @ParameterizedTest
    @EnumSource(value = RingShape.class, names = {"SINGLE_THREAD", "THREAD_PER_STAGE"}) // many producers
    void shouldKeepEveryBatchContiguousWhenProducersPublishAtOnce(RingShape mode) throws Exception {
        int producers = 4;
        int batches = 200;
        int size = 16;
        RecordingDelta delta = new RecordingDelta();
        try (var ring = ring(delta, mode, 64)) {
            Channel<Put, Long> a = ring.channel("a");
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<Void>> done = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                String producer = "p" + p;
                done.add(CompletableFuture.runAsync(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    for (int b = 0; b < batches; b++) {
                        a.publishAll(puts(producer + "-" + b + "-", size), 0, size);
                    }
                }));
            }
            go.countDown();
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            ring.flush().await(DurabilityLevel.APPLIED);
        }

        List<RecordingDelta.Applied> applied = delta.applied();
        assertThat(applied).hasSize(producers * batches * size);
        Map<String, Long> firstEpochOfBatch = new HashMap<>();
        for (RecordingDelta.Applied write : applied) {
            String key = write.write().key();
            String batch = key.substring(0, key.lastIndexOf('-'));
            long index = write.write().value();
            long first = firstEpochOfBatch.computeIfAbsent(batch, b -> write.epoch() - index);
            assertThat(write.epoch()).as("write %s: its batch's epochs are consecutive, in array order", key).isEqualTo(first + index);
        }
        assertThat(firstEpochOfBatch).hasSize(producers * batches);
    }

    @ParameterizedTest
    @EnumSource(RingShape.class)
    void shouldAcceptNoneOfABatchWithoutRoomForAll(RingShape mode) {
        RecordingDelta delta = new RecordingDelta();
        try (var ring = ring(delta, mode, 8)) {
            Channel<Put, Long> a = pausedWithHeld(ring, 5);

            assertThat(a.tryPublishAll(puts("no", 4), 0, 4)).isFalse();
            List<Put> refused = List.of(puts("no", 4));
            assertThatThrownBy(() -> a.tryWriteAll(refused)).isInstanceOf(BackpressureException.class)
                .hasMessageContaining("no room for all 4 writes of the batch, so none was accepted")
                .satisfies(e -> assertThat((Object) ((RejectedWriteException) e).write()).isSameAs(refused));
            assertThat(a.stats().rejected()).isEqualTo(8);
            assertThat(a.tryPublishAll(puts("fits", 3), 0, 3)).isTrue();

            a.resume();
            ring.flush().await(DurabilityLevel.APPLIED);
            assertThat(delta.applied()).extracting(applied -> applied.write().key())
                                       .containsExactly("held0", "held1", "held2", "held3", "held4", "fits0", "fits1", "fits2");
        }
    }

    @ParameterizedTest
    @EnumSource(RingShape.class)
    void shouldRefuseABadBatchWholeAndKeepWhatWasAccepted(RingShape mode) {
        RecordingDelta delta = new RecordingDelta();
        try (var ring = ring(delta, mode, 8)) {
            Channel<Put, Long> a = ring.channel("a");
            a.publishAll(puts("ok", 2), 0, 2);

            Put[] withNull = puts("bad", 3);
            withNull[2] = null;
            assertThatThrownBy(() -> a.publishAll(withNull, 0, 3)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("write 2 of the batch is null (channel 'a'); nothing was accepted");
            assertThatThrownBy(() -> a.tryWriteAll(Arrays.asList(withNull))).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> a.tryPublishAll(puts("big", 9), 0, 9)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a batch of 9 writes can never fit channel 'a' (capacity 8)")
                .hasMessageContaining("split it into batches of at most 8");
            assertThatThrownBy(() -> a.publishAll(puts("range", 3), 2, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("writes[2, 2 + 2) is outside the array of 3");
            assertThatThrownBy(() -> a.publishAll(puts("range", 3), 0, -1)).isInstanceOf(IllegalArgumentException.class);

            assertThat(a.writeAll(List.of(puts("after", 1))).get(0).await(DurabilityLevel.APPLIED)).isNotNull();
            assertThat(delta.applied()).extracting(applied -> applied.write().key()).containsExactly("ok0", "ok1", "after0");
            assertThat(a.stats().submitted()).isEqualTo(3);
        }
    }

    @ParameterizedTest
    @EnumSource(RingShape.class)
    void shouldTakeABatchOfOneAsASingleWriteWithTheBatchsChecks(RingShape mode) {
        RecordingDelta delta = new RecordingDelta();
        try (var ring = ring(delta, mode, 4)) {
            Channel<Put, Long> a = pausedWithHeld(ring, 3);

            assertThat(a.tryPublishAll(puts("one", 1), 0, 1)).isTrue();
            assertThat(a.tryPublishAll(puts("full", 1), 0, 1)).isFalse();
            assertThat(a.stats().rejected()).isEqualTo(1);
            assertThatThrownBy(() -> a.tryPublishAll(new Put[1], 0, 1)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("write 0 of the batch is null (channel 'a'); nothing was accepted");
            assertThatThrownBy(() -> a.publishAll(puts("range", 1), 1, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("writes[1, 1 + 1) is outside the array of 1");

            a.resume();
            a.publishAll(puts("last", 2), 1, 1);
            ring.flush().await(DurabilityLevel.APPLIED);
            assertThat(delta.applied()).extracting(applied -> applied.write().key())
                                       .containsExactly("held0", "held1", "held2", "one0", "last1");
            assertThat(a.stats().submitted()).isEqualTo(5);
        }
    }
}
