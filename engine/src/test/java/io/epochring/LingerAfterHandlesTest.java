package io.epochring;

import com.lmax.disruptor.SleepingWaitStrategy;
import io.epochring.testing.Put;
import io.epochring.testing.RecordingDelta;
import io.epochring.testing.TestFlusher;
import org.agrona.concurrent.NanoClock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ring thread lingers after fire-and-forget writes and not after a write with a handle, in
 * every shape of ring. The linger runs on a clock the test stops: while it is stopped a linger
 * cannot end, so a write that met one would never be applied, and every look the lingering thread
 * takes at the clock is counted.
 */
class LingerAfterHandlesTest {

    private static final Duration BOUND = Duration.ofSeconds(30);
    private static final Duration LINGER = Duration.ofSeconds(1);
    private static final int ROUND_TRIPS = 200;

    /** Moves a whole linger per read while running; stands still and counts reads while stopped. */
    private static final class StoppableClock implements NanoClock {
        private final AtomicLong now = new AtomicLong();
        private final AtomicLong readsWhileStopped = new AtomicLong();
        private final CountDownLatch readWhileStopped = new CountDownLatch(1);
        private volatile boolean running = true;

        @Override
        public long nanoTime() {
            if (running) {
                return now.addAndGet(LINGER.toNanos());
            }
            readsWhileStopped.incrementAndGet();
            readWhileStopped.countDown();
            return now.get();
        }

        void stop() {
            running = false;
        }

        void run() {
            running = true;
        }

        long readsWhileStopped() {
            return readsWhileStopped.get();
        }

        boolean awaitReadWhileStopped() throws InterruptedException {
            return readWhileStopped.await(BOUND.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    static Stream<Arguments> shapes() {
        return Stream.of(Arguments.of(ThreadingMode.SINGLE_THREAD, false),
                         Arguments.of(ThreadingMode.THREAD_PER_STAGE, false),
                         Arguments.of(ThreadingMode.SINGLE_THREAD, true));
    }

    @ParameterizedTest(name = "{0}, single producer {1}")
    @MethodSource("shapes")
    void shouldLingerAfterFireAndForgetWritesOnlyNeverAfterAHandle(ThreadingMode mode, boolean singleProducer) throws Exception {
        StoppableClock clock = new StoppableClock();
        RecordingDelta delta = new RecordingDelta();
        // The linger given as the wait strategy, on the test's clock; the builder's own is turned off.
        var lingering = new LingeringWaitStrategy(new SleepingWaitStrategy(), LINGER, LingeringWaitStrategy.RUN, clock);
        try (var ring = EpochRing.builder(delta, new TestFlusher()).threadingMode(mode).singleProducer(singleProducer)
                                 .waitStrategy(lingering).linger(Duration.ZERO).flushInterval(Duration.ofHours(1))
                                 .channel("a", 1024).build().start()) {
            Channel<Put, Long> a = ring.channel("a");
            // The ring thread lingers once it starts; with the clock running that linger ends at its next look.
            a.write(new Put("k", 0)).await(DurabilityLevel.APPLIED, BOUND);
            clock.stop();

            // Write, await, write again: with the clock stopped, one linger would hold the next write for good.
            for (int i = 1; i <= ROUND_TRIPS; i++) {
                a.write(new Put("k", i)).await(DurabilityLevel.APPLIED, BOUND);
            }
            assertThat(clock.readsWhileStopped()).as("looks at the clock while lingering").isZero();

            // A fire-and-forget write: once it is applied the ring thread lingers, and a write then waits for the linger.
            a.publish(new Put("k", ROUND_TRIPS + 1));
            assertThat(clock.awaitReadWhileStopped()).as("the ring thread lingers after a fire-and-forget write").isTrue();
            WriteHandle<Long> held = a.write(new Put("k", ROUND_TRIPS + 2));
            assertThat(held.isResolved()).isFalse();

            clock.run();
            held.await(DurabilityLevel.APPLIED, BOUND);
        }
        assertThat(delta.applied()).extracting(RecordingDelta.Applied::epoch)
                                   .containsExactlyElementsOf(LongStream.rangeClosed(1, ROUND_TRIPS + 3).boxed().toList());
    }
}
