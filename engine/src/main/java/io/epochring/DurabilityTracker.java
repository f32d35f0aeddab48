package io.epochring;

import java.util.List;

/**
 * Computes WRITTEN and DURABLE from their inputs: WRITTEN is the primary flusher's written epoch,
 * held back by every REQUIRED sink that has not delivered that far; DURABLE is the primary's
 * synced epoch, never ahead of WRITTEN. The flush thread and required sinks' threads report here,
 * and the lock makes this the single writer of both watermarks.
 */
final class DurabilityTracker {

    private final Watermark written;
    private final Watermark durable;
    private final List<SinkWorker<?>> requiredSinks;
    private long primaryWritten;
    private long primarySynced;

    DurabilityTracker(Watermarks watermarks, List<SinkWorker<?>> requiredSinks, long recovered) {
        this.written = watermarks.written();
        this.durable = watermarks.durable();
        this.requiredSinks = List.copyOf(requiredSinks);
        this.primaryWritten = recovered;
        this.primarySynced = recovered;
    }

    synchronized long primaryWritten() {
        return primaryWritten;
    }

    /** Flush thread: the primary flusher accepted everything up to {@code epoch}. */
    synchronized void onPrimaryWritten(long epoch) {
        primaryWritten = epoch;
        update();
    }

    /** @return the DURABLE watermark a sync covering {@code syncedEpoch} would give */
    synchronized long durableIfSynced(long syncedEpoch) {
        return Math.max(durable.get(), Math.min(syncedEpoch, writtenCandidate()));
    }

    /** Flush thread: storage synced everything up to {@code epoch}. */
    synchronized void onPrimarySynced(long epoch) {
        primarySynced = epoch;
        update();
    }

    /** Required sink thread: it delivered further. */
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
            durable.advance(d);
        }
    }
}
