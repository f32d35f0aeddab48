package io.epochring;

import io.epochring.testing.GatedDelta;
import io.epochring.testing.MapDelta;
import io.epochring.testing.Put;
import io.epochring.testing.TestFlusher;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A full ring whose apply stage is stuck: callers waiting for a slot (a flush, a pause, a
 * blocking write) wait as backpressure asks, but stop() still ends within its timeout, and the
 * halted ring or a coordinator failure refuses them with the cause; nothing waits for ever. A
 * flush that got into the ring behind the fault fails with it too, rather than looking done.
 */
class FullRingTest {

    private static final long BOUND_SECONDS = 30;

    /** What a caller does while the ring is full. */
    enum Waiter {
        FLUSH(ring -> ring.flush()),
        PAUSE(ring -> {
            ring.channel("default").pause();
            return null;
        }),
        WRITE(ring -> ring.channel("default").write(new Put("late", 1))),
        PUBLISH(ring -> {
            ring.channel("default").publish(new Put("late", 1));
            return null;
        }),
        PUBLISH_ALL(ring -> {
            ring.channel("default").publishAll(new Put[] {new Put("late", 1), new Put("later", 2)}, 0, 2);
            return null;
        }),
        WRITE_ALL(ring -> ring.channel("default").writeAll(List.of(new Put("late", 1), new Put("later", 2))));

        final Function<EpochRing<Put, Long, Map<String, Long>, Map<String, Long>>, Object> call;

        Waiter(Function<EpochRing<Put, Long, Map<String, Long>, Map<String, Long>>, Object> call) {
            this.call = call;
        }
    }

    private final GatedDelta delta = new GatedDelta();
    /** Opened by the first idle of a caller waiting for space: it is then known to be waiting. */
    private final CountDownLatch waitingForSpace = new CountDownLatch(1);
    private EpochRing<Put, Long, Map<String, Long>, Map<String, Long>> ring;
    /** The last write accepted behind the gate: it stays in the ring, never applied. */
    private WriteHandle<Long> queuedBehindGate;

    @AfterEach
    void release() {
        delta.open(null); // lets a ring thread stop() left behind end
    }

    /**
     * A started ring whose apply stage holds the write to key "gate" until the test opens it; the
     * ring fills behind it and stays full (a channel has 1024 permits, the ring 16 slots).
     */
    private void startAndFill() throws InterruptedException {
        ring = EpochRing.builder(delta, new TestFlusher()).flushInterval(Duration.ofHours(1)).ringSize(16)
                        .retryPolicy(FlushRetryPolicy.none()).errorHandler(e -> { })
                        .producerIdleStrategy(this::signallingIdle).build().start();
        ring.channel("default").tryWrite(new Put(GatedDelta.GATE, 1));
        assertThat(delta.entered().await(BOUND_SECONDS, TimeUnit.SECONDS)).as("the apply stage reached the gate").isTrue();
        boolean full = false;
        for (int i = 0; i <= 16 && !full; i++) {
            try {
                queuedBehindGate = ring.channel("default").tryWrite(new Put("k" + i, i));
            } catch (BackpressureException e) {
                full = true;
            }
        }
        assertThat(full).as("the ring filled behind the gate").isTrue();
    }

    private IdleStrategy signallingIdle() {
        IdleStrategy backoff = new BackoffIdleStrategy();
        return new IdleStrategy() {
            @Override
            public void idle(int workCount) {
                if (workCount <= 0) {
                    idle();
                }
            }

            @Override
            public void idle() {
                waitingForSpace.countDown();
                backoff.idle();
            }

            @Override
            public void reset() {
                backoff.reset();
            }
        };
    }

    /** Starts the call in a thread of its own and returns once it is waiting for a slot. */
    private CompletableFuture<Object> waitingInBackground(Waiter waiter) throws InterruptedException {
        CompletableFuture<Object> call = CompletableFuture.supplyAsync(() -> waiter.call.apply(ring), runnable -> {
            Thread thread = new Thread(runnable, "waiter-" + waiter);
            thread.setDaemon(true);
            thread.start();
        });
        assertThat(waitingForSpace.await(BOUND_SECONDS, TimeUnit.SECONDS)).as("the call waits for a free ring slot").isTrue();
        assertThat(call).isNotDone();
        return call;
    }

