package io.epochring;

import java.util.List;

/**
 * Computes WRITTEN and DURABLE from their inputs: WRITTEN is the primary flusher's written epoch,
 * held back by every REQUIRED sink that has not delivered that far; DURABLE is the primary's
 * synced epoch, never ahead of WRITTEN. The flush thread and required sinks' threads report here,
 * and the lock makes this the single writer of both watermarks.
 *
 * <p>The checkpoint never trails DURABLE: before DURABLE moves, whichever thread moves it (the
 * flush thread after a sync, or a required sink's thread after a delivery) records a journal
 * checkpoint of the new DURABLE epoch. So recovery never replays an epoch reported DURABLE to
 * targets that cannot report their own position.
 */
final class DurabilityTracker {

    private final Watermark written;
    private final Watermark durable;
    private final List<SinkWorker<?>> requiredSinks;
    /** Sinks that report their own position at start: the journal keeps what the furthest behind still lacks. */
    private final List<SinkWorker<?>> positionedSinks;
    private final Journal journal;
    private final String ringName;
    private long primaryWritten;
    private long primarySynced;

    /**
     * @param journal where checkpoints go, or null without one
     * @param stored  the epoch storage held at start
     * @param synced  the durable checkpoint at start
     */
    DurabilityTracker(String ringName, Watermarks watermarks, List<SinkWorker<?>> requiredSinks, List<SinkWorker<?>> positionedSinks,
                      Journal journal, long stored, long synced) {
        this.ringName = ringName;
        this.written = watermarks.written();
        this.durable = watermarks.durable();
        this.requiredSinks = List.copyOf(requiredSinks);
        this.positionedSinks = List.copyOf(positionedSinks);
        this.journal = journal;
        this.primaryWritten = stored;
        this.primarySynced = synced;
        update();
    }

    synchronized long primaryWritten() {
        return primaryWritten;
    }

    /** Flush thread: the primary flusher accepted everything up to {@code epoch}. */
    synchronized void onPrimaryWritten(long epoch) {
        primaryWritten = epoch;
        update();
    }

    /**
     * Flush thread: storage synced everything up to {@code epoch}.
     *
     * @throws JournalFailedException when the checkpoint that DURABLE needs could not be recorded
     */
    synchronized void onPrimarySynced(long epoch) {
        primarySynced = epoch;
        update();
    }

    /**
     * Required sink thread: it delivered further.
     *
     * @throws JournalFailedException when the checkpoint that DURABLE needs could not be recorded
     */
    synchronized void onSinkDelivered() {
        update();
    }

    private long writtenCandidate() {
        long candidate = primaryWritten;
        for (SinkWorker<?> sink : requiredSinks) {
            candidate = Math.min(candidate, sink.deliveredEpoch());
        }
        return candidate;
    }

    private void update() {
        long w = writtenCandidate();
        if (w > written.get()) {
            written.advance(w);
        }
        long d = Math.min(primarySynced, written.get());
        if (d > durable.get()) {
            if (journal != null) {
                checkpoint(d, Math.max(d, primaryWritten));
            }
            durable.advance(d);
        }
    }

    /**
     * @return the lowest epoch a position-reporting sink accepted (it lacks what is above, deltas it
     *         dropped included, and gets them from the journal after a restart), or {@code Long.MAX_VALUE}
     */
    private long keepAbove() {
        long floor = Long.MAX_VALUE;
        for (SinkWorker<?> sink : positionedSinks) {
            floor = Math.min(floor, sink.acceptedEpoch());
        }
        return floor;
    }

    private void checkpoint(long durableEpoch, long writtenEpoch) {
        EngineEvents.Checkpoint event = EngineEvents.checkpointStarted();
        try {
            journal.checkpoint(durableEpoch, writtenEpoch, keepAbove());
        } catch (RuntimeException | Error e) {
            throw new JournalFailedException(new EpochRange(durable.get() + 1, durableEpoch),
                                             "the journal checkpoint could not be written, so DURABLE cannot move", e);
        }
        if (event != null) {
            event.finish(ringName, durableEpoch, writtenEpoch);
        }
    }
}
