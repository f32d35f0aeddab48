package io.epochring.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waits for a condition that another thread will make true, without guessing a sleep: yields
 * until it holds, failing the test if it has not within the timeout.
 */
public final class Await {

    private Await() {
    }

    public static void until(String what, BooleanSupplier condition) {
        until(what, condition, Duration.ofSeconds(30));
    }

    public static void until(String what, BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for: " + what);
            }
            Thread.yield();
        }
    }

    /** Waits until {@code thread} is parked or waiting: it is blocked on something. */
    public static void blocked(Thread thread) {
        until(thread.getName() + " to block", () -> {
            Thread.State state = thread.getState();
            return state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING || state == Thread.State.BLOCKED;
        });
    }
}
