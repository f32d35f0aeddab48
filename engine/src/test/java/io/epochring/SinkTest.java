package io.epochring;

import io.epochring.testing.Await;
import io.epochring.testing.ControlledSink;
import io.epochring.testing.MapDelta;
import io.epochring.testing.Put;
import io.epochring.testing.TestFlusher;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Secondary sinks, required and optional, overflow, coalescing, health. */
class SinkTest {

    private static final Duration HOUR = Duration.ofHours(1);
    private static final FlushRetryPolicy FAST = FlushRetryPolicy.builder()
        .baseDelay(Duration.ofNanos(1_000)).maxDelay(Duration.ofNanos(10_000)).window(Duration.ofSeconds(30)).build();

    private final List<SinkEvent> events = new CopyOnWriteArrayList<>();
    private final FlushListener recorder = new FlushListener() {
        @Override
        public void onSinkEvent(SinkEvent event) {
            events.add(event);
        }
    };

    private EpochRingBuilder<Put, Long, Map<String, Long>, Map<String, Long>> builder() {
        return EpochRing.builder(new MapDelta(), new TestFlusher()).flushInterval(HOUR).retryPolicy(FAST).listener(recorder);
    }

    private static WriteHandle<Long> writeAndFlush(EpochRing<Put, Long, ?, ?> ring, String key, long value) {
        WriteHandle<Long> write = ring.channel("default").write(new Put(key, value));
        ring.flush();
        return write;
    }

    @Test
    void shouldNeverHoldBackWrittenForASlowOptionalSink() throws Exception {
        ControlledSink archive = new ControlledSink();
        try (var ring = builder().sink("archive", archive, SinkOptions.optional()).build().start()) {
            writeAndFlush(ring, "a", 1);
            archive.awaitCall();
            for (int i = 2; i <= 5; i++) {
                writeAndFlush(ring, "k" + i, i).await(DurabilityLevel.WRITTEN);
            }
            assertThat(ring.watermark(DurabilityLevel.WRITTEN)).isEqualTo(5);
            assertThat(archive.calls()).isEmpty();
            archive.openUp();
        }
        assertThat(archive.calls()).isNotEmpty();
    }

    @Test
    void shouldHoldBackWrittenAndPushBackOnProducersForASlowRequiredSink() throws Exception {
        ControlledSink replica = new ControlledSink();
        TestFlusher flusher = new TestFlusher();
        // Every write is frozen as it applies (a 1-byte threshold), so the producer needs no
        // flush() of its own: a flush() would wait for a ring slot, and the ring is what fills.
        try (var ring = EpochRing.builder(new MapDelta(), flusher).flushInterval(HOUR).flushThresholdBytes(1).retryPolicy(FAST)
                                 .ringSize(16).sink("replica", replica, SinkOptions.required().withQueueCapacity(1)).build().start()) {
            WriteHandle<Long> first = ring.channel("default").write(new Put("a", 1));
            replica.awaitCall();
            assertThat(flusher.flushed()).hasSize(1);
            assertThat(ring.watermark(DurabilityLevel.WRITTEN)).isZero();
            assertThat(first.future(DurabilityLevel.WRITTEN)).isNotDone();

            BackpressureException pushedBack = null;
            for (int i = 0; i < 100_000 && pushedBack == null; i++) {
                try {
                    ring.channel("default").tryWrite(new Put("k" + i, i));
                } catch (BackpressureException e) {
                    pushedBack = e;
                }
            }
            assertThat(pushedBack).as("producers feel the required sink's backpressure").isNotNull();

            replica.openUp();
            assertThat(first.await(DurabilityLevel.WRITTEN)).isEqualTo(1L);
            WriteHandle<EpochRange> last = ring.flush();
            last.await(DurabilityLevel.WRITTEN);
            assertThat(ring.sinks().get(0).deliveredEpoch()).isEqualTo(last.epoch());
        }
    }

    @Test
    void shouldCoalesceDeltasQueuedBehindASlowCallIntoOneCallInOrder() throws Exception {
        ControlledSink archive = new ControlledSink();
        try (var ring = builder().sink("archive", archive, SinkOptions.optional().withQueueCapacity(8)).build().start()) {
            writeAndFlush(ring, "k1", 1);
            assertThat(archive.awaitCall()).containsExactly(new EpochRange(1, 1));
            for (int i = 2; i <= 5; i++) {
                writeAndFlush(ring, "k" + i, i).await(DurabilityLevel.WRITTEN);
            }
            Await.until("4 deltas queued", () -> ring.sinks().get(0).queued() == 4);
            archive.openUp();
            assertThat(archive.awaitCall()).containsExactly(new EpochRange(2, 2), new EpochRange(3, 3),
                                                            new EpochRange(4, 4), new EpochRange(5, 5));
            Await.until("delivery", () -> ring.sinks().get(0).deliveredEpoch() == 5);
            assertThat(archive.calls()).hasSize(2);
            assertThat(ring.sinks().get(0).deltasDelivered()).isEqualTo(5);
        }
    }

