package io.epochring;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.LiteBlockingWaitStrategy;
import com.lmax.disruptor.PhasedBackoffWaitStrategy;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.TimeoutBlockingWaitStrategy;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.YieldingWaitStrategy;
import io.epochring.testing.GatedDelta;
import io.epochring.testing.Put;
import io.epochring.testing.RecordingDelta;
import io.epochring.testing.TestFlusher;
import org.agrona.concurrent.SystemNanoClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A single-producer ring: one thread writes, commands from any thread reach the ring thread beside
 * the ring, at their place among the writes, with every wait strategy; a second producer is
 * refused without harm.
 */
class SingleProducerTest {

    private static final Duration BOUND = Duration.ofSeconds(30);

    private static EpochRingBuilder<Put, Long, Map<String, Long>, Map<String, Long>> builder(Delta<Put, Long, Map<String, Long>> delta,
                                                                                           TestFlusher flusher) {
        return EpochRing.builder(delta, flusher).singleProducer(true).flushInterval(Duration.ofHours(1)).channel("a", 1024).ringSize(256);
    }

    /** Runs {@code call} on a thread of its own, named {@code name}, and returns its outcome. */
    private static <T> T onOtherThread(String name, Supplier<T> call) throws Exception {
        ExecutorService other = Executors.newSingleThreadExecutor(r -> new Thread(r, name));
        try {
            return other.submit(call::get).get(BOUND.toSeconds(), TimeUnit.SECONDS);
        } finally {
            other.shutdownNow();
        }
    }

    private static Throwable failureOnOtherThread(String name, Runnable call) throws Exception {
        return onOtherThread(name, () -> {
            try {
                call.run();
                return null;
            } catch (RuntimeException | Error e) {
                return e;
            }
        });
    }

    @Test
    void shouldCoverEveryWritePublishedBeforeAFlushFromAnotherThread() throws Exception {
        int writes = 20_000;
        RecordingDelta delta = new RecordingDelta();
        AtomicLong published = new AtomicLong();
        try (var ring = builder(delta, new TestFlusher()).build().start()) {
            Channel<Put, Long> a = ring.channel("a");
            CompletableFuture<Void> producer = CompletableFuture.runAsync(() -> {
                Put[] batch = new Put[4];
                for (int i = 1; i <= writes; ) {
                    if (i % 10 == 0 && i + batch.length <= writes) {
                        for (int j = 0; j < batch.length; j++) {
                            batch[j] = new Put("k" + (i + j), i + j);
                        }
                        a.publishAll(batch, 0, batch.length);
                        i += batch.length;
                    } else {
                        a.publish(new Put("k" + i, i));
                        i++;
                    }
                    published.set(i - 1);
                }
            });
            // Each flush from this thread covers at least what the producer had published when it was called.
            List<Long> covered = new ArrayList<>();
            while (!producer.isDone()) {
                long before = published.get();
                WriteHandle<EpochRange> flush = ring.flush();
                flush.await(DurabilityLevel.APPLIED, BOUND);
                assertThat(flush.epoch()).as("the flush's last epoch").isGreaterThanOrEqualTo(before);
                covered.add(flush.epoch());
            }
            producer.get(BOUND.toSeconds(), TimeUnit.SECONDS);
            WriteHandle<EpochRange> last = ring.flush(true);
            last.await(DurabilityLevel.DURABLE, BOUND);
            assertThat(last.epoch()).isEqualTo(writes);
            assertThat(covered).isSorted();
        }
        assertThat(delta.applied()).extracting(RecordingDelta.Applied::epoch).containsExactlyElementsOf(
            LongStream.rangeClosed(1, writes).boxed().toList());
        assertThat(delta.applied()).extracting(applied -> applied.write().value())
                                   .as("one producer's writes apply in the order it wrote them")
                                   .containsExactlyElementsOf(LongStream.rangeClosed(1, writes).boxed().toList());
    }

