package io.epochring;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.WaitStrategy;
import org.agrona.concurrent.NanoClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The linger in front of the configured wait strategy, with a clock, sequences and a barrier that
 * the test controls: no real time passes.
 */
class LingeringWaitStrategyTest {

    private static final Duration LINGER = Duration.ofNanos(10_000);
    private static final Duration BOUND = Duration.ofSeconds(30);

    /** A clock that moves {@code step} ns on every read and counts the reads. */
    private static final class SteppingClock implements NanoClock {
        final long step;
        long now = 1_000_000;
        int reads;

        SteppingClock(long step) {
            this.step = step;
        }

        @Override
        public long nanoTime() {
            reads++;
            now += step;
            return now;
        }
    }

    /** A sequence that counts how often the consumer looked at it. */
    private static final class WatchedSequence extends Sequence {
        int reads;

        WatchedSequence(long value) {
            super(value);
        }

        @Override
        public long get() {
            reads++;
            return super.get();
        }
    }

    /** The configured strategy: records when it was asked to wait and answers with the next sequence. */
    private static final class RecordingStrategy implements WaitStrategy {
        final List<Long> calledAt = new ArrayList<>();
        final SteppingClock clock;
        int signals;

        RecordingStrategy(SteppingClock clock) {
            this.clock = clock;
        }

        @Override
        public long waitFor(long sequence, Sequence cursor, Sequence dependentSequence, SequenceBarrier barrier) {
            calledAt.add(clock.now);
            return sequence;
        }

        @Override
        public void signalAllWhenBlocking() {
            signals++;
        }
    }

    /** A barrier that raises an alert at its {@code alertAt}-th check. */
    private static final class AlertingBarrier implements SequenceBarrier {
        final int alertAt;
        int checks;

        AlertingBarrier(int alertAt) {
            this.alertAt = alertAt;
        }

        @Override
        public void checkAlert() throws AlertException {
            if (++checks >= alertAt) {
                throw AlertException.INSTANCE;
            }
        }

        @Override
        public long waitFor(long sequence) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long getCursor() {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean isAlerted() {
            return checks >= alertAt;
        }

        @Override
        public void alert() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void clearAlert() {
            throw new UnsupportedOperationException();
        }
    }

    /**
     * A linger in front of a recording strategy, both on a clock moving {@code step} ns per read;
     * runs of {@code minBatch} slots are taken without a linger (1 unless given: any slot).
     */
    private static final class Rig {
        final SteppingClock clock;
        final RecordingStrategy configured;
        final LingeringWaitStrategy lingering;

        Rig(long step) {
            this(step, 1);
        }

        Rig(long step, int minBatch) {
            clock = new SteppingClock(step);
            configured = new RecordingStrategy(clock);
            lingering = new LingeringWaitStrategy(configured, LINGER, minBatch, clock);
        }
    }

    /** {@code waitFor(sequence)} answers {@code expected} without a linger and without the configured strategy. */
    private static void assertTakenAtOnce(Rig rig, long sequence, Sequence cursor, Sequence dependentSequence, long expected) throws Exception {
        assertThat(rig.lingering.waitFor(sequence, cursor, dependentSequence, neverAlerted())).isEqualTo(expected);
        assertThat(rig.clock.reads).as("looks at the clock: lingered").isZero();
        assertThat(rig.configured.calledAt).as("waited with the configured strategy").isEmpty();
    }

    /**
     * One look at the cursor, none while lingering, then the configured strategy, asked once a whole
     * linger after {@code start}.
     */
    private static void assertLingeredOffTheCursor(Rig rig, WatchedSequence cursor, long start) {
        assertThat(cursor.reads).isEqualTo(1);
        assertThat(rig.configured.calledAt).hasSize(1);
        assertThat(rig.configured.calledAt.get(0) - start).isGreaterThanOrEqualTo(LINGER.toNanos())
                                                           .isLessThanOrEqualTo(LINGER.toNanos() + 2 * rig.clock.step);
    }

    private static AlertingBarrier neverAlerted() {
        return new AlertingBarrier(Integer.MAX_VALUE);
    }

