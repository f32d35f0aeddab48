package io.epochring;

import java.util.concurrent.BlockingQueue;

/**
 * Blocking calls the coordinator must see through even when interrupted (a batch that must reach
 * the flush thread, a thread that must be joined at stop); the interrupt is restored afterwards.
 */
final class Uninterruptibles {

    private Uninterruptibles() {
    }

    static <T> void put(BlockingQueue<T> queue, T item) {
        boolean interrupted = false;
        while (true) {
            try {
                queue.put(item);
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        restore(interrupted);
    }

    /** Waits until {@code thread} has ended, through interrupts (the interrupt is kept). */
    static void join(Thread thread) {
        // Not join(thread, Long.MAX_VALUE): System.nanoTime() may be negative, and that deadline would then overflow.
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        restore(interrupted);
    }

    /** @return false when {@code thread} was still alive at {@link System#nanoTime()} {@code deadlineNanos} */
    static boolean join(Thread thread, long deadlineNanos) {
        boolean interrupted = false;
        long remaining;
        while (thread.isAlive() && (remaining = deadlineNanos - System.nanoTime()) > 0) {
            try {
                thread.join(Math.max(1, Math.min(remaining / 1_000_000, Long.MAX_VALUE / 2)));
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        restore(interrupted);
        return !thread.isAlive();
    }

    /** @return false when the queue had no room by {@link System#nanoTime()} {@code deadlineNanos} */
    static <T> boolean offer(BlockingQueue<T> queue, T item, long deadlineNanos) {
        boolean interrupted = false;
        boolean offered = false;
        long remaining;
        while (!offered && (remaining = deadlineNanos - System.nanoTime()) > 0) {
            try {
                offered = queue.offer(item, remaining, java.util.concurrent.TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        restore(interrupted);
        return offered || queue.offer(item);
    }

    private static void restore(boolean interrupted) {
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
