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
 * first stage has caught up with the producers, or finds fewer than a run of {@code minBatch}
 * slots ahead of it on the cursor (published, or in a multi-producer ring claimed), it leaves the
 * ring alone for the linger before it takes them or waits with the configured strategy. Writes
 * published meanwhile are then taken as one batch. It lingers at most once for each slot it waits
 * for: a multi-producer ring asks again for the same slot while its claim is not yet published.
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
 * <p>Lingering only once caught up left a milder form of the lock step: a ring thread about as fast
 * as the producer found a few slots ready after each batch, so it never caught up and never
 * lingered, and kept reading slots a few cache lines behind the ones the producer was writing. In a
 * loop like the single-producer benchmark's on a 2-vCPU VM it took 10 to 60 slots per batch and
 * lingered before 1 to 5 % of them; lingering also before a run shorter than {@code minBatch} (64)
 * brought the batches to 150 to 250 slots, and one producer's single writes from a median of
 * 20.0 to 24.1 M/s over three interleaved rounds.
 *
 * <p>It does not linger after a batch that held a write or a flush with a handle ({@link #handleTaken()}),
 * nor while a command of a single-producer ring waits for slots already published: whoever holds
 * the handle may be waiting on it to write again, and a linger would add itself to every such round
 * trip. Fire-and-forget writes tell the ring thread nothing of the sort, and a
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
     * by writes that follow fire-and-forget ones within it or reach the ring while fewer than a run
     * of slots is ahead of the ring thread.
     */
    static final Duration DEFAULT_LINGER = Duration.ofNanos(5_000);

    /**
     * The longest run of slots the first stage waits for before it takes them without a linger:
     * a producer writing back to back fills 64 slots in 1.5 to 3 µs, well inside the default linger.
     */
    static final int RUN = 64;

    private final WaitStrategy waitStrategy;
    private final long lingerNanos;
    /** Fewer slots than this ready on the cursor ahead of the first stage make it linger first. */
    private final int minBatch;
    private final NanoClock clock;
    /**
     * The first stage took a write or command with a handle in its last batch, or a command waits
     * for slots. Written and read only on the first stage's thread: {@link StageHandler} sets it and
     * clears it as each batch starts, not {@link #waitFor}, which a multi-producer ring calls again
     * without a batch between while a claimed slot is not yet published.
     */
    private boolean handleTaken;
    /** The slot the first stage last lingered for: it does not linger for the same one twice. */
    private long lingeredFor = -1;

    LingeringWaitStrategy(WaitStrategy waitStrategy, Duration linger, int minBatch, NanoClock clock) {
        if (minBatch < 1) {
            throw new IllegalArgumentException("minBatch must be >= 1, was " + minBatch);
        }
        this.waitStrategy = waitStrategy;
        this.lingerNanos = linger.toNanos();
        this.minBatch = minBatch;
        this.clock = clock;
    }

    /**
     * The run of slots worth waiting for in a ring of {@code ringSize} slots whose smallest channel
     * holds {@code smallestCapacity} writes: {@link #RUN}, or less where the ring or a channel is
     * small, so that a producer refused by a full channel is never what the ring thread waits for.
     */
    static int minBatch(int ringSize, int smallestCapacity) {
        return Math.max(1, Math.min(RUN, Math.min(ringSize / 4, smallestCapacity / 2)));
    }

    /**
     * Called by the first stage's thread for each slot or command it takes that carries a handle,
     * and while a command with a handle waits for slots already published.
     */
    void handleTaken() {
        handleTaken = true;
    }

    /** Called by the first stage's thread as it starts a batch of slots. */
    void batchStarted() {
        handleTaken = false;
    }

    @Override
    public long waitFor(long sequence, Sequence cursor, Sequence dependentSequence, SequenceBarrier barrier)
        throws AlertException, InterruptedException, TimeoutException {
        boolean mayLinger = dependentSequence == cursor && !handleTaken && sequence != lingeredFor;
        long available = dependentSequence.get();
        if (available >= sequence && (!mayLinger || available - sequence >= minBatch - 1)) {
            return available;
        }
        if (mayLinger) {
            lingeredFor = sequence;
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
        return waitStrategy + " after a linger of " + lingerNanos + " ns (runs of " + minBatch + " slots taken at once)";
    }
}
