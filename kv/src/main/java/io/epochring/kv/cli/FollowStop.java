package io.epochring.kv.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;

/**
 * When {@code epochring inspect --follow} stops: after {@code --follow-for}, or when the JVM is
 * told to stop (Ctrl-C, SIGTERM), which is how following is meant to end, so it exits 0.
 *
 * <p>Design note: a signal starts the JVM's shutdown, and a JVM stopped by a signal exits with 128
 * plus its number. The shutdown hook therefore asks the follower to stop, waits for the command to
 * print its last line ({@link #finished}), and then ends the JVM with exit code 0 itself. When
 * following ended with an error instead, the hook lets the shutdown go on (the error is reported
 * and the exit code is not 0).
 */
final class FollowStop implements BooleanSupplier, AutoCloseable {

    /** How long the hook waits for the command to finish its output: the follower sees the stop within milliseconds. */
    private static final long FINISH_WAIT_SECONDS = 5;

    private final long deadline;
    private final boolean timed;
    private final AtomicBoolean signalled = new AtomicBoolean();
    private final CountDownLatch done = new CountDownLatch(1);
    private final IntConsumer halt;
    private final Thread hook = new Thread(this::onShutdown, "epochring-inspect-follow-stop");
    private volatile boolean clean;

    /**
     * @param duration how long to follow; null until the JVM is told to stop
     * @param halt     ends the JVM with an exit code ({@code Runtime.getRuntime()::halt}; tests pass their own)
     */
    FollowStop(Duration duration, IntConsumer halt) {
        this.timed = duration != null;
        this.deadline = timed ? System.nanoTime() + Math.min(duration.toNanos(), Long.MAX_VALUE / 2) : 0;
        this.halt = halt;
    }

    /** Stops following when the JVM is told to stop. */
    FollowStop register() {
        Runtime.getRuntime().addShutdownHook(hook);
        return this;
    }

    /** @return whether following should stop now */
    @Override
    public boolean getAsBoolean() {
        return signalled.get() || (timed && System.nanoTime() - deadline >= 0);
    }

    /** @return whether the JVM was told to stop (rather than the time running out) */
    boolean signalled() {
        return signalled.get();
    }

    /** Following ended without an error and its output is printed: a signal ends the JVM with 0 now. */
    void finished() {
        clean = true;
        close();
    }

    /** Following ended, cleanly or not: the hook is not needed any more. */
    @Override
    public void close() {
        done.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is shutting down: the hook runs (or ran) and ends it.
        }
    }

    /** What the shutdown hook does; for tests, which cannot send the JVM a signal. */
    void onShutdown() {
        signalled.set(true);
        try {
            done.await(FINISH_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (clean) {
            halt.accept(EpochRingCli.OK);
        }
    }
}
