package io.epochring;

import io.epochring.testing.MapDelta;
import io.epochring.testing.Put;
import io.epochring.testing.TestFlusher;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Flush retries with backoff, permanent failures, terminal convergence errors and the
 * failed state. Policies here are fast (microsecond delays), so nothing waits for real seconds.
 */
class FlushRetryTest {

    private static final FlushRetryPolicy FAST = FlushRetryPolicy.builder()
        .baseDelay(Duration.ofNanos(1_000)).maxDelay(Duration.ofNanos(50_000)).window(Duration.ofSeconds(30)).build();

    /** Records every listener call. */
    static final class RecordingListener implements FlushListener {
        final List<String> events = new CopyOnWriteArrayList<>();
        final List<Throwable> errors = new CopyOnWriteArrayList<>();

        @Override
        public void onFlushed(EpochRange range, long nanos, int attempts) {
            events.add("flushed " + range.first() + ".." + range.last() + " after " + attempts);
        }

        @Override
        public void onFlushFailed(EpochRange range, Throwable error, int attempt, boolean willRetry) {
            events.add("failed attempt " + attempt + (willRetry ? " retry" : " final"));
            errors.add(error);
        }

        @Override
        public void onTerminalFailure(CoordinatorFaultException error) {
            events.add("terminal");
        }
    }

    @Test
    void shouldFollowTheDocumentedDefaultCurveWithJitterRemoved() {
        FlushRetryPolicy policy = FlushRetryPolicy.builder().random(() -> 0.5).build();
        long ms = TimeUnit.MILLISECONDS.toNanos(1);
        assertThat(policy.nominalDelayNanos(2)).isLessThan(5 * ms);
        assertThat(policy.nominalDelayNanos(3)).isLessThan(5 * ms);
        assertThat(policy.nominalDelayNanos(4)).isLessThan(5 * ms);
        assertThat(policy.nominalDelayNanos(7)).isEqualTo(25 * ms);
        assertThat(policy.nominalDelayNanos(8)).isEqualTo(50 * ms);
        assertThat(policy.nominalDelayNanos(9)).isEqualTo(100 * ms);
        assertThat(policy.nominalDelayNanos(40)).isEqualTo(TimeUnit.SECONDS.toNanos(2));
        assertThat(policy.delayNanos(7)).isEqualTo(25 * ms);

        FlushRetryPolicy jittered = FlushRetryPolicy.builder().jitter(0.2).random(() -> 0.0).build();
        assertThat(jittered.delayNanos(7)).isEqualTo(20 * ms);
    }

    @Test
    void shouldLandDataAfterEightTransientFailures() {
        TestFlusher flusher = new TestFlusher();
        RecordingListener listener = new RecordingListener();
        flusher.failNext(8, () -> new TransientFlushException("busy"));
        try (var ring = EpochRing.builder(new MapDelta(), flusher).retryPolicy(FAST).listener(listener).build().start()) {
            WriteHandle<Long> write = ring.channel("default").write(new Put("a", 1));
            ring.flush();
            write.await(DurabilityLevel.WRITTEN);

            assertThat(flusher.calls()).isEqualTo(9);
            assertThat(flusher.storage()).containsEntry("a", 1L);
            assertThat(ring.failure()).isEmpty();
            assertThat(ring.stats().flushFailures()).isEqualTo(8);
            assertThat(listener.events).endsWith("failed attempt 8 retry", "flushed 1..1 after 9");
        }
    }

    @Test
    void shouldNotRetryAPermanentFailureAndReportItsReason() {
        TestFlusher flusher = new TestFlusher();
        RecordingListener listener = new RecordingListener();
        flusher.failNext(1, () -> new IOException("read-only file system"));
        var ring = EpochRing.builder(new MapDelta(), flusher).retryPolicy(FAST).listener(listener).errorHandler(e -> { }).build().start();
        WriteHandle<Long> write = ring.channel("default").write(new Put("a", 1));
        ring.flush();

        assertThatThrownBy(() -> write.await(DurabilityLevel.WRITTEN))
            .isInstanceOf(FlushFailedException.class)
            .hasMessageContaining("permanent error (not retried)")
            .hasMessageContaining("read-only file system");
        assertThat(flusher.calls()).isEqualTo(1);
        assertThat(listener.events).containsExactly("failed attempt 1 final", "terminal");
        assertThat(listener.errors).singleElement().isInstanceOf(IOException.class);
        assertThat(ring.stats().flushFailures()).isEqualTo(1);
        assertThatThrownBy(ring::stop).isInstanceOf(FlushFailedException.class);
    }

    @Test
    void shouldEndANeverClearingTransientFailureWithATerminalErrorWithinTheWindow() {
        TestFlusher flusher = new TestFlusher();
        RecordingListener listener = new RecordingListener();
        flusher.failNext(100_000, () -> new TransientFlushException("still busy"));
        FlushRetryPolicy shortWindow = FlushRetryPolicy.builder().baseDelay(Duration.ofMillis(1)).maxDelay(Duration.ofMillis(4))
                                                       .window(Duration.ofMillis(50)).build();
        var ring = EpochRing.builder(new MapDelta(), flusher).retryPolicy(shortWindow).listener(listener).errorHandler(e -> { }).build().start();
        WriteHandle<Long> first = ring.channel("default").write(new Put("a", 1));
        WriteHandle<Long> second = ring.channel("default").write(new Put("b", 2));
        ring.flush();

        assertThatThrownBy(() -> second.await(DurabilityLevel.DURABLE))
            .isInstanceOf(FlushFailedException.class).hasMessageContaining("did not clear within the retry window");
        assertThatThrownBy(() -> first.await(DurabilityLevel.WRITTEN)).isInstanceOf(FlushFailedException.class);
        assertThat(flusher.calls()).isBetween(2, 60);
        assertThat(listener.events).last().isEqualTo("terminal");
        assertThatThrownBy(ring::stop).isInstanceOf(FlushFailedException.class);
    }

