package io.epochring.kv.cli;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How the RocksDB peer makes its puts as durable as the EpochRing run it is compared with, and
 * when a put syncs the write-ahead log. The matches:
 * <ul>
 *   <li>no journal: WAL disabled. Both keep unflushed writes in memory only (EpochRing's delta,
 *       RocksDB's memtable).</li>
 *   <li>{@code --sync none}: WAL on, never synced. Both survive a process crash, not a machine
 *       crash (the journal's pages and the WAL's writes sit in the page cache).</li>
 *   <li>{@code --sync batch}: WAL on, and every {@code N}-th put of each producer synced with
 *       {@code setSync(true)}, where {@code N} is how many writes the EpochRing run put in the
 *       journal per msync. The ring batch is a group commit whose size the load decides, so the
 *       match is the group size EpochRing reached on this machine: both then pay about as many
 *       syncs. A put syncs the WAL, rather than a {@code WriteBatch} of {@code N} puts being
 *       committed synced, because a put is then visible when it returns, as an EpochRing write is
 *       applied on its own; a batch would hide its puts until its last one.</li>
 *   <li>{@code --sync interval}: WAL on, and the first put after the interval has passed since the
 *       last sync synced, as the journal syncs at the first batch end after the interval.</li>
 * </ul>
 * A run that syncs ends with one more WAL sync, so its last puts are synced too, as the EpochRing
 * run's last batch is. Thread-safe: producers ask {@link #syncNow} concurrently.
 */
final class RocksDbDurability {

    private enum Kind { NO_WAL, WAL, SYNC_EVERY, SYNC_INTERVAL }

    private final Kind kind;
    private final long every;
    private final Duration interval;
    private final AtomicLong lastSync = new AtomicLong(System.nanoTime());

    private RocksDbDurability(Kind kind, long every, Duration interval) {
        this.kind = kind;
        this.every = every;
        this.interval = interval;
    }

    /**
     * @param config         the EpochRing run's options
     * @param journalAppends the writes the EpochRing run put in its journal
     * @param journalSyncs   the msyncs it made of them
     */
    static RocksDbDurability matching(DemoWorkload.Config config, long journalAppends, long journalSyncs) {
        if (!config.journal()) {
            return new RocksDbDurability(Kind.NO_WAL, 0, Duration.ZERO);
        }
        return switch (config.sync()) {
            case NONE -> new RocksDbDurability(Kind.WAL, 0, Duration.ZERO);
            case BATCH -> new RocksDbDurability(Kind.SYNC_EVERY, writesPerSync(journalAppends, journalSyncs, config.writesPerProducer()),
                                                Duration.ZERO);
            case INTERVAL -> new RocksDbDurability(Kind.SYNC_INTERVAL, 0, config.syncInterval());
        };
    }

    /** @return the mean writes per msync, rounded, at least 1; all of a producer's writes when there was no msync */
    static long writesPerSync(long appends, long syncs, long writesPerProducer) {
        return syncs <= 0 ? writesPerProducer : Math.max(1, Math.round((double) appends / syncs));
    }

    /** @return whether puts go through the WAL */
    boolean wal() {
        return kind != Kind.NO_WAL;
    }

    /** @return whether the WAL is ever synced: then the run ends with a sync */
    boolean syncs() {
        return kind == Kind.SYNC_EVERY || kind == Kind.SYNC_INTERVAL;
    }

    /** @return how many of a producer's puts make one sync under {@code --sync batch}, 0 otherwise */
    long every() {
        return every;
    }

    /** @return whether a producer's put number {@code index} (from 0) syncs the WAL */
    boolean syncNow(int index) {
        return switch (kind) {
            case SYNC_EVERY -> (index + 1) % every == 0;
            case SYNC_INTERVAL -> intervalPassed();
            default -> false;
        };
    }

    private boolean intervalPassed() {
        long last = lastSync.get();
        long now = System.nanoTime();
        // One producer wins the interval; the others carry on without a sync, as one journal msync covers all.
        return now - last >= interval.toNanos() && lastSync.compareAndSet(last, now);
    }

    /** @return the write options, in words, for the output */
    String describe() {
        return switch (kind) {
            case NO_WAL -> "WAL disabled (setDisableWAL(true))";
            case WAL -> "WAL on, never synced (setSync(false))";
            case SYNC_EVERY -> "WAL on, synced by every " + ordinal(every) + "put of each producer (setSync(true)), and once at the end";
            case SYNC_INTERVAL -> "WAL on, synced (setSync(true)) by the first put " + Format.duration(interval)
                                  + " or more after the last sync, and once at the end";
        };
    }

    /** @return why these options match the EpochRing run's durability, for the output */
    String why() {
        return switch (kind) {
            case NO_WAL -> "as EpochRing without a journal: unflushed puts live in memory only (the memtable, the delta)";
            case WAL -> "as the journal under --sync none: both survive a process crash, not a machine crash";
            case SYNC_EVERY -> "a ring batch is a group commit whose size the load decides, so N is the size EpochRing reached in"
                               + " this run (its writes per journal msync): both make about as many syncs. Syncing puts rather than"
                               + " committing a synced WriteBatch of N puts: a put is then visible when it returns, as an EpochRing"
                               + " write is once applied, where a batch would hide its puts until its last one";
            case SYNC_INTERVAL -> "as the journal under --sync interval, which syncs at the first ring batch end after its interval";
        };
    }

    /** @return the durability in a few words, for the comparison's table */
    String label() {
        return switch (kind) {
            case NO_WAL -> "WAL disabled";
            case WAL -> "WAL, never synced";
            case SYNC_EVERY -> "WAL synced by every " + ordinal(every) + "put of each producer";
            case SYNC_INTERVAL -> "WAL synced every " + Format.duration(interval);
        };
    }

    /** @return "1,234th " (with the space), or nothing for 1: "every put" */
    private static String ordinal(long n) {
        if (n == 1) {
            return "";
        }
        long lastTwo = n % 100;
        String suffix = lastTwo >= 11 && lastTwo <= 13 ? "th" : switch ((int) (n % 10)) {
            case 1 -> "st";
            case 2 -> "nd";
            case 3 -> "rd";
            default -> "th";
        };
        return Format.count(n) + suffix + " ";
    }
}
