package io.epochring;

import io.epochring.testing.MapDelta;
import io.epochring.testing.MemoryJournal;
import io.epochring.testing.Put;
import io.epochring.testing.PutCodec;
import io.epochring.testing.TestFlusher;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The engine's JFR events, recorded in this JVM, dumped under target/jfr and read back: each
 * event's fields say what happened.
 */
class EngineEventsTest {

    private static final List<String> EVENTS = List.of("io.epochring.Flush", "io.epochring.Sync", "io.epochring.Checkpoint",
                                                       "io.epochring.Recovery", "io.epochring.Failure", "io.epochring.Backpressure");
    private static final Duration LONG = Duration.ofHours(1);
    private static final FlushRetryPolicy FAST = FlushRetryPolicy.builder()
        .baseDelay(Duration.ofNanos(1_000)).maxDelay(Duration.ofNanos(50_000)).window(Duration.ofSeconds(30)).build();

    private final String file;

    EngineEventsTest(TestInfo test) {
        file = test.getTestMethod().orElseThrow().getName() + ".jfr";
    }

    @Test
    void shouldRecordRecoveryFlushSyncAndCheckpoint() throws Exception {
        // given a journal holding three writes and one that apply rejected, none flushed
        MemoryJournal journal = new MemoryJournal();
        MemoryJournal crashed;
        try (var first = EpochRing.builder(new MapDelta(), new TestFlusher()).journal(journal, new PutCodec()).flushInterval(LONG)
                                  .errorHandler(e -> { }).build().start()) {
            Channel<Put, Long> channel = first.channel("default");
            for (String key : List.of("a", "b", "fail-c", "d")) {
                channel.publish(new Put(key, 1));
            }
            assertThat(first.awaitWatermark(DurabilityLevel.JOURNALED, 4, Duration.ofSeconds(30))).isTrue();
            crashed = journal.afterCrash();
        }
        TestFlusher storage = new TestFlusher();
        storage.failNext(1, () -> new TransientFlushException("storage is busy"));

        // when a coordinator recovers from it and flushes with a sync, while recording
        List<RecordedEvent> events;
        try (Recording recording = recording()) {
            try (var ring = EpochRing.builder(new MapDelta(), storage).name("jfr").journal(crashed, new PutCodec()).flushInterval(LONG)
                                     .retryPolicy(FAST).build().start()) {
                ring.flush(true).await(DurabilityLevel.DURABLE);
                events = dump(recording, "jfr");
            }
        }

        // then recovery replayed the three writes and skipped the rejected one
        assertThat(only(events, "io.epochring.Recovery")).satisfies(e -> {
            assertThat(e.getLong("replayed")).isEqualTo(3);
            assertThat(e.getLong("rejected")).isEqualTo(1);
            assertThat(e.getLong("lastEpoch")).isEqualTo(4);
            assertThat(e.getLong("checkpointEpoch")).isZero();
            assertThat(e.getLong("storageEpoch")).isZero();
            assertThat(e.getLong("lostWrites")).isZero();
            assertThat(e.getString("failure")).isNull();
        });
        // and the flush wrote epochs 1..4 (three keys, 64 bytes each by the test delta's estimate) on its second attempt
        assertThat(only(events, "io.epochring.Flush")).satisfies(e -> {
            assertThat(e.getLong("firstEpoch")).isEqualTo(1);
            assertThat(e.getLong("lastEpoch")).isEqualTo(4);
            assertThat(e.getLong("bytes")).isEqualTo(3 * 64);
            assertThat(e.getInt("attempts")).isEqualTo(2);
            assertThat(e.getDuration()).isPositive();
        });
        assertThat(only(events, "io.epochring.Sync")).satisfies(e -> {
            assertThat(e.getLong("syncedEpoch")).isEqualTo(4);
            assertThat(e.getInt("attempts")).isEqualTo(1);
        });
        assertThat(only(events, "io.epochring.Checkpoint")).satisfies(e -> {
            assertThat(e.getLong("durableEpoch")).isEqualTo(4);
            assertThat(e.getLong("writtenEpoch")).isEqualTo(4);
        });
        assertThat(events).extracting(e -> e.getEventType().getCategoryNames()).allSatisfy(c -> assertThat(c).containsExactly("EpochRing"));
    }

