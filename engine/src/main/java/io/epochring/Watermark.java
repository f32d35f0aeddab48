package io.epochring;

import com.lmax.disruptor.Sequence;

import java.lang.invoke.VarHandle;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;

/**
 * One monotonic durability watermark and the threads and futures waiting on it.
 *
 * <p>Design note: each watermark has a single writer (apply stage, journal stage or flush thread,
 * or the durability tracker's lock), so advancing is a store, not a CAS. Waiters spin briefly,
 * yield briefly, then block on this object's monitor ({@link BackoffWait}); the writer pays a
 * monitor only when someone is blocked ({@code waiters != 0}). That check is one half of a
 * store-load pair: the writer stores the value then reads {@code waiters}
 * ({@code Sequence.setVolatile} ends in a full fence, and {@code waiters} is volatile); a waiter
 * or a future stores {@code waiters} then, after a full fence, reads the value. So a writer either
 * sees the waiter or the waiter sees the value, on weakly ordered CPUs too. {@code Sequence.get()}
 * alone would not do for the waiter's read: it is a plain load followed by an acquire fence, which
 * may be performed before the waiter's earlier store of {@code waiters}.
 */
final class Watermark {

    /** Waits for the value to reach the target epoch. */
    private static final BackoffWait.Condition<Watermark> REACHED = new BackoffWait.Condition<>() {
        @Override
        public boolean isMet(Watermark watermark, long epoch) {
            return watermark.reached(epoch);
        }

        @Override
        public void addWaiter(Watermark watermark) {
            watermark.waiters++;
        }

        @Override
        public void removeWaiter(Watermark watermark) {
            watermark.waiters--;
        }
    };

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
        // A volatile read after setVolatile's full fence: the writer's half of the store-load pair.
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

    /** {@link #fail}, unless it failed already: the first cause is the one waiters keep getting. */
    void failIfNotFailed(EpochRingException error) {
        if (failure == null) {
            fail(error);
        }
    }

    /**
     * Waits until the watermark reaches {@code epoch}.
     *
     * @param deadlineNanos {@link System#nanoTime()} deadline, or {@code Long.MAX_VALUE}
     * @return false on timeout
     * @throws EpochRingException the watermark's failure, when it will never reach the epoch
     */
    boolean await(long epoch, long deadlineNanos) {
        return await(epoch, deadlineNanos, BackoffWait.DEFAULT);
    }

    /** {@link #await(long, long)} with the given way of waiting. */
    boolean await(long epoch, long deadlineNanos, BackoffWait backoff) {
        return backoff.await(this, epoch, deadlineNanos, REACHED);
    }

    /** @return a future completed when the watermark reaches {@code epoch} (or failed) */
    CompletableFuture<Void> future(long epoch) {
        CompletableFuture<Void> future = new CompletableFuture<>();
        synchronized (this) {
            waiters++;
            futures.add(new PendingFuture(epoch, future));
        }
        // The waiter's half of the store-load pair: read the value only after waiters is visible.
        VarHandle.fullFence();
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
