package io.epochring;

/**
 * The coordinator's counters at one moment.
 *
 * @param applied          APPLIED watermark
 * @param journaled        JOURNALED watermark (0 without a journal)
 * @param written          WRITTEN watermark
 * @param durable          DURABLE watermark
 * @param flushCount       flushes completed
 * @param flushFailures    flush attempts that failed (retried or not)
 * @param lastFlushNanos   duration of the last completed flush, retries included
 * @param maxFlushNanos    longest completed flush
 * @param totalFlushNanos  sum of completed flush durations
 */
public record CoordinatorStats(long applied, long journaled, long written, long durable,
                               long flushCount, long flushFailures,
                               long lastFlushNanos, long maxFlushNanos, long totalFlushNanos) {

    /** @return mean flush duration in nanoseconds, 0 before the first flush */
    public long meanFlushNanos() {
        return flushCount == 0 ? 0 : totalFlushNanos / flushCount;
    }
}
