package io.epochring.bench;

import org.HdrHistogram.Histogram;

import java.util.concurrent.TimeUnit;

/**
 * Every round trip of the latency benchmarks, each one recorded in an HdrHistogram, for
 * {@link RoundTripProfiler} to report as the whole population's percentiles.
 *
 * <p>Why not only JMH's SampleTime percentiles: JMH samples a growing stride of operations and, each
 * time its buffer fills, halves every count in it, except that a count of 1 stays 1. A value seen
 * once (most tail values, each in a bucket of its own) then keeps its full weight while common
 * values are halved, so the longer an iteration runs the more its rare slow round trips count. A
 * ping-pong of about 700,000 round trips per 2 s iteration is halved 4 times, enough to move a
 * 0.5 % tail into the 99th percentile. Recording every round trip has no such bias.
 *
 * <p>One thread records (the benchmark thread, {@code @Threads(1)}); the profiler resets and reads
 * between iterations, which JMH's hand-over of each iteration to the benchmark thread orders.
 * A plain histogram is used so a round trip costs two clock reads and an array increment, and no
 * atomic instruction that would change what is measured.
 */
public final class RoundTrips {

    /** Longer round trips are recorded as this; the benchmarks give up on a write long before. */
    static final long HIGHEST_NANOS = TimeUnit.MINUTES.toNanos(1);

    private static final Histogram ITERATION = new Histogram(HIGHEST_NANOS, 3);

    private RoundTrips() {
    }

    /** Records one round trip that began at {@code startNanos} ({@link System#nanoTime()}) and ended now. */
    public static void record(long startNanos) {
        ITERATION.recordValue(Math.min(System.nanoTime() - startNanos, HIGHEST_NANOS));
    }

    /** Starts a new iteration: forgets what was recorded. */
    static void reset() {
        ITERATION.reset();
    }

    /** @return a copy of what was recorded since the last {@link #reset()} */
    static Histogram iteration() {
        return ITERATION.copy();
    }
}
