package io.epochring;

import io.epochring.testing.CounterDelta;
import io.epochring.testing.LedgerFlusher;
import io.epochring.testing.LedgerSink;
import io.epochring.testing.MemoryJournal;
import io.epochring.testing.Put;
import io.epochring.testing.PutCodec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.fail;

/**
 * Fail-stop: a fault at any stage or thread, a {@link RuntimeException} or an {@link Error}, never
 * hangs a waiter or {@code stop()}, never reports a level that was not reached, and after a
 * restart every write acknowledged JOURNALED is there exactly once.
 */
class FaultInjectionTest {

    private static final Duration BOUND = Duration.ofSeconds(20);
    private static final int WRITES = 40;

    /** Where the fault is injected. */
    enum Point {
        APPLY(DeltaFailedException.class), FREEZE(DeltaFailedException.class), JOURNAL_APPEND(JournalFailedException.class),
        JOURNAL_COMMIT(JournalFailedException.class), FLUSH(FlushFailedException.class), SYNC(FlushFailedException.class),
        CHECKPOINT(JournalFailedException.class), SINK_DELIVERY(SinkFailedException.class);

        /** The fault type that names this point. */
        final Class<? extends CoordinatorFaultException> reportedAs;

        Point(Class<? extends CoordinatorFaultException> reportedAs) {
            this.reportedAs = reportedAs;
        }
    }

    /** One target of each kind, with a fault switch each. */
    record Targets(CounterDelta delta, LedgerFlusher storage, MemoryJournal journal, LedgerSink sink) {

        static Targets fresh() {
            return new Targets(new CounterDelta(), new LedgerFlusher(true), new MemoryJournal(), new LedgerSink(true));
        }

        void arm(Point point, Supplier<? extends Throwable> fault) {
            switch (point) {
                case APPLY -> delta.failApplies(fault);
                case FREEZE -> delta.failFreezes(fault);
                case JOURNAL_APPEND -> journal.failAppends(fault);
                case JOURNAL_COMMIT -> journal.failCommits(fault);
                case FLUSH -> storage.failFlushes(fault);
                case SYNC -> storage.failSyncs(fault);
                case CHECKPOINT -> journal.failCheckpoints(fault);
                case SINK_DELIVERY -> sink.failDeliveries(fault);
            }
        }

        EpochRing<Put, Long, java.util.Map<String, Long>, java.util.Map<String, Long>> ring(RingShape shape) {
            return shape.on(EpochRing.builder(delta, storage)).journal(journal, new PutCodec())
                            .sink("archive", sink, SinkOptions.required())
                            .retryPolicy(FlushRetryPolicy.none()).flushInterval(Duration.ofHours(1))
                            .errorHandler(e -> { }).build();
        }
    }

