package io.epochring;

/**
 * When the next timed flush is due, shared by the apply stage (which reschedules it at every cut)
 * and the flush thread (which asks the ring for a tick when it is due and there is something to
 * flush). Time comes from the coordinator's injected clock.
 */
final class FlushTimer {

    private volatile long dueNanos;
    private volatile long lastCut;
    private volatile boolean tickPending;

    /**
     * Schedules the next timed flush {@code intervalNanos} after {@code nowNanos}. A sum past the
     * largest {@code long} is due never rather than at a negative time: wrapped around, a long
     * interval would make every tick due.
     */
    void scheduleAfter(long nowNanos, long intervalNanos, long lastCut) {
        long due = nowNanos + intervalNanos;
        this.dueNanos = due < nowNanos ? Long.MAX_VALUE : due;
        this.lastCut = lastCut;
    }

    long dueNanos() {
        return dueNanos;
    }

    /** @return true when a tick should be sent: due, something unflushed, none in flight */
    boolean shouldTick(long nowNanos, long appliedEpoch) {
        return !tickPending && nowNanos >= dueNanos && appliedEpoch > lastCut;
    }

    void tickSent() {
        tickPending = true;
    }

    void tickDone() {
        tickPending = false;
    }
}
