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
 * <p>It does not linger after a batch that held a write or a flush with a handle ({@link #handleTaken()}):
 * whoever holds the handle may be waiting on it to write again, and a linger would add itself to
 * every such round trip. Fire-and-forget writes tell the ring thread nothing of the sort, and a
 * producer that writes them back to back is the one the lock step slows.
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

    /**
     * The builder's linger: long enough for a producer writing back to back to fill a run of slots
     * (1.7 µs of pauses only partly broke the lock step on a 2-vCPU VM, 6.7 µs did), and paid only
     * by writes that follow fire-and-forget ones within it.
     */
    static final Duration DEFAULT_LINGER = Duration.ofNanos(5_000);

    private final WaitStrategy waitStrategy;
    private final long lingerNanos;
    private final NanoClock clock;
    /**
     * The first stage took a write or command with a handle since it last waited. Written and read
     * only on the first stage's thread ({@link StageHandler} sets it, {@link #waitFor} clears it).
     */
    private boolean handleTaken;

    LingeringWaitStrategy(WaitStrategy waitStrategy, Duration linger, NanoClock clock) {
        this.waitStrategy = waitStrategy;
        this.lingerNanos = linger.toNanos();
        this.clock = clock;
    }

    /** Called by the first stage's thread for each slot or command it takes that carries a handle. */
    void handleTaken() {
        handleTaken = true;
    }

    @Override
    public long waitFor(long sequence, Sequence cursor, Sequence dependentSequence, SequenceBarrier barrier)
        throws AlertException, InterruptedException, TimeoutException {
        boolean first = dependentSequence == cursor;
        boolean awaited = false;
        if (first) {
            awaited = handleTaken;
            handleTaken = false;
        }
        long available = dependentSequence.get();
        if (available >= sequence) {
            return available;
        }
        if (first && !awaited) {
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
