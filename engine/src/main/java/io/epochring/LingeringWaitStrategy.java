package io.epochring;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.TimeoutException;
import com.lmax.disruptor.WaitStrategy;
import org.agrona.concurrent.NanoClock;

import java.time.Duration;

/**
 * The configured wait strategy behind a linger ({@link EpochRingBuilder#linger(Duration)}): when the
 * first stage has caught up with the producers, it leaves the ring alone for the linger before it
 * waits with the configured strategy. Writes published meanwhile are then taken as one batch.
 *
 * <p>Design note: a ring thread that looks for the next slot the moment it has processed the last
 * one chases a producer writing back to back slot by slot. Each slot's cache lines, and the
 * cursor's, then move between the two cores while both threads wait on them, and the pair settles
 * into that lock step: on a 2-vCPU VM one producer's single writes ran at 5 to 7 M/s in it and at
 * 20 to 30 M/s out of it, switching between the iterations of one JMH fork. The linger breaks it:
 * while the ring thread keeps off the ring the producer fills slots at its own pace, and the stages
 * then run over them as one batch, paying their per-batch costs (publishing the watermarks, a
 * journal commit) once for all of it.
 *
 * <p>Only the first stage lingers ({@code dependentSequence == cursor}): a later stage in
 * {@link ThreadingMode#THREAD_PER_STAGE} waits for the stage before it, which already did. While it
 * lingers the thread checks the barrier on every pause, so a halt ends the linger at once, and so
 * does a command queued for a single-producer ring (its barrier reports a queued command as an
 * alert). It does not read the cursor, so a write, or a command in a slot of a multi-producer ring,
 * waits for the linger to end. The linger is measured on the real clock: the configured
 * {@link NanoClock} times flushes, and a test's manual clock would make it endless.
 */
final class LingeringWaitStrategy implements WaitStrategy {

    /**
     * The longest linger a builder accepts: a few microseconds already batches a producer writing
     * back to back, and every write and command that comes during a linger waits for it.
     */
    static final Duration MAX_LINGER = Duration.ofMillis(1);

    private final WaitStrategy waitStrategy;
    private final long lingerNanos;
    private final NanoClock clock;

    LingeringWaitStrategy(WaitStrategy waitStrategy, Duration linger, NanoClock clock) {
        this.waitStrategy = waitStrategy;
        this.lingerNanos = linger.toNanos();
        this.clock = clock;
    }

    @Override
    public long waitFor(long sequence, Sequence cursor, Sequence dependentSequence, SequenceBarrier barrier)
        throws AlertException, InterruptedException, TimeoutException {
        long available = dependentSequence.get();
        if (available >= sequence) {
            return available;
        }
        if (dependentSequence == cursor) {
            long end = clock.nanoTime() + lingerNanos;
            do {
                barrier.checkAlert();
                Thread.onSpinWait();
            } while (clock.nanoTime() - end < 0);
        }
        return waitStrategy.waitFor(sequence, cursor, dependentSequence, barrier);
    }

    @Override
    public void signalAllWhenBlocking() {
        waitStrategy.signalAllWhenBlocking();
    }

    @Override
    public String toString() {
        return waitStrategy + " after a linger of " + lingerNanos + " ns";
    }
}
