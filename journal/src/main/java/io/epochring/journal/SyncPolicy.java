package io.epochring.journal;

import java.time.Duration;
import java.util.Objects;

/**
 * When the journal forces its memory-mapped files to disk, trading write latency for what a
 * machine crash (power loss, kernel panic) can lose. Every policy survives a process crash: the
 * data is in the page cache as soon as it is appended.
 *
 * <table>
 *   <caption>Policies</caption>
 *   <tr><th>policy</th><th>msync</th><th>a machine crash loses</th></tr>
 *   <tr><td>{@link #NONE}</td><td>never (the OS writes back when it likes)</td><td>any unsynced writes, and
 *       possibly checkpoints</td></tr>
 *   <tr><td>{@link #PER_BATCH}</td><td>at the end of every ring batch (group commit) and after every
 *       checkpoint</td><td>nothing acknowledged as JOURNALED</td></tr>
 *   <tr><td>{@link #interval(Duration)}</td><td>at the first batch end after the interval has passed, and after
 *       every checkpoint</td><td>writes from up to one interval (more if writes stop: the tail is then synced by the
 *       next checkpoint or at close)</td></tr>
 * </table>
 *
 * <p>Under {@code PER_BATCH} and {@code interval} a checkpoint record is synced before the
 * coordinator's DURABLE watermark moves, so DURABLE never claims a checkpoint that could vanish.
 * Cost on the reference machine: about 115 µs per msync.
 */
public final class SyncPolicy {

    /** The kind of policy. */
    public enum Kind {
        /** Never msync. */
        NONE,
        /** msync at each ring batch end. */
        PER_BATCH,
        /** msync at batch ends at most once per interval. */
        INTERVAL
    }

    /** Never msync: fastest; survives a process crash, not a machine crash. */
    public static final SyncPolicy NONE = new SyncPolicy(Kind.NONE, Duration.ZERO);

    /** msync at every ring batch end (group commit): JOURNALED survives a machine crash. */
    public static final SyncPolicy PER_BATCH = new SyncPolicy(Kind.PER_BATCH, Duration.ZERO);

    private final Kind kind;
    private final Duration interval;

    private SyncPolicy(Kind kind, Duration interval) {
        this.kind = kind;
        this.interval = interval;
    }

    /**
     * msync at the first batch end at least {@code interval} after the previous msync.
     *
     * @throws IllegalArgumentException when {@code interval} is null, zero or negative, or longer
     *                                  than {@link Long#MAX_VALUE} nanoseconds (the clock's range)
     */
    public static SyncPolicy interval(Duration interval) {
        if (interval == null || interval.isZero() || interval.isNegative()) {
            throw new IllegalArgumentException("sync interval must be > 0, was " + interval
                                               + ": use SyncPolicy.PER_BATCH to sync every batch, or SyncPolicy.NONE never to sync");
        }
        if (interval.compareTo(Duration.ofNanos(Long.MAX_VALUE)) > 0) {
            // Each batch end compares nanoseconds: a longer interval would fail the journal's first commit.
            throw new IllegalArgumentException("sync interval must be at most " + Long.MAX_VALUE + " ns (about 292 years), was " + interval
                                               + ": use SyncPolicy.NONE never to sync");
        }
        return new SyncPolicy(Kind.INTERVAL, interval);
    }

    public Kind kind() {
        return kind;
    }

    /** @return the interval of an {@link Kind#INTERVAL} policy, else zero */
    public Duration interval() {
        return interval;
    }

    /** @return whether checkpoints (and some batches) are synced */
    boolean syncs() {
        return kind != Kind.NONE;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SyncPolicy && ((SyncPolicy) o).kind == kind && ((SyncPolicy) o).interval.equals(interval);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, interval);
    }

    @Override
    public String toString() {
        return kind == Kind.INTERVAL ? "INTERVAL(" + interval + ")" : kind.name();
    }
}