    @Test
    void shouldRefuseWritesFromASecondThreadAndKeepEveryAcceptedOne() throws Exception {
        RecordingDelta delta = new RecordingDelta();
        try (var ring = builder(delta, new TestFlusher()).build().start()) {
            Channel<Put, Long> a = ring.channel("a");
            a.publish(new Put("first", 1));
            a.write(new Put("second", 2));
            Put intruder = new Put("intruder", 3);

            Throwable refused = failureOnOtherThread("intruder-thread", () -> a.tryPublish(intruder));
            assertThat(refused).isInstanceOf(ProducerThreadException.class)
                               .hasMessageContaining("channel 'a' refused a write from thread 'intruder-thread'")
                               .hasMessageContaining("producer thread '" + Thread.currentThread().getName() + "'")
                               .hasMessageContaining("singleProducer(true)");
            assertThat((Object) ((RejectedWriteException) refused).write()).isSameAs(intruder);
            assertThat(failureOnOtherThread("intruder-thread", () -> a.write(intruder))).isInstanceOf(ProducerThreadException.class);
            assertThat(failureOnOtherThread("intruder-thread", () -> a.tryWrite(intruder))).isInstanceOf(ProducerThreadException.class);
            assertThat(failureOnOtherThread("intruder-thread", () -> a.publishAll(new Put[] {intruder}, 0, 1)))
                .isInstanceOf(ProducerThreadException.class);
            assertThat(failureOnOtherThread("intruder-thread", () -> a.writeAll(List.of(intruder))))
                .isInstanceOf(ProducerThreadException.class);
            assertThat(a.stats().submitted()).as("nothing was claimed for a refused write").isEqualTo(2);

            WriteHandle<Long> third = a.write(new Put("third", 4));
            assertThat(third.await(DurabilityLevel.APPLIED, BOUND)).isEqualTo(3L);
        }
        assertThat(delta.applied()).extracting(applied -> applied.write().key()).containsExactly("first", "second", "third");
    }

    @Test
    void shouldMakeTheFirstThreadThatWritesTheProducer() throws Exception {
        try (var ring = builder(new RecordingDelta(), new TestFlusher()).build().start()) {
            Channel<Put, Long> a = ring.channel("a");
            WriteHandle<Long> first = onOtherThread("event-loop", () -> a.write(new Put("from-the-loop", 1)));
            assertThat(first.await(DurabilityLevel.APPLIED, BOUND)).isEqualTo(1L);

            assertThatThrownBy(() -> a.publish(new Put("from-main", 2))).isInstanceOf(ProducerThreadException.class)
                .hasMessageContaining("producer thread 'event-loop'");
        }
    }

    static Stream<Arguments> waitStrategies() {
        return Stream.of(
            Arguments.of("blocking", (Supplier<WaitStrategy>) BlockingWaitStrategy::new),
            Arguments.of("lite-blocking", (Supplier<WaitStrategy>) LiteBlockingWaitStrategy::new),
            Arguments.of("timeout-blocking", (Supplier<WaitStrategy>) () -> new TimeoutBlockingWaitStrategy(1, TimeUnit.HOURS)),
            Arguments.of("sleeping", (Supplier<WaitStrategy>) SleepingWaitStrategy::new),
            Arguments.of("yielding", (Supplier<WaitStrategy>) YieldingWaitStrategy::new),
            Arguments.of("busy-spin", (Supplier<WaitStrategy>) BusySpinWaitStrategy::new),
            Arguments.of("phased-backoff", (Supplier<WaitStrategy>) () -> PhasedBackoffWaitStrategy.withLiteLock(1, 1, TimeUnit.MILLISECONDS)));
    }