    @Test
    void shouldRecordWhyRecoveryFailed() throws Exception {
        // given a journal that lost its last two records
        MemoryJournal journal = new MemoryJournal();
        MemoryJournal truncated;
        try (var first = EpochRing.builder(new MapDelta(), new TestFlusher()).journal(journal, new PutCodec()).flushInterval(LONG)
                                  .build().start()) {
            for (int i = 1; i <= 4; i++) {
                first.channel("default").publish(new Put("k" + i, i));
            }
            assertThat(first.awaitWatermark(DurabilityLevel.JOURNALED, 4, Duration.ofSeconds(30))).isTrue();
            truncated = journal.afterCrash().loseRecordsAbove(2);
        }

        // when a coordinator refuses to start on it, while recording
        List<RecordedEvent> events;
        try (Recording recording = recording()) {
            var ring = EpochRing.builder(new MapDelta(), new TestFlusher()).name("jfr-lost").journal(truncated, new PutCodec()).build();
            assertThatThrownBy(ring::start).isInstanceOf(JournalLossException.class);
            events = dump(recording, "jfr-lost");
        }

        // then the recovery event says why
        assertThat(only(events, "io.epochring.Recovery").getString("failure")).startsWith("io.epochring.JournalLossException: journal")
                                                                               .contains("lost records");
    }

    @Test
    void shouldRecordTheFaultThatFailedTheCoordinator() throws Exception {
        TestFlusher storage = new TestFlusher();
        storage.failNext(1, () -> new IllegalStateException("storage is read-only"));
        List<RecordedEvent> events;
        try (Recording recording = recording()) {
            var ring = EpochRing.builder(new MapDelta(), storage).name("jfr-failed").flushInterval(LONG).retryPolicy(FlushRetryPolicy.none())
                                .errorHandler(e -> { }).build().start();
            WriteHandle<Long> write = ring.channel("default").write(new Put("a", 1));
            ring.flush();
            assertThatThrownBy(() -> write.await(DurabilityLevel.WRITTEN)).isInstanceOf(FlushFailedException.class);
            assertThatThrownBy(ring::stop).isInstanceOf(FlushFailedException.class);
            events = dump(recording, "jfr-failed");
        }

        assertThat(only(events, "io.epochring.Failure")).satisfies(e -> {
            assertThat(e.getString("fault")).isEqualTo(FlushFailedException.class.getName());
            assertThat(e.getString("message")).startsWith("storage failed (epochs 1..1): flush failed with a permanent error");
            assertThat(e.getString("cause")).isEqualTo("java.lang.IllegalStateException: storage is read-only");
            assertThat(e.getLong("firstEpoch")).isEqualTo(1);
            assertThat(e.getLong("lastEpoch")).isEqualTo(1);
            assertThat(e.getStackTrace().getFrames()).isNotEmpty();
        });
        assertThat(events).noneMatch(e -> e.getEventType().getName().equals("io.epochring.Flush"));
    }

    @Test
    void shouldRecordTheFirstRefusalAtOnceThenAtMostOneEventPerSecondCountingRefusals() throws Exception {
        // given a full channel, and a refusal before anything records (not counted)
        CachedNanoClock clock = new CachedNanoClock();
        var ring = EpochRing.builder(new MapDelta(), new TestFlusher()).name("jfr-full").clock(clock).channel("orders", 2).build().start();
        Channel<Put, Long> channel = ring.channel("orders");
        channel.pause();
        channel.publish(new Put("a", 1));
        channel.publish(new Put("b", 2));
        assertThat(channel.tryPublish(new Put("c", 3))).isFalse();

        List<RecordedEvent> events;
        try (Recording recording = recording()) {
            // when five writes are refused at once, one a second later, and two more before the ring stops
            for (int i = 0; i < 5; i++) {
                assertThat(channel.tryPublish(new Put("c", 3))).isFalse();
            }
            clock.advance(Channel.BACKPRESSURE_EVENT_INTERVAL_NANOS);
            assertThatThrownBy(() -> channel.tryWrite(new Put("c", 3))).isInstanceOf(BackpressureException.class);
            assertThat(channel.tryPublish(new Put("c", 3))).isFalse();
            assertThat(channel.tryPublish(new Put("c", 3))).isFalse();
            ring.stop();
            events = dump(recording, "jfr-full");
        }

        // then three events: the first refusal, the next five, and the two left at stop
        List<RecordedEvent> backpressure = all(events, "io.epochring.Backpressure");
        assertThat(backpressure).extracting(e -> e.getLong("refused")).containsExactly(1L, 5L, 2L);
        assertThat(backpressure.get(0)).satisfies(e -> {
            assertThat(e.getString("channel")).isEqualTo("orders");
            assertThat(e.getInt("capacity")).isEqualTo(2);
            assertThat(e.getLong("queueDepth")).isEqualTo(2);
            assertThat(e.getStackTrace().getFrames()).anySatisfy(f -> assertThat(f.getMethod().getName()).isEqualTo("tryPublish"));
        });
        assertThat(channel.stats().rejected()).isEqualTo(9);
    }