    @Test
    void shouldRefuseANewDeltaWhenFullUnderFail() throws Exception {
        ControlledSink archive = new ControlledSink();
        SinkOptions options = SinkOptions.optional().withQueueCapacity(1).withOverflow(SinkOptions.Overflow.FAIL);
        try (var ring = builder().sink("archive", archive, options).build().start()) {
            writeAndFlush(ring, "k1", 1);
            archive.awaitCall();
            writeAndFlush(ring, "k2", 2);
            writeAndFlush(ring, "k3", 3).await(DurabilityLevel.WRITTEN);
            Await.until("overflow event", () -> !events.isEmpty());

            assertThat(events).singleElement().satisfies(e -> {
                assertThat(e.kind()).isEqualTo(SinkEvent.Kind.OVERFLOW_FAILED);
                assertThat(e.range()).isEqualTo(new EpochRange(3, 3));
                assertThat(e.sink()).isEqualTo("archive");
            });
            assertThat(ring.sinks().get(0).overflowFailures()).isEqualTo(1);
            archive.openUp();
        }
        assertThat(archive.calls()).flatMap(c -> c).containsExactly(new EpochRange(1, 1), new EpochRange(2, 2));
    }

    @Test
    void shouldDropTheOldestQueuedDeltaWithAnAuditRecordUnderDropOldest() throws Exception {
        ControlledSink archive = new ControlledSink();
        SinkOptions options = SinkOptions.optional().withQueueCapacity(1).withOverflow(SinkOptions.Overflow.DROP_OLDEST);
        try (var ring = builder().sink("archive", archive, options).build().start()) {
            writeAndFlush(ring, "k1", 1);
            archive.awaitCall();
            writeAndFlush(ring, "k2", 2);
            writeAndFlush(ring, "k3", 3).await(DurabilityLevel.WRITTEN);
            Await.until("drop event", () -> !events.isEmpty());

            assertThat(events).singleElement().satisfies(e -> {
                assertThat(e.kind()).isEqualTo(SinkEvent.Kind.DROPPED_OLDEST);
                assertThat(e.range()).isEqualTo(new EpochRange(2, 2));
            });
            assertThat(ring.sinks().get(0).deltasDropped()).isEqualTo(1);
            archive.openUp();
        }
        assertThat(archive.calls()).flatMap(c -> c).containsExactly(new EpochRange(1, 1), new EpochRange(3, 3));
    }

    @Test
    void shouldMoveFromHealthyToDegradedToUnhealthyAndBack() throws Exception {
        ControlledSink archive = new ControlledSink();
        try (var ring = builder().sink("archive", archive, SinkOptions.optional().withUnhealthyAfter(3)).build().start()) {
            assertThat(ring.sinks().get(0).health()).isEqualTo(SinkHealth.HEALTHY);
            writeAndFlush(ring, "k1", 1);
            archive.awaitCall();
            for (int failures = 1; failures <= 3; failures++) {
                archive.failNextCalls(1);
                archive.allow(1);
                archive.awaitCall();
                SinkStatus status = ring.sinks().get(0);
                assertThat(status.consecutiveFailures()).isEqualTo(failures);
                assertThat(status.health()).isEqualTo(failures < 3 ? SinkHealth.DEGRADED : SinkHealth.UNHEALTHY);
                assertThat(status.lastError()).hasMessage("archive unavailable");
            }
            archive.allow(1);
            Await.until("delivery", () -> ring.sinks().get(0).deliveredEpoch() == 1);
            assertThat(ring.sinks().get(0).health()).isEqualTo(SinkHealth.HEALTHY);
            assertThat(events).extracting(SinkEvent::kind).containsOnly(SinkEvent.Kind.DELIVERY_FAILED).hasSize(3);
        }
    }

    @Test
    void shouldFailTheCoordinatorWhenARequiredSinkGivesUpButOnlyAuditAnOptionalOne() throws Exception {
        FlushRetryPolicy noRetry = FlushRetryPolicy.none();
        ControlledSink optional = ControlledSink.open();
        optional.failNextCalls(1);
        try (var ring = builder().retryPolicy(noRetry).sink("archive", optional, SinkOptions.optional()).build().start()) {
            writeAndFlush(ring, "k1", 1).await(DurabilityLevel.WRITTEN);
            Await.until("give up", () -> events.stream().anyMatch(e -> e.kind() == SinkEvent.Kind.GAVE_UP));
            assertThat(ring.failure()).isEmpty();
        }

        ControlledSink required = ControlledSink.open();
        required.failNextCalls(1);
        var ring = builder().retryPolicy(noRetry).errorHandler(e -> { }).sink("replica", required, SinkOptions.required()).build().start();
        WriteHandle<Long> write = writeAndFlush(ring, "k1", 1);
        assertThatThrownBy(() -> write.await(DurabilityLevel.WRITTEN)).isInstanceOf(SinkFailedException.class)
            .hasMessageContaining("required sink 'replica'").hasMessageContaining("archive unavailable");
        assertThatThrownBy(ring::stop).isInstanceOf(SinkFailedException.class);
    }

    @Test
    void shouldRejectARequiredSinkThatMayLoseDeltas() {
        assertThatThrownBy(() -> builder().sink("replica", ControlledSink.open(),
                                                SinkOptions.required().withOverflow(SinkOptions.Overflow.DROP_OLDEST)).build())
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sink 'replica' is REQUIRED");
    }
}
