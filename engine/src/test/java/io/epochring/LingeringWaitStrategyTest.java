package io.epochring;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
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

    @Test
    void shouldTakePublishedSlotsAtOnceWithoutLingering() throws Exception {
        SteppingClock clock = new SteppingClock(1);
        RecordingStrategy configured = new RecordingStrategy(clock);
        WatchedSequence cursor = new WatchedSequence(41);
        LingeringWaitStrategy lingering = new LingeringWaitStrategy(configured, LINGER, clock);

        long available = lingering.waitFor(40, cursor, cursor, new AlertingBarrier(Integer.MAX_VALUE));

        assertThat(available).isEqualTo(41);
        assertThat(clock.reads).isZero();
        assertThat(configured.calledAt).isEmpty();
    }

    @Test
    void shouldKeepOffTheCursorForTheWholeLingerThenWaitWithTheConfiguredStrategy() throws Exception {
        SteppingClock clock = new SteppingClock(1_000);
        RecordingStrategy configured = new RecordingStrategy(clock);
        WatchedSequence cursor = new WatchedSequence(39);
        LingeringWaitStrategy lingering = new LingeringWaitStrategy(configured, LINGER, clock);
        long start = clock.now;

        long available = lingering.waitFor(40, cursor, cursor, new AlertingBarrier(Integer.MAX_VALUE));

        assertThat(available).isEqualTo(40);
        // One look at the cursor to find it caught up; none while lingering; the rest is the configured strategy's.
        assertThat(cursor.reads).isEqualTo(1);
        assertThat(configured.calledAt).hasSize(1);
        assertThat(configured.calledAt.get(0) - start).isGreaterThanOrEqualTo(LINGER.toNanos())
                                                       .isLessThanOrEqualTo(LINGER.toNanos() + 2 * clock.step);
    }

    @Test
    void shouldNotLingerInALaterStage() throws Exception {
        SteppingClock clock = new SteppingClock(1_000);
        RecordingStrategy configured = new RecordingStrategy(clock);
        WatchedSequence cursor = new WatchedSequence(39);
        Sequence stageBefore = new Sequence(39);
        LingeringWaitStrategy lingering = new LingeringWaitStrategy(configured, LINGER, clock);

        lingering.waitFor(40, cursor, stageBefore, new AlertingBarrier(Integer.MAX_VALUE));

        assertThat(clock.reads).isZero();
        assertThat(configured.calledAt).hasSize(1);
    }

    @Test
    void shouldEndTheLingerOnAnAlert() {
        // A clock that never moves: only the alert can end the linger.
        SteppingClock stopped = new SteppingClock(0);
        RecordingStrategy configured = new RecordingStrategy(stopped);
        Sequence cursor = new Sequence(39);
        AlertingBarrier barrier = new AlertingBarrier(5);
        LingeringWaitStrategy lingering = new LingeringWaitStrategy(configured, LINGER, stopped);

        assertTimeoutPreemptively(BOUND, () -> assertThatThrownBy(() -> lingering.waitFor(40, cursor, cursor, barrier))
            .isSameAs(AlertException.INSTANCE));
        assertThat(barrier.checks).isEqualTo(5);
        assertThat(configured.calledAt).isEmpty();
    }

    @Test
    void shouldPassWakeUpsToTheConfiguredStrategy() {
        SteppingClock clock = new SteppingClock(1);
        RecordingStrategy configured = new RecordingStrategy(clock);
        LingeringWaitStrategy lingering = new LingeringWaitStrategy(configured, LINGER, clock);

        lingering.signalAllWhenBlocking();

        assertThat(configured.signals).isEqualTo(1);
        assertThat(lingering).hasToString(configured + " after a linger of 10000 ns");
    }
}
