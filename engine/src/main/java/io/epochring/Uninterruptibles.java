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

    static void join(Thread thread) {
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

    private static void restore(boolean interrupted) {
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
