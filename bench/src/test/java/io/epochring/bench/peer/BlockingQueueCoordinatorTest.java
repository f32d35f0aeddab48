package io.epochring.bench.peer;

import io.epochring.ApplyException;
import io.epochring.BackpressureException;
import io.epochring.CoordinatorFailedException;
import io.epochring.DurabilityLevel;
import io.epochring.EpochRange;
import io.epochring.FlushFailedException;
import io.epochring.ShutdownException;
import io.epochring.WriteTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The peer must keep EpochRing's promises where it makes them (epochs in apply order without gaps,
 * apply results and errors, per-channel order under many producers, backpressure and timed writes,
 * exact flush ranges and watermarks, flush failure, stop), or the benchmarks would compare unequal
 * things.
 */
class BlockingQueueCoordinatorTest {

    private static final Duration LONG = Duration.ofSeconds(30);

    private final RecordingDelta delta = new RecordingDelta();
    private final RecordingFlusher flusher = new RecordingFlusher();
    private BlockingQueueCoordinator<String, Long, List<String>, Integer> peer;

    @AfterEach
    void stopPeer() {
        delta.release();
        if (peer != null) {
            try {
                peer.stop();
            } catch (FlushFailedException expectedInSomeTests) {
                // the failure itself is asserted by the test that caused it
            }
        }
    }

    private BlockingQueueCoordinatorBuilder<String, Long, List<String>, Integer> builder() {
        return BlockingQueueCoordinator.builder(delta, flusher).flushInterval(Duration.ofHours(1));
    }

    // ---- writes and epochs -------------------------------------------------------------------

    @Test
    void shouldAssignEpochsInApplyOrderFromOneWithoutGaps() {
        peer = builder().build().start();
        PeerChannel<String, Long> channel = peer.channel("default");
        List<PeerHandle<Long>> handles = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            handles.add(channel.write("k" + i));
        }
        handles.get(99).join();

