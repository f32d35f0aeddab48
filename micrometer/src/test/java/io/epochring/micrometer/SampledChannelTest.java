package io.epochring.micrometer;

import io.epochring.Channel;
import io.epochring.DurabilityLevel;
import io.epochring.EpochRing;
import io.epochring.testing.Await;
import io.epochring.testing.MapDelta;
import io.epochring.testing.Put;
import io.epochring.testing.TestFlusher;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Sampled write latency: timed from submit to each level, bounded in flight, free for writes not sampled. */
class SampledChannelTest {

    private static final Duration LONG = Duration.ofHours(1);

    private final MockClock clock = new MockClock();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock);

    @Test
    void shouldTimeASampledWriteFromSubmitToEachLevel() {
        try (var ring = EpochRing.builder(new MapDelta(), new TestFlusher()).name("timed").flushInterval(LONG).build().start()) {
            SampledChannel<Put, Long> sampled = SampledChannel.builder(ring, "default").sampleEvery(1).register(registry);
            Channel<Put, Long> channel = ring.channel("default");

            // given a write held 3 ms in a paused channel
            channel.pause();
            assertThat(sampled.tryPublish(new Put("a", 1))).isTrue();
            clock.add(Duration.ofMillis(3));
            channel.resume();
            Await.until("the write to be timed at APPLIED", () -> timer(DurabilityLevel.APPLIED).count() == 1);

            // when it is flushed and synced 4 ms later
            clock.add(Duration.ofMillis(4));
            ring.flush(true).await(DurabilityLevel.DURABLE);
            Await.until("the write to be timed at DURABLE", () -> sampled.inFlight() == 0);

            // then each level's timer has it, measured from submit
            assertThat(timer(DurabilityLevel.APPLIED).totalTime(TimeUnit.MILLISECONDS)).isEqualTo(3.0);
            assertThat(timer(DurabilityLevel.WRITTEN).totalTime(TimeUnit.MILLISECONDS)).isEqualTo(7.0);
            assertThat(timer(DurabilityLevel.DURABLE).totalTime(TimeUnit.MILLISECONDS)).isEqualTo(7.0);
            assertThat(timer(DurabilityLevel.DURABLE).count()).isEqualTo(1);
            assertThat(registry.find(SampledChannel.LATENCY).tag("level", "journaled").timer()).as("no journal, no JOURNALED timer").isNull();
            assertThat(timer(DurabilityLevel.APPLIED).getId().getTags()).extracting(t -> t.getKey() + "=" + t.getValue())
                                                                         .containsExactlyInAnyOrder("ring=timed", "channel=default", "level=applied");
        }
    }

    @Test
    void shouldStopSamplingWhileMaxInFlightSamplesWait() throws Exception {
        // given a flusher that holds every flush, so no sample reaches WRITTEN
        TestFlusher storage = new TestFlusher();
        storage.block();
        try (var ring = EpochRing.builder(new MapDelta(), storage).flushInterval(LONG).build().start()) {
            SampledChannel<Put, Long> sampled = SampledChannel.builder(ring, "default").sampleEvery(1).maxInFlight(4).register(registry);

            // when ten writes are published
            for (int i = 0; i < 10; i++) {
                sampled.publish(new Put("k" + i, i));
            }
            ring.flush();
            storage.awaitFlushStarted();

            // then four are timed, and the rest went through untimed
            assertThat(sampled.inFlight()).isEqualTo(4);
            Await.until("four writes timed at APPLIED", () -> timer(DurabilityLevel.APPLIED).count() == 4);
            assertThat(ring.channel("default").stats().submitted()).isEqualTo(10);

            // and once the flush lands, every sample completes and sampling resumes
            storage.release();
            ring.flush(true).await(DurabilityLevel.DURABLE);
            Await.until("samples to complete", () -> sampled.inFlight() == 0);
            assertThat(timer(DurabilityLevel.DURABLE).count()).isEqualTo(4);
            assertThat(sampled.tryPublish(new Put("late", 1))).isTrue();
            ring.flush(true).await(DurabilityLevel.DURABLE);
            Await.until("the late write to be timed", () -> timer(DurabilityLevel.DURABLE).count() == 5);
        }
    }

    @Test
    void shouldReturnFalseForASampledWriteToAFullChannelAndReleaseItsSample() {
        try (var ring = EpochRing.builder(new MapDelta(), new TestFlusher()).channel("small", 1).build().start()) {
            SampledChannel<Put, Long> sampled = SampledChannel.builder(ring, "small").sampleEvery(1).register(registry);
            ring.channel("small").pause();
            assertThat(sampled.tryPublish(new Put("a", 1))).isTrue();

            assertThat(sampled.tryPublish(new Put("b", 2))).isFalse();
            assertThat(sampled.inFlight()).isEqualTo(1);
            assertThat(ring.channel("small").stats().rejected()).isEqualTo(1);
            ring.channel("small").resume();
        }
    }

    @Test
    void shouldTrackAWriteSubmittedWithItsOwnHandle() {
        try (var ring = EpochRing.builder(new MapDelta(), new TestFlusher()).flushInterval(LONG).build().start()) {
            SampledChannel<Put, Long> sampled = SampledChannel.builder(ring, "default").levels(Set.of(DurabilityLevel.APPLIED))
                                                              .register(registry);
            long start = clock.monotonicTime();
            var handle = ring.channel("default").write(new Put("a", 1));
            clock.add(Duration.ofMillis(2));

            assertThat(sampled.track(handle, start)).isTrue();
            handle.await(DurabilityLevel.APPLIED);

            Await.until("the write to be timed", () -> sampled.inFlight() == 0);
            assertThat(timer(DurabilityLevel.APPLIED).totalTime(TimeUnit.MILLISECONDS)).isEqualTo(2.0);
            assertThat(registry.find(SampledChannel.LATENCY).timers()).hasSize(1);
        }
    }

    @RepeatedTest(20)
    void shouldTimeEveryWriteOfManyProducersOnceAtEveryLevel() throws Exception {
        int producers = 4;
        int writesEach = 2_000;
        ExecutorService pool = Executors.newFixedThreadPool(producers);
        try (var ring = EpochRing.builder(new MapDelta(), new TestFlusher()).channel("busy", 256).flushInterval(Duration.ofMillis(1))
                                 .build().start()) {
            SampledChannel<Put, Long> sampled = SampledChannel.builder(ring, "busy").sampleEvery(1).maxInFlight(Integer.MAX_VALUE)
                                                              .register(registry);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                String key = "p" + p;
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < writesEach; i++) {
                        if (i % 2 == 0) {
                            sampled.publish(new Put(key, i));
                        } else {
                            while (!sampled.tryPublish(new Put(key, i))) {
                                Thread.onSpinWait();
                            }
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
            ring.flush(true).await(DurabilityLevel.DURABLE);
            Await.until("every sample to complete", () -> sampled.inFlight() == 0);

            for (DurabilityLevel level : ring.levels()) {
                assertThat(timer(level).count()).as(level.name()).isEqualTo((long) producers * writesEach);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void shouldAllocateNothingOnTheProducerForWritesNotSampled() {
        try (var ring = EpochRing.builder(new MapDelta(), new TestFlusher()).ringSize(1 << 14).channel("hot", 1 << 14).build().start()) {
            SampledChannel<Put, Long> never = SampledChannel.builder(ring, "hot").sampleEvery(1 << 30).register(registry);
            SampledChannel<Put, Long> often = SampledChannel.builder(ring, "hot").sampleEvery(1024).register(new SimpleMeterRegistry());
            Put write = new Put("k", 1);

            publish(never, write, 500_000); // warm up
            double unsampled = bytesPerWrite(never, write, 1_000_000);
            publish(often, write, 200_000);
            double sampled = bytesPerWrite(often, write, 1_000_000);

            System.out.printf("producer thread allocation: %.4f B/write not sampled, %.2f B/write sampling 1 in 1024%n", unsampled, sampled);
            assertThat(unsampled).isLessThan(0.1);
        }
    }

    @Test
    void shouldNameTheBadFieldOfABadConfiguration() {
        try (var ring = EpochRing.builder(new MapDelta(), new TestFlusher()).build()) {
            assertThatThrownBy(() -> SampledChannel.builder(ring, "nope").register(registry))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown channel 'nope'");
            assertThatThrownBy(() -> SampledChannel.builder(ring, "default").sampleEvery(1000).register(registry))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("sampleEvery must be a power of two >= 1, was 1000");
            assertThatThrownBy(() -> SampledChannel.builder(ring, "default").maxInFlight(0).register(registry))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("maxInFlight must be >= 1, was 0");
            assertThatThrownBy(() -> SampledChannel.builder(ring, "default").levels(Set.of(DurabilityLevel.JOURNALED)).register(registry))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("levels must be some of [APPLIED, WRITTEN, DURABLE]");
        }
    }

    private Timer timer(DurabilityLevel level) {
        return registry.get(SampledChannel.LATENCY).tag("level", level.name().toLowerCase()).timer();
    }

    private static void publish(SampledChannel<Put, Long> channel, Put write, int writes) {
        for (int i = 0; i < writes; i++) {
            while (!channel.tryPublish(write)) {
                Thread.onSpinWait();
            }
        }
    }

    private static double bytesPerWrite(SampledChannel<Put, Long> channel, Put write, int writes) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        publish(channel, write, writes);
        return (threads.getCurrentThreadAllocatedBytes() - before) / (double) writes;
    }
}