    @Test
    void shouldFailOnTheFirstErrorWithAZeroWindow() {
        TestFlusher flusher = new TestFlusher();
        flusher.failNext(1, () -> new TransientFlushException("busy"));
        var ring = EpochRing.builder(new MapDelta(), flusher).retryPolicy(FlushRetryPolicy.none()).errorHandler(e -> { }).build().start();
        WriteHandle<Long> write = ring.channel("default").write(new Put("a", 1));
        ring.flush();
        assertThatThrownBy(() -> write.await(DurabilityLevel.WRITTEN)).isInstanceOf(FlushFailedException.class)
            .hasMessageContaining("1 attempts");
        assertThat(flusher.calls()).isEqualTo(1);
        assertThatThrownBy(ring::stop).isInstanceOf(FlushFailedException.class);
    }

    @Test
    void shouldKeepQueuedDeltasInOrderBehindAFailingOne() throws Exception {
        TestFlusher flusher = new TestFlusher();
        flusher.failNext(5, () -> new TransientFlushException("busy"));
        flusher.block();
        try (var ring = EpochRing.builder(new MapDelta(), flusher).retryPolicy(FAST).flushInterval(Duration.ofHours(1)).build().start()) {
            for (int i = 1; i <= 3; i++) {
                ring.channel("default").write(new Put("k" + i, i));
                ring.flush();
            }
            flusher.awaitFlushStarted();
            flusher.release();
            ring.flush().await(DurabilityLevel.WRITTEN);
            assertThat(flusher.flushed()).extracting(TestFlusher.Flushed::range)
                .containsExactly(new EpochRange(1, 1), new EpochRange(2, 2), new EpochRange(3, 3));
        }
    }

    @Test
    void shouldRefuseNewWritesNamingTheCauseAfterATerminalFailure() {
        TestFlusher flusher = new TestFlusher();
        flusher.failNext(1, () -> new IOException("disk gone"));
        var ring = EpochRing.builder(new MapDelta(), flusher).retryPolicy(FAST).errorHandler(e -> { }).build().start();
        ring.channel("default").write(new Put("a", 1));
        assertThatThrownBy(() -> ring.flush().await(DurabilityLevel.WRITTEN)).isInstanceOf(FlushFailedException.class);

        assertThatThrownBy(() -> ring.channel("default").tryWrite(new Put("b", 2)))
            .isInstanceOf(CoordinatorFailedException.class)
            .hasMessageContaining("disk gone")
            .hasRootCauseInstanceOf(IOException.class);
        assertThatThrownBy(() -> ring.channel("default").write(new Put("b", 2), Duration.ofSeconds(1)))
            .isInstanceOf(CoordinatorFailedException.class);
        assertThatThrownBy(ring::flush).isInstanceOf(CoordinatorFailedException.class);
        assertThat(ring.failure()).get().extracting(Throwable::getMessage).asString().contains("disk gone");
        assertThatThrownBy(ring::stop).isInstanceOf(FlushFailedException.class).hasMessageContaining("disk gone");
    }

    @Test
    void shouldFailOnceAndStopTickingWhenTheDeltaCannotFreeze() {
        java.util.concurrent.atomic.AtomicInteger freezes = new java.util.concurrent.atomic.AtomicInteger();
        MapDelta broken = new MapDelta();
        Delta<Put, Long, java.util.Map<String, Long>> delta = new Delta<>() {
            @Override
            public Long apply(long epoch, Put write) {
                return broken.apply(epoch, write);
            }

            @Override
            public long estimatedSizeBytes() {
                return broken.estimatedSizeBytes();
            }

            @Override
            public java.util.Map<String, Long> view() {
                return broken.view();
            }

            @Override
            public java.util.Map<String, Long> freeze() {
                freezes.incrementAndGet();
                throw new IllegalStateException("cannot seal");
            }
        };
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        var ring = EpochRing.builder(delta, new TestFlusher()).flushInterval(Duration.ofMillis(1)).errorHandler(errors::add).build().start();
        WriteHandle<Long> write = ring.channel("default").write(new Put("a", 1));

        assertThatThrownBy(() -> write.await(DurabilityLevel.WRITTEN)).isInstanceOf(DeltaFailedException.class)
            .hasMessageContaining("Delta.freeze()").hasRootCauseMessage("cannot seal");
        assertThatThrownBy(() -> ring.channel("default").tryWrite(new Put("b", 2))).isInstanceOf(CoordinatorFailedException.class);
        assertThatThrownBy(ring::stop).isInstanceOf(DeltaFailedException.class);
        assertThat(freezes).hasValue(1);
        assertThat(errors).hasSize(1);
    }
}
