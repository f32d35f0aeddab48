package io.epochring;

import io.epochring.testing.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Waiting on watermarks and write handles: no waiter is ever left behind by a publisher, a blocked
 * wait gives up only at its deadline, and waiting for what is already there allocates nothing.
 */
class BackoffWaitTest {

    private static final int WAITERS = 3;
    private static final int STEPS = 20_000;
    /** How long one waiter may take for one step; reaching it means a wake-up was lost. */
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(2);

    /**
     * Goes straight to the monitor and never wakes by itself within a test: every step exercises
     * the waiter/publisher handshake, and a missed notify shows as a timeout instead of being
     * rescued by the next block slice.
     */
    private static final BackoffWait BLOCK_ONLY = new BackoffWait(0, 0, TimeUnit.HOURS.toNanos(1), TimeUnit.HOURS.toNanos(1));

    static Stream<BackoffWait> backoffs() {
        return Stream.of(BLOCK_ONLY, BackoffWait.DEFAULT);
    }

    @ParameterizedTest
    @MethodSource("backoffs")
    void shouldReleaseEveryWaiterOnEveryEpochWhileTheWriterAdvancesOneByOne(BackoffWait backoff) throws Exception {
        // given
        Watermark watermark = new Watermark(DurabilityLevel.APPLIED);
        Lockstep lockstep = new Lockstep();

        // when
        lockstep.run(
            waiter -> () -> {
                for (long epoch = 1; epoch <= STEPS; epoch++) {
                    lockstep.arrive();
                    if (!watermark.await(epoch, WriteHandle.deadline(STEP_TIMEOUT), backoff)) {
                        throw new AssertionError("waiter " + waiter + " not released for epoch " + epoch
                                                 + " within " + STEP_TIMEOUT + "; watermark at " + watermark.get());
                    }
                }
                return null;
            },
            () -> {
                for (int epoch = 1; epoch <= STEPS; epoch++) {
                    lockstep.awaitArrivals((long) WAITERS * epoch);
                    watermark.advance(epoch);
                }
                return null;
            });

        // then
        assertThat(watermark.get()).isEqualTo(STEPS);
    }

    @ParameterizedTest
    @MethodSource("backoffs")
    void shouldReleaseEveryWaiterOfEveryHandleWhenItCompletesOrFails(BackoffWait backoff) throws Exception {
        // given
        Watermarks watermarks = new Watermarks(false);
        List<WriteHandle<Long>> handles = new ArrayList<>(STEPS);
        for (int i = 0; i < STEPS; i++) {
            handles.add(WriteHandle.forFlush(watermarks));
        }
        Lockstep lockstep = new Lockstep();

        // when
        lockstep.run(
            waiter -> () -> {
                for (int i = 0; i < STEPS; i++) {
                    lockstep.arrive();
                    long deadline = WriteHandle.deadline(STEP_TIMEOUT);
                    try {
                        Long result = handles.get(i).await(DurabilityLevel.APPLIED, deadline, backoff);
                        assertThat(result).as("result of handle %d", i).isEqualTo(i);
                        assertThat(failsAt(i)).as("handle %d should have failed", i).isFalse();
                    } catch (AwaitTimeoutException e) {
                        throw new AssertionError("waiter " + waiter + " not released for handle " + i + " within "
                                                 + STEP_TIMEOUT + "; handle " + handles.get(i), e);
                    } catch (EpochRingException e) {
                        assertThat(failsAt(i)).as("handle %d failed: %s", i, e).isTrue();
                        assertThat(e).hasMessage("refused " + i);
                    }
                }
                return null;
            },
            () -> {
                for (int i = 0; i < STEPS; i++) {
                    lockstep.awaitArrivals((long) WAITERS * (i + 1));
                    if (failsAt(i)) {
                        handles.get(i).fail(new EpochRingException("refused " + i));
                    } else {
                        handles.get(i).complete((long) i);
                    }
                }
                return null;
            });

        // then
        assertThat(handles).allMatch(WriteHandle::isResolved);
    }

