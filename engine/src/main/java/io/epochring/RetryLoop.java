package io.epochring;

import org.agrona.concurrent.NanoClock;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * The one retry loop of the flush thread and the sink threads: runs an operation until it
 * succeeds, retrying errors the classifier calls transient with the {@link FlushRetryPolicy}'s
 * backoff until its window closes. An {@link Error} is never retried: it propagates at once, for
 * the caller's thread boundary to fail the coordinator.
 */
final class RetryLoop {

    /** Hears each failed attempt. */
    @FunctionalInterface
    interface Observer {
        void onFailure(Exception error, int attempt, boolean willRetry);
    }

    /** The loop gave up: a permanent error, the window closed, or it was abandoned. */
    static final class GaveUp extends Exception {
        final int attempts;

        GaveUp(String reason, int attempts, Exception cause) {
            super(reason, cause, false, false);
            this.attempts = attempts;
        }

        Exception error() {
            return (Exception) getCause();
        }
    }

    private final FlushRetryPolicy policy;
    private final Predicate<Throwable> isTransient;
    private final NanoClock clock;

    RetryLoop(FlushRetryPolicy policy, Predicate<Throwable> isTransient, NanoClock clock) {
        this.policy = policy;
        this.isTransient = isTransient;
        this.clock = clock;
    }

    /**
     * @param what      names the operation in the reason ("flush", "sync", "delivery to sink 'x'")
     * @param abandoned checked before each retry: true stops retrying (the coordinator failed)
     * @throws GaveUp when the operation will not succeed; its reason says why
     */
    <T> T call(String what, Callable<T> operation, Observer observer, BooleanSupplier abandoned) throws GaveUp {
        long firstFailure = 0;
        for (int attempt = 1; ; attempt++) {
            try {
                return operation.call();
            } catch (Exception e) {
                long now = clock.nanoTime();
                if (attempt == 1) {
                    firstFailure = now;
                }
                boolean retryable = isTransient.test(e);
                long delay = retryable ? policy.delayNanos(attempt + 1) : 0;
                boolean willRetry = retryable && now + delay - firstFailure <= policy.windowNanos() && !abandoned.getAsBoolean();
                observer.onFailure(e, attempt, willRetry);
                if (!willRetry) {
                    String reason = !retryable ? what + " failed with a permanent error (not retried)"
                                    : abandoned.getAsBoolean() ? what + " was abandoned after " + attempt + " attempts: the coordinator failed"
                                    : what + " failed with a transient error that did not clear within the retry window ("
                                      + attempt + " attempts over " + TimeUnit.NANOSECONDS.toMillis(now - firstFailure) + " ms)";
                    throw new GaveUp(reason, attempt, e);
                }
                LockSupport.parkNanos(delay);
            }
        }
    }
}