        for (int i = 0; i < 100; i++) {
            assertThat(handles.get(i).epoch()).isEqualTo(i + 1);
            assertThat(delta.applied().get(i)).isEqualTo(new RecordingDelta.Applied(i + 1, "k" + i));
        }
    }

    @Test
    void shouldReturnTheApplyResultAndAdvanceAppliedWhenAwaitingApplied() {
        peer = builder().build().start();
        PeerChannel<String, Long> channel = peer.channel("default");
        for (long i = 1; i <= 5; i++) {
            PeerHandle<Long> handle = channel.write("k" + i);
            assertThat(handle.join()).isEqualTo(i);
            assertThat(peer.watermark(DurabilityLevel.APPLIED)).isGreaterThanOrEqualTo(i);
        }
        assertThat(peer.awaitWatermark(DurabilityLevel.APPLIED, 5, LONG)).isTrue();
        assertThat(peer.awaitWatermark(DurabilityLevel.APPLIED, 6, Duration.ofMillis(10))).isFalse();
    }

    @Test
    void shouldDeliverAnApplyErrorWithItsEpochAndGoOn() {
        peer = builder().build().start();
        PeerChannel<String, Long> channel = peer.channel("default");
        channel.write("ok1");
        PeerHandle<Long> bad = channel.write("fail-me");
        PeerHandle<Long> after = channel.write("ok2");

        assertThatThrownBy(bad::join)
            .hasCauseInstanceOf(ApplyException.class)
            .hasMessageContaining("epoch 2")
            .hasMessageContaining("refused by the test delta");
        assertThat(after.join()).isEqualTo(2L);
        assertThat(after.epoch()).isEqualTo(3);
    }

    @Test
    void shouldKeepEachChannelsOrderAndContiguousEpochsUnderFourProducers() throws Exception {
        int producers = 4;
        int perProducer = 5_000;
        peer = builder().queueCapacity(256).channel("c0", 64).channel("c1", 32).flushInterval(Duration.ofMillis(5)).build().start();
        ExecutorService pool = Executors.newFixedThreadPool(producers);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                int producer = p;
                running.add(pool.submit(() -> {
                    PeerChannel<String, Long> channel = peer.channel("c" + producer % 2);
                    go.await();
                    for (int i = 0; i < perProducer; i++) {
                        String write = "p" + producer + ":" + i;
                        switch (i % 4) {
                            case 0 -> channel.publish(write);
                            case 1 -> channel.write(write);
                            case 2 -> {
                                while (!channel.tryPublish(write)) {
                                    Thread.onSpinWait();
                                }
                            }
                            default -> channel.write(write, LONG);
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> producer : running) {
                producer.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
            peer.stop();
        }

        List<RecordingDelta.Applied> applied = delta.applied();
        assertThat(applied).hasSize(producers * perProducer);
        Map<String, Integer> next = new HashMap<>();
        for (int i = 0; i < applied.size(); i++) {
            assertThat(applied.get(i).epoch()).isEqualTo(i + 1);
            String[] write = applied.get(i).write().split(":");
            int expected = next.getOrDefault(write[0], 0);
            assertThat(Integer.parseInt(write[1])).as("order of %s", write[0]).isEqualTo(expected);
            next.put(write[0], expected + 1);
        }
        assertThat(peer.channel("c0").applied() + peer.channel("c1").applied()).isEqualTo(producers * perProducer);
        assertThat(flusher.flushed().stream().mapToLong(f -> f.range().size()).sum()).isEqualTo(producers * perProducer);
    }

    // ---- backpressure ------------------------------------------------------------------------

    /** The first write is stuck inside apply, still holding its permit; the second fills the channel. */
    private PeerChannel<String, Long> fullChannelOfTwo() throws InterruptedException {
        peer = builder().channel("small", 2).build().start();
        PeerChannel<String, Long> channel = peer.channel("small");
        delta.block();
        channel.publish("a");
        delta.awaitFirstApply();
        channel.publish("b");
        return channel;
    }

    @Test
    void shouldFailTryWriteAtOnceOnAFullChannelHandingTheWriteBack() throws Exception {
        PeerChannel<String, Long> channel = fullChannelOfTwo();

        assertThat(channel.tryPublish("c")).isFalse();
        assertThatThrownBy(() -> channel.tryWrite("d"))
            .isInstanceOf(BackpressureException.class)
            .hasMessageContaining("'small' is full")
            .satisfies(e -> assertThat(((BackpressureException) e).<String>write()).isEqualTo("d"));
    }

    @Test
    void shouldAcceptABatchWholeInOrderOrNotAtAll() throws Exception {
        PeerChannel<String, Long> channel = fullChannelOfTwo();
        assertThat(channel.tryPublishAll(new String[] {"c", "d"}, 0, 2)).as("no permits for both").isFalse();
        delta.release();
        await("the channel to drain", () -> peer.watermark(DurabilityLevel.APPLIED) == 2);

        assertThat(channel.tryPublishAll(new String[] {"x", "c", "d"}, 1, 2)).isTrue();
        await("the batch to apply", () -> peer.watermark(DurabilityLevel.APPLIED) == 4);
        assertThat(delta.applied()).extracting(RecordingDelta.Applied::write).containsExactly("a", "b", "c", "d");
        assertThat(delta.applied()).extracting(RecordingDelta.Applied::epoch).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void shouldRejectWhenTheSharedQueueIsFullEvenIfTheChannelHasRoom() throws Exception {
        peer = builder().queueCapacity(1).channel("wide", 100).build().start();
        PeerChannel<String, Long> channel = peer.channel("wide");
        delta.block();
        channel.publish("a");
        delta.awaitFirstApply();
        channel.publish("b");

        assertThat(channel.tryPublish("c")).isFalse();
        delta.release();
        await("the queue to drain", () -> peer.watermark(DurabilityLevel.APPLIED) == 2);
        assertThat(channel.tryPublish("c")).isTrue();
    }

    @Test
    void shouldTimeOutATimedWriteHandingTheWriteBack() throws Exception {
        PeerChannel<String, Long> channel = fullChannelOfTwo();

        assertThatThrownBy(() -> channel.write("c", Duration.ofMillis(20)))
            .isInstanceOf(WriteTimeoutException.class)
            .satisfies(e -> assertThat(((WriteTimeoutException) e).<String>write()).isEqualTo("c"));
    }

    @Test
    void shouldAcceptATimedWriteWhenTheQueueDrainsWithinTheTimeout() throws Exception {
        PeerChannel<String, Long> channel = fullChannelOfTwo();
        CompletableFuture<PeerHandle<Long>> writer = CompletableFuture.supplyAsync(() -> channel.write("c", LONG));

        delta.release();
        assertThat(writer.get(30, TimeUnit.SECONDS).get(30, TimeUnit.SECONDS)).isEqualTo(3L);
    }

    @Test
    void shouldBlockAPlainWriteUntilThereIsSpace() throws Exception {
        PeerChannel<String, Long> channel = fullChannelOfTwo();
        CompletableFuture<PeerHandle<Long>> result = new CompletableFuture<>();
        Thread writer = new Thread(() -> result.complete(channel.write("c")), "blocked-writer");
        writer.start();
        await("the writer to block", () -> writer.getState() == Thread.State.WAITING);
        assertThat(result).isNotDone();

        delta.release();
        assertThat(result.get(30, TimeUnit.SECONDS).get(30, TimeUnit.SECONDS)).isEqualTo(3L);
        writer.join();
    }

    @Test
    void shouldAcceptWritesAgainAfterTheQueueDrains() throws Exception {
        PeerChannel<String, Long> channel = fullChannelOfTwo();

        delta.release();
        await("the channel to drain", () -> channel.applied() == 2);
        assertThat(channel.tryWrite("c").get(30, TimeUnit.SECONDS)).isEqualTo(3L);
        assertThat(channel.tryPublish("d")).isTrue();
    }

    // ---- flushing ----------------------------------------------------------------------------

    @Test
    void shouldFlushContiguousExactRangesAndAdvanceWrittenThenDurable() throws Exception {
        peer = builder().syncEveryFlush(false).build().start();
        PeerChannel<String, Long> channel = peer.channel("default");
        channel.write("a");
        channel.write("b");
        PeerHandle<EpochRange> first = peer.flush(false);
        channel.write("c");
        PeerHandle<EpochRange> second = peer.flush(true);

        assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo(new EpochRange(1, 2));
        assertThat(first.epoch()).isEqualTo(2);
        assertThat(second.get(30, TimeUnit.SECONDS)).isEqualTo(new EpochRange(3, 3));
        assertThat(peer.awaitWatermark(DurabilityLevel.DURABLE, 3, LONG)).isTrue();
        assertThat(peer.watermark(DurabilityLevel.WRITTEN)).isEqualTo(3);
        assertThat(flusher.flushed()).containsExactly(
            new RecordingFlusher.Flushed(List.of("a", "b"), new EpochRange(1, 2)),
            new RecordingFlusher.Flushed(List.of("c"), new EpochRange(3, 3)));
        assertThat(flusher.syncs()).isEqualTo(1);
    }

    @Test
    void shouldFlushNothingWithoutNewWritesButStillSyncWhenAsked() throws Exception {
        peer = builder().syncEveryFlush(false).build().start();
        peer.channel("default").write("a");
        peer.flush(false).get(30, TimeUnit.SECONDS);

        PeerHandle<EpochRange> empty = peer.flush(true);
        assertThat(empty.get(30, TimeUnit.SECONDS).isEmpty()).isTrue();
        assertThat(peer.awaitWatermark(DurabilityLevel.DURABLE, 1, LONG)).isTrue();
        assertThat(flusher.flushed()).hasSize(1);
        assertThat(flusher.syncs()).isEqualTo(1);
    }

    @Test
    void shouldFlushOnTheTimer() {
        peer = builder().flushInterval(Duration.ofMillis(20)).build().start();
        peer.channel("default").write("a").join();

        assertThat(peer.awaitWatermark(DurabilityLevel.WRITTEN, 1, LONG)).isTrue();
        assertThat(flusher.flushed()).extracting(RecordingFlusher.Flushed::range).containsExactly(new EpochRange(1, 1));
    }

    @Test
    void shouldFlushWhenTheDeltaCrossesTheSizeThreshold() {
        peer = builder().flushThresholdBytes(16 * 3).build().start();
        PeerChannel<String, Long> channel = peer.channel("default");
        channel.write("a");
        channel.write("b");
        channel.write("c").join();

        assertThat(peer.awaitWatermark(DurabilityLevel.WRITTEN, 3, LONG)).isTrue();
    }

    @Test
    void shouldFailWrittenWaitersAndRefuseWritesAfterAFlushFailure() {
        peer = builder().build().start();
        flusher.failEveryFlush();
        peer.channel("default").write("a").join();
        peer.flush(false);

        assertThatThrownBy(() -> peer.awaitWatermark(DurabilityLevel.WRITTEN, 1, LONG))
            .isInstanceOf(FlushFailedException.class)
            .hasMessageContaining("storage is down");
        assertThatThrownBy(() -> peer.channel("default").tryPublish("b")).isInstanceOf(CoordinatorFailedException.class);
        assertThatThrownBy(peer::stop).isInstanceOf(FlushFailedException.class);
    }

    // ---- lifecycle and bad input ---------------------------------------------------------------

    @Test
    void shouldApplyFlushAndSyncEverythingAcceptedOnStopThenRefuseWrites() {
        peer = builder().syncEveryFlush(false).build().start();
        PeerChannel<String, Long> channel = peer.channel("default");
        for (int i = 0; i < 1_000; i++) {
            channel.publish("k" + i);
        }
        peer.stop();

        assertThat(delta.applied()).hasSize(1_000);
        assertThat(peer.watermark(DurabilityLevel.DURABLE)).isEqualTo(1_000);
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("peer-peer-"));
        assertThatThrownBy(() -> channel.tryPublish("late")).isInstanceOf(ShutdownException.class);
        assertThatThrownBy(() -> channel.write("late", LONG)).isInstanceOf(ShutdownException.class);
        assertThatThrownBy(() -> peer.flush(true)).isInstanceOf(ShutdownException.class);
    }

    @Test
    void shouldNameWhatIsWrongWithBadInput() {
        peer = builder().build().start();
        assertThatThrownBy(() -> peer.channel("default").tryPublish(null)).isInstanceOf(NullPointerException.class)
            .hasMessageContaining("write must not be null");
        assertThatThrownBy(() -> peer.channel("nope")).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("unknown channel 'nope'").hasMessageContaining("[default]");
        assertThatThrownBy(() -> BlockingQueueCoordinator.builder(delta, flusher).queueCapacity(0).build())
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("queueCapacity must be > 0");
        assertThatThrownBy(() -> peer.awaitWatermark(DurabilityLevel.JOURNALED, 1, LONG))
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("no journal");
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }
}
