package io.epochring;

import java.time.Duration;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * When to retry a flush that failed with a {@link TransientFlushException}: exponential backoff
 * with jitter, bounded by a retry window measured from the first failure.
 *
 * <p>The nominal delay before attempt {@code n} (n >= 2) is {@code baseDelay * 2^(n-2)}, capped at
 * {@code maxDelay}. With the default base of 781.25 µs the delays before attempts 2, 3 and 4 are
 * 0.78, 1.56 and 3.1 ms, the delay before the 7th is 25 ms, then 50, 100, ... up to the 2 s cap.
 * Jitter spreads each delay uniformly over {@code ±jitter} of its nominal value. A zero window fails
 * on the first error without retrying.
 */
public final class FlushRetryPolicy {

    private final long baseDelayNanos;
    private final long maxDelayNanos;
    private final double jitter;
    private final long windowNanos;
    private final DoubleSupplier random;

    private FlushRetryPolicy(Builder b) {
        this.baseDelayNanos = b.baseDelay.toNanos();
        this.maxDelayNanos = b.maxDelay.toNanos();
        this.jitter = b.jitter;
        this.windowNanos = b.window.toNanos();
        this.random = b.random;
    }

    /** @return the default policy: 781.25 µs base, 2 s cap, ±20% jitter, 60 s window */
    public static FlushRetryPolicy defaults() {
        return builder().build();
    }

    /** @return a policy that never retries: the first failure is terminal */
    public static FlushRetryPolicy none() {
        return builder().window(Duration.ZERO).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * @param attempt the attempt about to be made, 2 for the first retry
     * @return the delay before it with jitter removed
     */
    public long nominalDelayNanos(int attempt) {
        if (attempt < 2) {
            throw new IllegalArgumentException("attempt must be >= 2 (attempt 1 is the first try, made at once), was " + attempt);
        }
        int doublings = attempt - 2;
        if (doublings >= 62 || baseDelayNanos > (maxDelayNanos >> doublings)) {
            return maxDelayNanos;
        }
        return Math.min(maxDelayNanos, baseDelayNanos << doublings);
    }

    /**
     * @param attempt the attempt about to be made, 2 for the first retry
     * @return the delay before it, jittered with the policy's random source
     */
    public long delayNanos(int attempt) {
        long nominal = nominalDelayNanos(attempt);
        double factor = 1.0 + jitter * (2.0 * random.getAsDouble() - 1.0);
        return Math.max(0, Math.round(nominal * factor));
    }

    /** @return how long after the first failure retries may go on */
    public long windowNanos() {
        return windowNanos;
    }

    /** Builds a {@link FlushRetryPolicy}; {@link #build()} checks every field. */
    public static final class Builder {
        private Duration baseDelay = Duration.ofNanos(781_250);
        private Duration maxDelay = Duration.ofSeconds(2);
        private double jitter = 0.2;
        private Duration window = Duration.ofSeconds(60);
        private DoubleSupplier random = () -> java.util.concurrent.ThreadLocalRandom.current().nextDouble();

        public Builder baseDelay(Duration baseDelay) {
            this.baseDelay = baseDelay;
            return this;
        }

        public Builder maxDelay(Duration maxDelay) {
            this.maxDelay = maxDelay;
            return this;
        }

        /** @param jitter fraction of each delay to spread over, in [0, 1) */
        public Builder jitter(double jitter) {
            this.jitter = jitter;
            return this;
        }

        public Builder window(Duration window) {
            this.window = window;
            return this;
        }

        /** @param random uniform source in [0, 1), injectable so tests read exact delays */
        public Builder random(DoubleSupplier random) {
            this.random = random;
            return this;
        }

        public FlushRetryPolicy build() {
            Objects.requireNonNull(baseDelay, "retry baseDelay must not be null");
            Objects.requireNonNull(maxDelay, "retry maxDelay must not be null");
            Objects.requireNonNull(window, "retry window must not be null");
            Objects.requireNonNull(random, "retry random must not be null");
            if (baseDelay.isNegative() || baseDelay.isZero()) {
                throw new IllegalArgumentException("retry baseDelay must be positive, was " + baseDelay);
            }
            if (maxDelay.compareTo(baseDelay) < 0) {
                throw new IllegalArgumentException("retry maxDelay (" + maxDelay + ") must be >= baseDelay (" + baseDelay + ")");
            }
            if (!(jitter >= 0 && jitter < 1)) {
                throw new IllegalArgumentException("retry jitter must be in [0, 1), was " + jitter);
            }
            if (window.isNegative()) {
                throw new IllegalArgumentException("retry window must be >= 0 (0 means no retries), was " + window);
            }
            return new FlushRetryPolicy(this);
        }
    }
}