    @Test
    void shouldTakePublishedSlotsAtOnceWithoutLingering() throws Exception {
        Rig rig = new Rig(1);
        WatchedSequence cursor = new WatchedSequence(41);

        assertTakenAtOnce(rig, 40, cursor, cursor, 41);
    }

    @Test
    void shouldKeepOffTheCursorForTheWholeLingerThenWaitWithTheConfiguredStrategy() throws Exception {
        Rig rig = new Rig(1_000);
        WatchedSequence cursor = new WatchedSequence(39);
        long start = rig.clock.now;

        long available = rig.lingering.waitFor(40, cursor, cursor, neverAlerted());

        assertThat(available).isEqualTo(40);
        assertLingeredOffTheCursor(rig, cursor, start); // caught up
    }

    @Test
    void shouldTakeARunOfMinBatchSlotsAtOnce() throws Exception {
        Rig rig = new Rig(1_000, 4);
        WatchedSequence cursor = new WatchedSequence(43);

        assertTakenAtOnce(rig, 40, cursor, cursor, 43);
    }

    @Test
    void shouldLingerBeforeARunShorterThanMinBatch() throws Exception {
        Rig rig = new Rig(1_000, 4);
        WatchedSequence cursor = new WatchedSequence(42);
        long start = rig.clock.now;

        rig.lingering.waitFor(40, cursor, cursor, neverAlerted());

        assertLingeredOffTheCursor(rig, cursor, start); // three slots published, fewer than the run of four
    }

    @Test
    void shouldTakeAShortRunAtOnceAfterAHandle() throws Exception {
        Rig rig = new Rig(1_000, 4);
        WatchedSequence cursor = new WatchedSequence(40);

        rig.lingering.handleTaken();

        assertTakenAtOnce(rig, 40, cursor, cursor, 40);
    }

    @Test
    void shouldKeepAHandleUntilTheNextBatchStarts() throws Exception {
        Rig rig = new Rig(1_000, 4);
        WatchedSequence cursor = new WatchedSequence(39);

        rig.lingering.handleTaken();
        rig.lingering.waitFor(40, cursor, cursor, neverAlerted());
        // A multi-producer ring's cursor counts claims: slot 40 claimed and not yet published, so the
        // processor finds nothing to take and asks again, with no batch between.
        cursor.set(40);
        assertThat(rig.lingering.waitFor(40, cursor, cursor, neverAlerted())).isEqualTo(40);

        assertThat(rig.clock.reads).as("no linger before the next batch").isZero();
    }

    @Test
    void shouldLingerOnlyOnceForTheSameSlot() throws Exception {
        Rig rig = new Rig(1_000, 4);
        WatchedSequence cursor = new WatchedSequence(40); // slot 40 claimed in a multi-producer ring, not yet published

        rig.lingering.waitFor(40, cursor, cursor, neverAlerted());
        int readsInTheLinger = rig.clock.reads;
        assertThat(readsInTheLinger).as("a short run: one linger").isPositive();

        assertThat(rig.lingering.waitFor(40, cursor, cursor, neverAlerted())).isEqualTo(40);
        assertThat(rig.clock.reads).as("asked again for the same slot: no second linger").isEqualTo(readsInTheLinger);

        rig.lingering.waitFor(41, cursor, cursor, neverAlerted());
        assertThat(rig.clock.reads).as("the next slot may linger again").isGreaterThan(readsInTheLinger);
    }

    @Test
    void shouldTakeAShortRunAtOnceInALaterStage() throws Exception {
        Rig rig = new Rig(1_000, 4);
        Sequence cursor = new Sequence(40);
        Sequence stageBefore = new Sequence(40);

        assertTakenAtOnce(rig, 40, cursor, stageBefore, 40);
    }