    @Test
    void shouldEndALingerForACommandFromAnotherThread() throws Exception {
        // A linger far beyond the test's bound (the builder allows at most 1 ms; the strategy itself
        // takes any): a write waits it out, so only the queued commands can end it in time.
        WaitStrategy lingering = new LingeringWaitStrategy(new SleepingWaitStrategy(), Duration.ofHours(1), LingeringWaitStrategy.RUN, SystemNanoClock.INSTANCE);
        RecordingDelta delta = new RecordingDelta();
        TestFlusher flusher = new TestFlusher();
        // Closed however the test ends: a ring left lingering would spin on a core through the other tests.
        try (var ring = builder(delta, flusher).waitStrategy(lingering).build().start()) {
            Channel<Put, Long> a = ring.channel("a");
            WriteHandle<Long> write = a.write(new Put("one", 1));

            WriteHandle<EpochRange> flush = onOtherThread("flusher-caller", () -> ring.flush(true));

            assertThat(flush.await(DurabilityLevel.DURABLE, BOUND)).isEqualTo(new EpochRange(1, 1));
            assertThat(write.await(DurabilityLevel.APPLIED, BOUND)).isEqualTo(1L);
            // stop() queues its commands too, and halts the ring: it ends the lingers it meets.
            onOtherThread("stopper", () -> {
                ring.stop();
                return null;
            });
        }
        assertThat(delta.applied()).extracting(RecordingDelta.Applied::epoch).containsExactly(1L);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("waitStrategies")
    void shouldRunCommandsFromOtherThreadsOnAnIdleRing(String name, Supplier<WaitStrategy> strategy) throws Exception {
        RecordingDelta delta = new RecordingDelta();
        TestFlusher flusher = new TestFlusher();
        try (var ring = builder(delta, flusher).waitStrategy(strategy.get()).build().start()) {
            Channel<Put, Long> a = ring.channel("a");
            a.write(new Put("one", 1)).await(DurabilityLevel.APPLIED, BOUND);

            // The ring thread waits for a slot that never comes; only the command's own wake-up runs it.
            WriteHandle<EpochRange> flush = onOtherThread("flusher-caller", () -> ring.flush(true));
            assertThat(flush.await(DurabilityLevel.DURABLE, BOUND)).isEqualTo(new EpochRange(1, 1));

            onOtherThread("pauser", () -> {
                a.pause();
                return null;
            });
            WriteHandle<Long> held = a.write(new Put("held", 2));
            WriteHandle<EpochRange> whilePaused = onOtherThread("flusher-caller", ring::flush);
            whilePaused.await(DurabilityLevel.APPLIED, BOUND);
            assertThat(whilePaused.epoch()).as("a write published after pause() returned is held").isEqualTo(1);
            assertThat(held.future(DurabilityLevel.APPLIED)).isNotDone();

            onOtherThread("resumer", () -> {
                a.resume();
                return null;
            });
            assertThat(held.await(DurabilityLevel.APPLIED, BOUND)).isEqualTo(2L);
        }
        assertThat(delta.applied()).extracting(applied -> applied.write().key()).containsExactly("one", "held");
        assertThat(flusher.storage()).containsOnlyKeys("one", "held");
    }

    @Test
    void shouldFlushOnTheTimerWithoutAnyCall() {
        TestFlusher flusher = new TestFlusher();
        try (var ring = builder(new RecordingDelta(), flusher).flushInterval(Duration.ofMillis(5)).build().start()) {
            WriteHandle<Long> write = ring.channel("a").write(new Put("timed", 1));
            assertThat(ring.awaitWatermark(DurabilityLevel.DURABLE, write.epoch(), BOUND)).as("the timer's tick ran on an idle ring").isTrue();
        }
        assertThat(flusher.storage()).containsOnlyKeys("timed");
    }

    @Test
    void shouldQueueAFlushWithoutARingSlotWhileTheRingIsFull() throws Exception {
        GatedDelta delta = new GatedDelta();
        var ring = EpochRing.builder(delta, new TestFlusher()).singleProducer(true).flushInterval(Duration.ofHours(1)).ringSize(16)
                            .errorHandler(e -> { }).build().start();
        try {
            Channel<Put, Long> channel = ring.channel("default");
            channel.publish(new Put(GatedDelta.GATE, 0));
            assertThat(delta.entered().await(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
            int queued = 0;
            while (channel.tryPublish(new Put("k" + queued, queued))) {
                queued++;
            }
            assertThat(queued).as("the ring filled behind the gate").isPositive();

            // A command takes no slot: it is queued at once, behind every write published before it.
            WriteHandle<EpochRange> flush = onOtherThread("flusher-caller", () -> ring.flush(true));
            assertThat(flush.future(DurabilityLevel.APPLIED)).isNotDone();

            delta.open(null);
            assertThat(flush.await(DurabilityLevel.DURABLE, BOUND)).isEqualTo(new EpochRange(1, queued + 1));
            ring.stop(BOUND);
        } finally {
            delta.open(null);
        }
    }

    @Test
    void shouldStopFromAnotherThreadAfterApplyingAndFlushingEveryAcceptedWrite() throws Exception {
        TestFlusher flusher = new TestFlusher();
        var ring = builder(new RecordingDelta(), flusher).name("single-producer-stop").build().start();
        Channel<Put, Long> a = ring.channel("a");
        for (int i = 0; i < 1000; i++) {
            a.publish(new Put("k" + i, i));
        }
        assertThat(failureOnOtherThread("stopper", ring::stop)).isNull();

        assertThat(flusher.storage()).hasSize(1000);
        assertThat(ring.watermark(DurabilityLevel.DURABLE)).isEqualTo(1000);
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("epochring-single-producer-stop"));
        assertThatThrownBy(() -> a.publish(new Put("late", 1))).isInstanceOf(ShutdownException.class);
    }

    @Test
    void shouldNeedTheSingleThreadedPipeline() {
        assertThatThrownBy(() -> builder(new RecordingDelta(), new TestFlusher()).threadingMode(ThreadingMode.THREAD_PER_STAGE).build())
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("singleProducer(true)").hasMessageContaining("threadingMode(SINGLE_THREAD)")
            .hasMessageContaining("THREAD_PER_STAGE");
    }
}