    @Test
    void shouldNoticeAValueThatArrivedWithoutANotifyWithinABlockSlice() throws Exception {
        // given a waiter blocked on the monitor
        Watermark watermark = new Watermark(DurabilityLevel.APPLIED);
        BackoffWait blockAtOnce = new BackoffWait(0, 0, TimeUnit.MILLISECONDS.toNanos(1), TimeUnit.MILLISECONDS.toNanos(10));
        CompletableFuture<Boolean> released = new CompletableFuture<>();
        Thread waiter = start("untimed-waiter", () -> released.complete(watermark.await(1, Long.MAX_VALUE, blockAtOnce)));
        Await.blocked(waiter);

        // when the value moves and nobody is notified
        watermark.lazyAdvance(1);

        // then the waiter finds it at the end of its slice
        assertThat(released.get(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        waiter.join();
    }

    @Test
    void shouldWaitAcrossBlockSlicesUntilTheDeadline() {
        // given
        Watermark watermark = new Watermark(DurabilityLevel.APPLIED);
        BackoffWait shortSlices = new BackoffWait(0, 0, TimeUnit.MILLISECONDS.toNanos(1), TimeUnit.MILLISECONDS.toNanos(2));
        long deadline = WriteHandle.deadline(Duration.ofMillis(30));

        // when
        boolean reached = watermark.await(1, deadline, shortSlices);

        // then
        assertThat(reached).isFalse();
        assertThat(System.nanoTime()).isGreaterThanOrEqualTo(deadline);
    }

    @Test
    void shouldReleaseABlockedWaiterWithTheWatermarksFailure() throws Exception {
        // given
        Watermark watermark = new Watermark(DurabilityLevel.DURABLE);
        CompletableFuture<Boolean> released = new CompletableFuture<>();
        Thread waiter = start("failing-waiter", () -> {
            try {
                released.complete(watermark.await(1, Long.MAX_VALUE, BLOCK_ONLY));
            } catch (EpochRingException e) {
                released.completeExceptionally(e);
            }
        });
        Await.blocked(waiter);
        EpochRingException failure = new EpochRingException("storage gone");

        // when
        watermark.fail(failure);

        // then
        assertThat(released).failsWithin(STEP_TIMEOUT).withThrowableThat().havingCause().isSameAs(failure);
        waiter.join();
    }

    @Test
    void shouldThrowAndKeepTheInterruptWhenABlockedWaiterIsInterrupted() throws Exception {
        // given
        WriteHandle<Long> handle = WriteHandle.forFlush(new Watermarks(false));
        CompletableFuture<Boolean> interruptFlag = new CompletableFuture<>();
        Thread waiter = start("interrupted-waiter", () -> {
            try {
                handle.await(DurabilityLevel.APPLIED);
                interruptFlag.completeExceptionally(new AssertionError("await returned"));
            } catch (EpochRingException e) {
                interruptFlag.complete(Thread.currentThread().isInterrupted());
            }
        });
        Await.blocked(waiter);

        // when
        waiter.interrupt();

        // then
        assertThat(interruptFlag.get(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(handle.isResolved()).isFalse();
        waiter.join();
    }

    @Test
    void shouldNotAllocateWhenAwaitingWhatIsAlreadyReached() {
        // given
        Watermarks watermarks = new Watermarks(false);
        WriteHandle<Long> handle = WriteHandle.forFlush(watermarks);
        handle.complete(42L);
        Duration timeout = Duration.ofSeconds(1);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long sum = awaitAll(handle, watermarks, timeout, 20_000);

        // when
        long before = threads.getCurrentThreadAllocatedBytes();
        sum += awaitAll(handle, watermarks, timeout, 100_000);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        // then: one allocation per call would be at least 1.6 MB
        assertThat(sum).isEqualTo(42L * 3 * 120_000);
        assertThat(allocated).isLessThan(16_000);
    }

    private static long awaitAll(WriteHandle<Long> handle, Watermarks watermarks, Duration timeout, int times) {
        long sum = 0;
        for (int i = 0; i < times; i++) {
            sum += handle.await(DurabilityLevel.APPLIED);
            sum += handle.await(DurabilityLevel.DURABLE, timeout);
            if (watermarks.applied().await(0, Long.MAX_VALUE)) {
                sum += 42;
            }
        }
        return sum;
    }

    private static boolean failsAt(int i) {
        return i % 7 == 3;
    }

    private static Thread start(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /**
     * Runs {@link #WAITERS} waiters against one publisher in steps: the publisher publishes step
     * n only once every waiter has arrived at it, so each publish races the waiters' registration.
     */
    private static final class Lockstep {
        private final AtomicInteger arrivals = new AtomicInteger();
        private final AtomicBoolean stopped = new AtomicBoolean();

        void arrive() {
            arrivals.incrementAndGet();
        }

        void awaitArrivals(long expected) {
            long deadline = System.nanoTime() + STEP_TIMEOUT.toNanos();
            while (arrivals.get() < expected) {
                if (stopped.get()) {
                    throw new IllegalStateException("a waiter stopped before step " + expected / WAITERS);
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new AssertionError("waiters did not arrive at step " + expected / WAITERS + " within " + STEP_TIMEOUT);
                }
                Thread.yield();
            }
        }

        void run(WaiterFactory waiters, Callable<Void> publisher) throws Exception {
            ExecutorService threads = Executors.newFixedThreadPool(WAITERS + 1);
            try {
                List<Future<Void>> running = new ArrayList<>();
                for (int w = 0; w < WAITERS; w++) {
                    running.add(threads.submit(stopOnFailure(waiters.waiter(w))));
                }
                running.add(threads.submit(stopOnFailure(publisher)));
                long deadline = System.nanoTime() + RUN_TIMEOUT.toNanos();
                for (Future<Void> each : running) {
                    each.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                }
            } finally {
                stopped.set(true);
                threads.shutdownNow();
                assertThat(threads.awaitTermination(RUN_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            }
        }

        private Callable<Void> stopOnFailure(Callable<Void> task) {
            return () -> {
                try {
                    return task.call();
                } catch (Throwable t) {
                    stopped.set(true);
                    throw t;
                }
            };
        }
    }

    @FunctionalInterface
    private interface WaiterFactory {
        Callable<Void> waiter(int index);
    }
}
