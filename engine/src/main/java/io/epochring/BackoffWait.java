package io.epochring;

import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;

/**
 * How a caller waits for a value another thread publishes (a watermark, a write's outcome): spin
 * briefly, yield briefly, then block on the subject's monitor in bounded slices until notified.
 *
 * <p>The phases are those of Agrona's {@code BackoffIdleStrategy} (spin, yield, then sleep in
 * periods growing from a minimum to a maximum), with the last phase a monitor wait the publisher
 * can cut short with {@code notifyAll}. A waiter keeps its phase in local variables, so one
 * shared instance serves every thread and a wait allocates nothing.
 *
 * <p>Design note: the waiter and the publisher form a store-load (Dekker) pair. The waiter
 * stores "I am blocking" ({@link Condition#addWaiter}), then loads the value; the publisher
 * stores the value, then loads "is anyone blocking?" and takes the monitor to notify only if
 * so. Each side needs a full barrier between its store and its load: without it the CPU may
 * perform the load first (AArch64 does; x86 does not for these accesses), both sides read the
 * old state, the publisher skips the notify and the waiter blocks on a value that has
 * already arrived. Here the waiter's barrier is the {@link VarHandle#fullFence()} after
 * {@code addWaiter}; the publisher's is a volatile store followed by a volatile load (or
 * Disruptor's {@code Sequence.setVolatile}, which ends in a full fence). Blocking in slices of
 * at most {@code maxBlockNanos} is only a safety net: a missed notify costs one slice, never a
 * hang.
 */
final class BackoffWait {

    /** Spin 200 times, yield 100 times (on 2 cores the publishing thread may need this core), then block 1 ms to 10 ms at a time. */
    static final BackoffWait DEFAULT = new BackoffWait(200, 100, TimeUnit.MILLISECONDS.toNanos(1), TimeUnit.MILLISECONDS.toNanos(10));

    /**
     * What a caller waits for on a subject, and how it tells the subject's publisher that it is
     * blocked. Implemented by constants, so a wait captures nothing.
     *
     * @param <S> the subject, whose monitor the waiter blocks on and the publisher notifies
     */
    interface Condition<S> {

        /**
         * @return true once the subject reached {@code target}
         * @throws EpochRingException the subject's failure, when it will never reach it
         */
        boolean isMet(S subject, long target);

        /** Tells the publisher a thread is blocking on the subject; called holding its monitor. */
        void addWaiter(S subject);

        /** Undoes {@link #addWaiter}; called holding the subject's monitor. */
        void removeWaiter(S subject);
    }

    private final int maxSpins;
    private final int maxYields;
    private final long minBlockNanos;
    private final long maxBlockNanos;

    BackoffWait(int maxSpins, int maxYields, long minBlockNanos, long maxBlockNanos) {
        if (maxSpins < 0 || maxYields < 0 || minBlockNanos <= 0 || maxBlockNanos < minBlockNanos) {
            throw new IllegalArgumentException("need maxSpins >= 0, maxYields >= 0 and 0 < minBlockNanos <= maxBlockNanos, got "
                                               + maxSpins + ", " + maxYields + ", " + minBlockNanos + ", " + maxBlockNanos);
        }
        this.maxSpins = maxSpins;
        this.maxYields = maxYields;
        this.minBlockNanos = minBlockNanos;
        this.maxBlockNanos = maxBlockNanos;
    }

    /**
     * Waits until {@code condition} holds for {@code subject} and {@code target}.
     *
     * @param deadlineNanos {@link System#nanoTime()} deadline, or {@code Long.MAX_VALUE}; checked
     *                      once the waiter blocks
     * @return false on timeout
     * @throws EpochRingException the subject's failure, or interruption while blocked (with the
     *                            thread's interrupt flag set again)
     */
    <S> boolean await(S subject, long target, long deadlineNanos, Condition<? super S> condition) {
        for (int i = 0; i < maxSpins; i++) {
            if (condition.isMet(subject, target)) {
                return true;
            }
            Thread.onSpinWait();
        }
        for (int i = 0; i < maxYields; i++) {
            if (condition.isMet(subject, target)) {
                return true;
            }
            Thread.yield();
        }
        return block(subject, target, deadlineNanos, condition);
    }

    private <S> boolean block(S subject, long target, long deadlineNanos, Condition<? super S> condition) {
        synchronized (subject) {
            condition.addWaiter(subject);
            try {
                VarHandle.fullFence();
                long slice = minBlockNanos;
                while (!condition.isMet(subject, target)) {
                    long wait = slice;
                    if (deadlineNanos != Long.MAX_VALUE) {
                        long remaining = deadlineNanos - System.nanoTime();
                        if (remaining <= 0) {
                            return false;
                        }
                        wait = Math.min(remaining, slice);
                    }
                    waitOn(subject, wait);
                    slice = Math.min(slice << 1, maxBlockNanos);
                }
                return true;
            } finally {
                condition.removeWaiter(subject);
            }
        }
    }

    /** Waits on {@code monitor} (held by the caller) for up to {@code nanos}. */
    private static void waitOn(Object monitor, long nanos) {
        try {
            TimeUnit.NANOSECONDS.timedWait(monitor, nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EpochRingException("interrupted while waiting for a write; the write itself goes on", e);
        }
    }

    @Override
    public String toString() {
        return "BackoffWait[spins=" + maxSpins + ", yields=" + maxYields + ", block=" + minBlockNanos + ".." + maxBlockNanos + " ns]";
    }
}
