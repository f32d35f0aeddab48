package io.epochring;

import io.epochring.testing.CounterDelta;
import io.epochring.testing.LedgerFlusher;
import io.epochring.testing.LedgerSink;
import io.epochring.testing.MemoryJournal;
import io.epochring.testing.Put;
import io.epochring.testing.PutCodec;
import org.agrona.ErrorHandler;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link EpochRingBuilder#onThreadStart}: the hook runs on every coordinator thread with its role,
 * and a hook that throws, a {@link RuntimeException} or an {@link Error}, on any of them fails the
 * coordinator with a cause that names the thread, without hanging a write or {@code stop()}.
 */
class ThreadStartHookTest {

    private static final Duration BOUND = Duration.ofSeconds(20);
    private static final String NAME = "hooked";

    @ParameterizedTest
    @EnumSource(RingShape.class)
    void shouldRunOnEveryCoordinatorThreadWithItsRole(RingShape shape) {
        // given a hook that records the role it was given and the thread it ran on
        Map<String, String> threadByRole = new ConcurrentHashMap<>();
        var ring = ring(shape, role -> threadByRole.put(role, Thread.currentThread().getName()), e -> { }).start();

        // when a write goes all the way to storage and the sink, and the coordinator stops (joining every thread)
        ring.channel("default").write(new Put("k", 1)).await(DurabilityLevel.APPLIED, BOUND);
        ring.flush(true).await(DurabilityLevel.DURABLE, BOUND);
        ring.stop(BOUND);

        // then each thread ran it once, with the role its name ends in
        Set<String> ringThreads = shape == RingShape.THREAD_PER_STAGE ? Set.of("sequence", "apply", "journal", "publish") : Set.of("pipeline");
        List<String> expected = new ArrayList<>(ringThreads);
        expected.addAll(List.of("flush", "sink-archive", "ring-allocation"));
        assertThat(threadByRole.keySet()).containsExactlyInAnyOrderElementsOf(expected);
        threadByRole.forEach((role, thread) -> assertThat(thread).isEqualTo("epochring-" + NAME + "-" + role));
    }

    static Stream<Arguments> faults() {
        List<Arguments> all = new ArrayList<>();
        for (String role : List.of("pipeline", "apply", "flush", "sink-archive", "ring-allocation")) {
            RingShape shape = role.equals("apply") ? RingShape.THREAD_PER_STAGE : RingShape.SINGLE_THREAD;
            all.add(Arguments.of(role, shape, "RuntimeException", (Supplier<Throwable>) () -> new IllegalStateException("injected on " + role)));
            all.add(Arguments.of(role, shape, "Error", (Supplier<Throwable>) () -> new InternalError("injected on " + role)));
        }
        all.add(Arguments.of("pipeline", RingShape.SINGLE_PRODUCER, "Error", (Supplier<Throwable>) () -> new InternalError("injected on pipeline")));
        return all.stream();
    }

    @ParameterizedTest(name = "{2} on {0}, {1}")
    @MethodSource("faults")
    void shouldFailTheCoordinatorNamingTheThreadWhenTheHookThrows(String failingRole, RingShape shape, String kind, Supplier<Throwable> fault)
        throws InterruptedException {
        // given a hook that throws on one thread, and an error handler that hears the coordinator's fault
        CountDownLatch failed = new CountDownLatch(1);
        var ring = ring(shape, role -> {
            if (role.equals(failingRole)) {
                throwUnchecked(fault.get());
            }
        }, e -> {
            if (e instanceof CoordinatorFaultException) {
                failed.countDown();
            }
        }).start();

        // when the thread has started
        assertThat(failed.await(BOUND.toSeconds(), TimeUnit.SECONDS)).as(kind + " on " + failingRole + " was not reported").isTrue();

        // then writes are refused with the fault as their cause
        assertThatThrownBy(() -> ring.channel("default").write(new Put("after", 1)))
            .isInstanceOf(CoordinatorFailedException.class)
            .cause().isInstanceOf(StageFailedException.class);
        // and stop returns within the bound, reporting the hook's throw and the thread it ran on
        long start = System.nanoTime();
        assertThatThrownBy(() -> ring.stop(BOUND))
            .isInstanceOf(StageFailedException.class)
            .hasMessageContaining("onThreadStart")
            .hasMessageContaining("epochring-" + NAME + "-" + failingRole)
            .cause().hasMessage("injected on " + failingRole);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(BOUND);
    }

    private static EpochRing<Put, Long, Map<String, Long>, Map<String, Long>> ring(RingShape shape, Consumer<String> hook,
                                                                                    ErrorHandler errors) {
        return shape.on(EpochRing.builder(new CounterDelta(), new LedgerFlusher(true)))
                    .name(NAME)
                    .journal(new MemoryJournal(), new PutCodec())
                    .sink("archive", new LedgerSink(true), SinkOptions.required())
                    .flushInterval(Duration.ofHours(1))
                    .onThreadStart(hook)
                    .errorHandler(errors)
                    .build();
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> void throwUnchecked(Throwable t) throws T {
        throw (T) t;
    }
}
