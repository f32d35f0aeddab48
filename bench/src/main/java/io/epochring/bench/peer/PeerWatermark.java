package io.epochring.bench.peer;

import io.epochring.EpochRingException;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One monotonic watermark with a single writer thread. Waiters block on the monitor; the writer
 * takes it only when someone waits.
 */
final class PeerWatermark {

    private final AtomicLong value = new AtomicLong();
    private volatile int waiters;
    private volatile EpochRingException failure;

    long get() {
        return value.get();
    }

    /** Sets the value without waking waiters (an ordered store, no fence): per write, published by {@link #advance}. */
    void lazyAdvance(long epoch) {
        value.lazySet(epoch);
    }

    /** Sets the value and wakes the waiters it covers. */
    void advance(long epoch) {
        value.set(epoch);
        if (waiters > 0) {
            synchronized (this) {
                notifyAll();
            }
        }
    }

    /** Every waiter above the current value gets {@code error}: the watermark will not move again. */
    void fail(EpochRingException error) {
        failure = error;
        synchronized (this) {
            notifyAll();
        }
    }

    /**
     * @return false when {@code timeoutNanos} passed before the watermark reached {@code epoch}
     * @throws EpochRingException the failure, when the watermark will never reach it
     */
    boolean await(long epoch, long timeoutNanos) {
        if (reached(epoch)) {
            return true;
        }
        long deadline = System.nanoTime() + Math.min(timeoutNanos, Long.MAX_VALUE / 4);
        synchronized (this) {
            waiters++;
            try {
                while (!reached(epoch)) {
                    long remaining = deadline - System.nanoTime();
                    if (remaining <= 0) {
                        return false;
                    }
                    TimeUnit.NANOSECONDS.timedWait(this, remaining);
                }
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EpochRingException("interrupted while waiting for a watermark", e);
            } finally {
                waiters--;
            }
        }
    }

    private boolean reached(long epoch) {
        if (value.get() >= epoch) {
            return true;
        }
        EpochRingException error = failure;
        if (error != null) {
            throw error;
        }
        return false;
    }
}