    @Test
    void shouldWaitForRunsOf64SlotsOrLessInASmallRingOrChannel() {
        assertThat(LingeringWaitStrategy.minBatch(65_536, 65_536)).isEqualTo(LingeringWaitStrategy.RUN).isEqualTo(64);
        assertThat(LingeringWaitStrategy.minBatch(4096, 1024)).isEqualTo(64);
        assertThat(LingeringWaitStrategy.minBatch(16, 1024)).as("a quarter of a small ring").isEqualTo(4);
        assertThat(LingeringWaitStrategy.minBatch(4096, 10)).as("half the smallest channel").isEqualTo(5);
        assertThat(LingeringWaitStrategy.minBatch(4096, 1)).isEqualTo(1);
        assertThat(LingeringWaitStrategy.minBatch(2, 1024)).isEqualTo(1);
        assertThatThrownBy(() -> new LingeringWaitStrategy(new SleepingWaitStrategy(), LINGER, 0, new SteppingClock(1)))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("minBatch must be >= 1, was 0");
    }

    @Test
    void shouldNotLingerAfterTakingAHandleButAgainAfterTheNextBatch() throws Exception {
        Rig rig = new Rig(1_000);
        WatchedSequence cursor = new WatchedSequence(39);

        rig.lingering.handleTaken();
        rig.lingering.waitFor(40, cursor, cursor, neverAlerted());

        assertThat(rig.clock.reads).as("no linger after a batch with a handle").isZero();
        assertThat(rig.configured.calledAt).hasSize(1);

        rig.lingering.batchStarted(); // a batch of fire-and-forget writes
        long start = rig.clock.now;
        rig.lingering.waitFor(41, cursor, cursor, neverAlerted());

        assertThat(rig.configured.calledAt.get(1) - start).as("a fire-and-forget batch lingers again")
                                                          .isGreaterThanOrEqualTo(LINGER.toNanos());
    }

    @Test
    void shouldForgetAHandleOnceTheNextSlotsWereAlreadyPublished() throws Exception {
        Rig rig = new Rig(1_000);
        WatchedSequence cursor = new WatchedSequence(41);

        rig.lingering.handleTaken();
        assertThat(rig.lingering.waitFor(40, cursor, cursor, neverAlerted())).isEqualTo(41);
        rig.lingering.batchStarted();
        long start = rig.clock.now;
        rig.lingering.waitFor(42, cursor, cursor, neverAlerted());

        // The batch after the handle's held only fire-and-forget writes.
        assertThat(rig.configured.calledAt.get(0) - start).isGreaterThanOrEqualTo(LINGER.toNanos());
    }

    @Test
    void shouldKeepAHandleForTheFirstStageWhileALaterStageWaits() throws Exception {
        Rig rig = new Rig(1_000);
        Sequence cursor = new Sequence(39);
        Sequence stageBefore = new Sequence(39);

        rig.lingering.handleTaken();
        rig.lingering.waitFor(40, cursor, stageBefore, neverAlerted());
        rig.lingering.waitFor(40, cursor, cursor, neverAlerted());

        assertThat(rig.clock.reads).isZero();
        assertThat(rig.configured.calledAt).hasSize(2);
    }

    @Test
    void shouldNotLingerInALaterStage() throws Exception {
        Rig rig = new Rig(1_000);
        Sequence cursor = new Sequence(39);
        Sequence stageBefore = new Sequence(39);

        rig.lingering.waitFor(40, cursor, stageBefore, neverAlerted());

        assertThat(rig.clock.reads).isZero();
        assertThat(rig.configured.calledAt).hasSize(1);
    }

    @Test
    void shouldEndTheLingerOnAnAlert() {
        Rig stopped = new Rig(0); // a clock that never moves: only the alert can end the linger
        Sequence cursor = new Sequence(39);
        AlertingBarrier barrier = new AlertingBarrier(5);

        assertTimeoutPreemptively(BOUND, () -> assertThatThrownBy(() -> stopped.lingering.waitFor(40, cursor, cursor, barrier))
            .isSameAs(AlertException.INSTANCE));
        assertThat(barrier.checks).isEqualTo(5);
        assertThat(stopped.configured.calledAt).isEmpty();
    }

    @Test
    void shouldPassWakeUpsToTheConfiguredStrategy() {
        Rig rig = new Rig(1);

        rig.lingering.signalAllWhenBlocking();

        assertThat(rig.configured.signals).isEqualTo(1);
        assertThat(rig.lingering).hasToString(rig.configured + " after a linger of 10000 ns (runs of 1 slots taken at once)");
    }
}