    private static Throwable outcome(CompletableFuture<Object> waiting) throws Exception {
        try {
            waiting.get(BOUND_SECONDS, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    @ParameterizedTest
    @EnumSource(Waiter.class)
    void shouldStopWithinItsTimeoutAndRefuseACallerWaitingForASlot(Waiter waiter) throws Exception {
        startAndFill();
        CompletableFuture<Object> waiting = waitingInBackground(waiter);

        // The gate ignores interrupts, so the ring never drains: stop() gives up at its deadline,
        // halts the ring and reports what did not finish.
        assertThatThrownBy(() -> ring.stop(Duration.ofMillis(200))).isInstanceOf(EpochRingException.class)
            .hasMessageContaining("did not finish within");

        assertThat(outcome(waiting)).as("refused once the ring is halted").isInstanceOf(ShutdownException.class)
            .hasMessageContaining("stopped");
        assertThatThrownBy(() -> queuedBehindGate.await(DurabilityLevel.APPLIED))
            .as("a write left in the halted ring: its outcome will never come").isInstanceOf(ShutdownException.class)
            .hasMessageContaining("outcome of this write is unknown").hasMessageContaining("stop() did not finish within");
    }

    @ParameterizedTest
    @EnumSource(Waiter.class)
    void shouldRefuseACallerWaitingForASlotWithTheCauseWhenTheCoordinatorFails(Waiter waiter) throws Exception {
        startAndFill();
        CompletableFuture<Object> waiting = waitingInBackground(waiter);

        delta.open(new InternalError("injected at the gate")); // an Error in apply fails the coordinator

        Throwable refused = outcome(waiting);
        if (refused == null && waiting.get() instanceof List<?> batch) {
            // As below, for a batch.
            assertThatThrownBy(() -> ((WriteHandle<?>) batch.get(0)).await(DurabilityLevel.APPLIED, Duration.ofSeconds(BOUND_SECONDS)))
                .isInstanceOf(EpochRingException.class).hasMessageContaining("injected at the gate");
        } else if (refused == null && waiting.get() instanceof WriteHandle<?> accepted) {
            // The one interleaving where the slot freed between the waiter's check and its claim:
            // the write or flush is then taken, and its handle carries the failure.
            assertThatThrownBy(() -> accepted.await(DurabilityLevel.APPLIED, Duration.ofSeconds(BOUND_SECONDS)))
                .isInstanceOf(EpochRingException.class).hasMessageContaining("injected at the gate");
        } else if (refused != null || (waiter != Waiter.PUBLISH && waiter != Waiter.PUBLISH_ALL)) {
            assertThat(refused).isInstanceOf(CoordinatorFailedException.class).hasMessageContaining("injected at the gate");
        }
        assertThat(ring.failure()).get().isInstanceOf(DeltaFailedException.class);
        assertThatThrownBy(() -> ring.stop(Duration.ofSeconds(BOUND_SECONDS))).isInstanceOf(DeltaFailedException.class);
    }

    @Test
    void shouldFailAFlushQueuedBehindAFaultInsteadOfReportingItDone() throws Exception {
        ring = EpochRing.builder(delta, new TestFlusher()).flushInterval(Duration.ofHours(1))
                        .retryPolicy(FlushRetryPolicy.none()).errorHandler(e -> { }).build().start();
        ring.channel("default").tryWrite(new Put(GatedDelta.GATE, 1));
        assertThat(delta.entered().await(BOUND_SECONDS, TimeUnit.SECONDS)).as("the apply stage reached the gate").isTrue();
        WriteHandle<EpochRange> flush = ring.flush(); // queued in the ring behind the gated write

        delta.open(new InternalError("injected at the gate"));

        assertThatThrownBy(() -> flush.await(DurabilityLevel.APPLIED, Duration.ofSeconds(BOUND_SECONDS)))
            .as("nothing was cut after the fault").isInstanceOf(CoordinatorFailedException.class)
            .hasMessageContaining("injected at the gate");
        assertThatThrownBy(() -> ring.stop(Duration.ofSeconds(BOUND_SECONDS))).isInstanceOf(DeltaFailedException.class);
    }

    @Test
    void shouldFailWaitersAboveTheLevelsReachedWhenStopTimesOutOnAFlusherThatIgnoresInterrupts() throws Exception {
        StuckFlusher flusher = new StuckFlusher();
        try {
            var stuck = EpochRing.builder(new MapDelta(), flusher).flushInterval(Duration.ofHours(1))
                                 .retryPolicy(FlushRetryPolicy.none()).errorHandler(e -> { }).build().start();
            WriteHandle<Long> write = stuck.channel("default").write(new Put("a", 1));
            stuck.flush();
            assertThat(flusher.entered.await(BOUND_SECONDS, TimeUnit.SECONDS)).as("the flush started").isTrue();

            assertThatThrownBy(() -> stuck.stop(Duration.ofMillis(200))).isInstanceOf(EpochRingException.class)
                .hasMessageContaining("did not finish within");

            assertThat(write.await(DurabilityLevel.APPLIED)).isEqualTo(1L);
            assertThatThrownBy(() -> write.await(DurabilityLevel.WRITTEN)).isInstanceOf(EpochRingException.class)
                .hasMessageContaining("stop() did not finish within");
            assertThatThrownBy(() -> write.await(DurabilityLevel.DURABLE)).isInstanceOf(EpochRingException.class)
                .hasMessageContaining("stop() did not finish within");
        } finally {
            flusher.gate.countDown();
        }
    }

    /** A flusher whose first flush waits, ignoring interrupts, until its gate opens. */
    private static final class StuckFlusher implements Flusher<Map<String, Long>, Map<String, Long>> {

        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch gate = new CountDownLatch(1);

        @Override
        public Map<String, Long> flush(Map<String, Long> frozen, EpochRange range) {
            entered.countDown();
            GatedDelta.awaitIgnoringInterrupts(gate);
            return Map.copyOf(frozen);
        }

        @Override
        public void sync() {
        }

        @Override
        public Map<String, Long> snapshot() {
            return Map.of();
        }
    }
}
