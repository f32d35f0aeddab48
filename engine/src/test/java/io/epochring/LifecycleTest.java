package io.epochring;

import io.epochring.testing.EngineThreads;
import io.epochring.testing.MapDelta;
import io.epochring.testing.Put;
import io.epochring.testing.TestFlusher;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Stop flushes, joins every thread, reports flusher errors; later calls are refused. */
class LifecycleTest {

    @Test
    void shouldFlushPendingWritesAndLeaveNoThreadsBehindOnStop() {
        for (RingShape mode : RingShape.values()) {
            TestFlusher flusher = new TestFlusher();
            String name = "lifecycle-" + mode;
            var ring = mode.on(EpochRing.builder(new MapDelta(), flusher)).name(name)
                                .flushInterval(Duration.ofHours(1)).syncEveryFlush(false).build().start();
            assertThat(EngineThreads.named(name)).isNotEmpty();
            WriteHandle<Long> pending = ring.channel("default").write(new Put("a", 1));
            ring.channel("default").tryPublish(new Put("b", 2));

            ring.stop();

            assertThat(pending.future(DurabilityLevel.DURABLE)).isCompleted();
            assertThat(flusher.storage()).containsOnlyKeys("a", "b");
            assertThat(flusher.syncs()).isEqualTo(1);
            assertThat(EngineThreads.named(name)).as("threads left after stop in %s", mode).isEmpty();
            ring.stop();
        }
    }

    @Test
    void shouldFailHeldWritesOfAPausedChannelAtStop() {
        var ring = EpochRing.builder(new MapDelta(), new TestFlusher()).build().start();
        ring.channel("default").pause();
        WriteHandle<Long> held = ring.channel("default").write(new Put("held", 1));
        ring.stop();
        assertThatThrownBy(() -> held.await(DurabilityLevel.APPLIED))
            .isInstanceOf(ShutdownException.class).hasMessageContaining("paused");
    }

    @Test
    void shouldReportTheFlushersErrorFromStop() {
        TestFlusher flusher = new TestFlusher();
        var ring = EpochRing.builder(new MapDelta(), flusher).name("failing-stop").retryPolicy(FlushRetryPolicy.none())
                            .errorHandler(e -> { }).build().start();
        WriteHandle<Long> write = ring.channel("default").write(new Put("a", 1));
        flusher.failNext(1, () -> new java.io.IOException("disk on fire"));

        assertThatThrownBy(ring::stop)
            .isInstanceOf(FlushFailedException.class)
            .hasMessageContaining("disk on fire");
        assertThatThrownBy(() -> write.await(DurabilityLevel.WRITTEN)).isInstanceOf(FlushFailedException.class);
        assertThat(EngineThreads.named("failing-stop")).isEmpty();
    }

    @Test
    void shouldRefuseEveryWriteAndFlushAfterStop() {
        var ring = EpochRing.builder(new MapDelta(), new TestFlusher()).build().start();
        Channel<Put, Long> channel = ring.channel("default");
        ring.stop();
        Put put = new Put("late", 1);

        assertThatThrownBy(() -> channel.tryWrite(put)).isInstanceOf(ShutdownException.class)
            .hasMessageContaining("stopped").satisfies(e -> assertThat(((ShutdownException) e).<Put>write()).isSameAs(put));
        assertThatThrownBy(() -> channel.write(put)).isInstanceOf(ShutdownException.class);
        assertThatThrownBy(() -> channel.write(put, Duration.ofSeconds(1))).isInstanceOf(ShutdownException.class);
        assertThatThrownBy(() -> channel.tryPublish(put)).isInstanceOf(ShutdownException.class);
        assertThatThrownBy(ring::flush).isInstanceOf(ShutdownException.class);
        assertThatThrownBy(channel::pause).isInstanceOf(ShutdownException.class);
    }

    @Test
    void shouldRefuseWritesBeforeStartAndASecondStart() {
        var ring = EpochRing.builder(new MapDelta(), new TestFlusher()).build();
        assertThatThrownBy(() -> ring.channel("default").tryWrite(new Put("a", 1)))
            .isInstanceOf(ShutdownException.class).hasMessageContaining("call start()");
        ring.start();
        assertThatThrownBy(ring::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("once");
        ring.stop();
    }


    @Test
    void shouldTreatATimeoutTooLongToRepresentAsNoDeadline() {
        try (var ring = EpochRing.builder(new MapDelta(), new TestFlusher()).build().start()) {
            WriteHandle<Long> write = ring.channel("default").write(new Put("a", 1), Duration.ofMillis(Long.MAX_VALUE));
            assertThat(write.await(DurabilityLevel.APPLIED, Duration.ofSeconds(Long.MAX_VALUE))).isEqualTo(1L);
            assertThat(ring.awaitWatermark(DurabilityLevel.APPLIED, 1, Duration.ofDays(365L * 1000))).isTrue();
        }
    }
}
