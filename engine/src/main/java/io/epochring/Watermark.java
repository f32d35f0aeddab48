package io.epochring;

import com.lmax.disruptor.Sequence;

import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;

/**
 * One monotonic durability watermark and the threads and futures waiting on it.
 *
 * <p>Design note: each watermark has a single writer (apply stage, journal stage or flush thread,
 * or the durability tracker's lock), so advancing is a store, not a CAS. Waiters spin briefly,
 * yield briefly, then block on this object's monitor;
 * the writer pays a monitor only when someone is blocked ({@code waiters != 0}). The store and the
 * waiter count are both volatile, so a writer either sees the waiter or the waiter sees the value.
 */
final class Watermark {

    private static final int SPINS = 200;
    private static final int YIELDS = 100;

    private final DurabilityLevel level;
    private final Sequence value = new Sequence(0);
    private volatile int waiters;
    private volatile EpochRingException failure;
    private final PriorityQueue<PendingFuture> futures = new PriorityQueue<>();

    Watermark(DurabilityLevel level) {
        this.level = level;
    }

    long get() {
        return value.get();
    }

    /** Sets the value without telling waiters: for per-write APPLIED, published at batch end. */
    void lazyAdvance(long epoch) {
        value.set(epoch);
    }

    /** Sets the value and releases every waiter it covers. */
    void advance(long epoch) {
        value.setVolatile(epoch);
        if (waiters != 0) {
            releaseWaiters();
        }
    }

    /** Publishes a value set by {@link #lazyAdvance}. */
    void publish() {
        advance(value.get());
    }

    /**
     * Fails every present and future waiter above the current value with {@code error}: the
     * watermark will not move again.
     */
    void fail(EpochRingException error) {
        failure = error;
        releaseWaiters();
    }

    /**
     * Waits until the watermark reaches {@code epoch}.
     *
     * @param deadlineNanos {@link System#nanoTime()} deadline, or {@code Long.MAX_VALUE}
     * @return false on timeout
     * @throws EpochRingException the watermark's failure, when it will never reach the epoch
     */
    boolean await(long epoch, long deadlineNanos) {
        for (int i = 0; i < SPINS + YIELDS; i++) {
            if (reached(epoch)) {
                return true;
            }
            if (i < SPINS) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
        synchronized (this) {
            waiters++;
            try {
                while (!reached(epoch)) {
                    long remaining = deadlineNanos - System.nanoTime();
                    if (remaining <= 0) {
                        return false;
                    }
                    WriteHandle.waitOn(this, remaining);
                }
                return true;
            } finally {
                waiters--;
            }
        }
    }

    /** @return a future completed when the watermark reaches {@code epoch} (or failed) */
    CompletableFuture<Void> future(long epoch) {
        CompletableFuture<Void> future = new CompletableFuture<>();
        synchronized (this) {
            waiters++;
            futures.add(new PendingFuture(epoch, future));
        }
        releaseWaiters();
        return future;
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

    private synchronized void releaseWaiters() {
        notifyAll();
        long current = value.get();
        EpochRingException error = failure;
        PendingFuture head;
        while ((head = futures.peek()) != null && (head.epoch <= current || error != null)) {
            futures.poll();
            waiters--;
            if (head.epoch <= current) {
                head.future.complete(null);
            } else {
                head.future.completeExceptionally(error);
            }
        }
    }

    @Override
    public String toString() {
        return level + "=" + value.get();
    }

    private record PendingFuture(long epoch, CompletableFuture<Void> future) implements Comparable<PendingFuture> {
        @Override
        public int compareTo(PendingFuture other) {
            return Long.compare(epoch, other.epoch);
        }
    }
}