    static Stream<Arguments> faults() {
        List<Arguments> all = new ArrayList<>();
        for (RingShape mode : RingShape.values()) {
            for (Point point : Point.values()) {
                all.add(Arguments.of(point, "RuntimeException", (Supplier<Throwable>) () -> new IllegalStateException("injected at " + point), mode));
                all.add(Arguments.of(point, "Error", (Supplier<Throwable>) () -> new InternalError("injected at " + point), mode));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{1} at {0}, {3}")
    @MethodSource("faults")
    void shouldCompleteEveryWaiterStopAndLoseNothingJournaled(Point point, String kind, Supplier<Throwable> fault, RingShape mode) {
        // given a coordinator that made some writes durable, then a fault armed at one point
        Targets targets = Targets.fresh();
        var ring = targets.ring(mode).start();
        for (int i = 0; i < 5; i++) {
            ring.channel("default").write(new Put("before-" + i, 1));
        }
        ring.flush(true).await(DurabilityLevel.DURABLE, BOUND);
        targets.arm(point, fault);

        // when writes and a flush with sync go through it
        List<WriteHandle<Long>> handles = new ArrayList<>();
        for (int i = 0; i < WRITES; i++) {
            try {
                handles.add(ring.channel("default").write(new Put("w" + i, 1), BOUND));
            } catch (RejectedWriteException refused) {
                assertThat(refused).isInstanceOf(CoordinatorFailedException.class); // after the fault: refused, with its cause
            }
        }
        try {
            ring.flush(true);
        } catch (RejectedWriteException refused) {
            assertThat(refused).isInstanceOf(CoordinatorFailedException.class);
        }

        // then every waiter at every level completes within the bound: reached, or an error
        List<Long> journaled = new ArrayList<>();
        for (WriteHandle<Long> handle : handles) {
            for (DurabilityLevel level : DurabilityLevel.values()) {
                try {
                    handle.await(level, BOUND);
                    if (level == DurabilityLevel.JOURNALED) {
                        journaled.add(handle.epoch());
                    }
                } catch (AwaitTimeoutException e) {
                    fail(kind + " at " + point + ": " + level + " of " + handle + " hung", e);
                } catch (EpochRingException expected) {
                    // the fault (or the write's own rejection) delivered to the waiter
                }
            }
        }
        // and stop returns within the bound, reporting the fault if there was one
        long start = System.nanoTime();
        try {
            ring.stop(BOUND);
            // only a RuntimeException from Delta.apply is no fault: it rejects that one write
            assertThat(point == Point.APPLY && kind.equals("RuntimeException")).as(kind + " at " + point + " reported no fault").isTrue();
        } catch (CoordinatorFaultException reported) {
            assertThat(reported).isInstanceOf(point.reportedAs).hasMessageContaining("injected at " + point);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(BOUND);
        assertThat(ring.watermark(DurabilityLevel.JOURNALED)).isLessThanOrEqualTo(targets.journal().lastEpoch());

        // and after a restart without the fault, every write acknowledged JOURNALED is there once
        Targets after = new Targets(new CounterDelta(), targets.storage().afterCrash(), targets.journal().afterCrash(),
                                    targets.sink().afterCrash());
        var recovered = after.ring(mode).start();
        assertThatCode(() -> recovered.flush(true).await(DurabilityLevel.DURABLE, BOUND)).doesNotThrowAnyException();
        recovered.stop(BOUND);
        for (int i = 0; i < 5; i++) {
            assertThat(after.storage().ledger().total("before-" + i)).isEqualTo(1);
        }
        for (WriteHandle<Long> handle : handles) {
            long expected = journaled.contains(handle.epoch()) ? 1 : after.storage().ledger().total(key(handle, handles));
            assertThat(after.storage().ledger().total(key(handle, handles))).as(kind + " at " + point + ": " + handle)
                                                                           .isEqualTo(expected).isLessThanOrEqualTo(1);
        }
        long last = after.journal().lastEpoch();
        assertThat(after.storage().ledger().isExactlyOnceUpTo(last)).as(after.storage().ledger().toString()).isTrue();
        assertThat(after.sink().ledger().isExactlyOnceUpTo(last)).as(after.sink().ledger().toString()).isTrue();
    }

    @org.junit.jupiter.api.Test
    void shouldFailTheCoordinatorWhenARingStageThrowsUnexpectedly() throws Exception {
        // given a running coordinator with a write in flight at every level
        Targets targets = Targets.fresh();
        var ring = targets.ring(RingShape.SINGLE_THREAD).start();
        WriteHandle<Long> before = ring.channel("default").write(new Put("before", 1));
        before.await(DurabilityLevel.JOURNALED, BOUND);

        // when the sequence stage meets a slot it cannot handle (a bug: a write without a channel)
        java.lang.reflect.Field field = EpochRing.class.getDeclaredField("conductor");
        field.setAccessible(true);
        Conductor<?, ?, ?, ?> conductor = (Conductor<?, ?, ?, ?>) field.get(ring);
        WriteHandle<Long> orphan = new WriteHandle<>(conductor.watermarks(), null);
        conductor.ringBuffer().publishEvent(Slot.WRITE_TRANSLATOR, null, new Put("orphan", 1), orphan);

        // then the coordinator fails once with a StageFailedException, and nothing hangs: not even
        // the waiter of the slot the ring skipped
        assertThatCode(() -> before.await(DurabilityLevel.DURABLE, BOUND)).isInstanceOf(StageFailedException.class)
                                                                         .hasMessageContaining("ring stage failed unexpectedly");
        assertThatCode(() -> orphan.await(DurabilityLevel.APPLIED, BOUND)).isInstanceOf(StageFailedException.class);
        assertThat(ring.failure()).get().isInstanceOf(StageFailedException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ring.channel("default").tryWrite(new Put("after", 1)))
                                       .isInstanceOf(CoordinatorFailedException.class).hasCauseInstanceOf(StageFailedException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ring.stop(BOUND)).isInstanceOf(StageFailedException.class);
    }

    private static String key(WriteHandle<Long> handle, List<WriteHandle<Long>> handles) {
        return "w" + handles.indexOf(handle);
    }
}