    @RepeatedTest(10)
    void shouldCountEveryRefusalOnceWhenManyProducersAreRefusedAtOnce() throws Exception {
        // given a full channel and four producers
        CachedNanoClock clock = new CachedNanoClock();
        var ring = EpochRing.builder(new MapDelta(), new TestFlusher()).name("jfr-many").clock(clock).channel("orders", 1).build().start();
        Channel<Put, Long> channel = ring.channel("orders");
        channel.pause();
        channel.publish(new Put("a", 1));
        int producers = 4;
        int refusalsEach = 20_000;
        ExecutorService pool = Executors.newFixedThreadPool(producers);
        List<RecordedEvent> events;
        try (Recording recording = recording()) {
            // when they are all refused at once while the clock moves a second every 1,000 refusals of the first
            CountDownLatch go = new CountDownLatch(1);
            AtomicLong refused = new AtomicLong();
            List<Future<?>> done = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                boolean ticks = p == 0;
                done.add(pool.submit(() -> {
                    go.await();
                    Put write = new Put("c", 3);
                    for (int i = 1; i <= refusalsEach; i++) {
                        if (!channel.tryPublish(write)) {
                            refused.incrementAndGet();
                        }
                        if (ticks && i % 1_000 == 0) {
                            clock.advance(Channel.BACKPRESSURE_EVENT_INTERVAL_NANOS);
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
            ring.stop();
            events = dump(recording, "jfr-many");

            // then the events count every refusal once, in at most one event per second plus the one at stop
            List<RecordedEvent> backpressure = all(events, "io.epochring.Backpressure");
            assertThat(refused.get()).isEqualTo((long) producers * refusalsEach);
            assertThat(backpressure.stream().mapToLong(e -> e.getLong("refused")).sum()).isEqualTo(refused.get());
            assertThat(backpressure).hasSizeBetween(1, refusalsEach / 1_000 + 2);
        } finally {
            pool.shutdownNow();
        }
    }

    private static Recording recording() {
        Recording recording = new Recording();
        for (String event : EVENTS) {
            recording.enable(event).withoutThreshold().withStackTrace();
        }
        recording.start();
        return recording;
    }

    /** Stops the recording, dumps it under target/jfr, and reads back the events of the coordinator {@code ring}. */
    private List<RecordedEvent> dump(Recording recording, String ring) throws IOException {
        recording.stop();
        Path path = Files.createDirectories(Path.of("target", "jfr")).resolve(file);
        recording.dump(path);
        return RecordingFile.readAllEvents(path).stream()
                            .filter(e -> e.getEventType().getName().startsWith("io.epochring.") && ring.equals(e.getString("ring")))
                            .toList();
    }

    private static List<RecordedEvent> all(List<RecordedEvent> events, String type) {
        return events.stream().filter(e -> e.getEventType().getName().equals(type)).toList();
    }

    private static RecordedEvent only(List<RecordedEvent> events, String type) {
        List<RecordedEvent> matching = all(events, type);
        assertThat(matching).as(type + " events in " + events).hasSize(1);
        return matching.get(0);
    }
}
