package io.epochring.journal;

import net.openhft.chronicle.core.time.SystemTimeProvider;
import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Configures a {@link ChronicleJournal}. Setters only record; {@link #build()} checks every field,
 * naming the first bad one, then opens the directory for writing.
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><td>sync policy</td><td>{@link SyncPolicy#NONE} (survives a process crash)</td></tr>
 *   <tr><td>roll cycle</td><td>{@link RollCycles#FAST_HOURLY}: one file per hour, up to 2^32 records each
 *       (about 1.2 million a second sustained for the hour; pick a larger cycle, e.g.
 *       {@code LargeRollCycles.LARGE_DAILY}, for more)</td></tr>
 *   <tr><td>retention</td><td>off: every file is kept; {@link #retainFiles(int)} turns it on</td></tr>
 *   <tr><td>time</td><td>the system clock ({@link SystemTimeProvider})</td></tr>
 * </table>
 *
 * <p>An existing journal keeps the roll cycle it was created with: without {@link #rollCycle}, the
 * journal opens with it; with a different one, Chronicle warns and keeps the existing one.
 */
public final class ChronicleJournalBuilder {

    static {
        ChronicleSetup.apply();
    }

    final Path directory;
    SyncPolicy syncPolicy = SyncPolicy.NONE;
    RollCycle rollCycle = RollCycles.FAST_HOURLY;
    boolean rollCycleSet;
    boolean retention;
    int retainFiles;
    TimeProvider timeProvider = SystemTimeProvider.INSTANCE;
    boolean adoptCodec;

    ChronicleJournalBuilder(Path directory) {
        this.directory = directory;
    }

    /** When to force appended records to disk; see {@link SyncPolicy}. */
    public ChronicleJournalBuilder syncPolicy(SyncPolicy syncPolicy) {
        this.syncPolicy = syncPolicy;
        return this;
    }

    /** How often a new file starts (Chronicle's {@link RollCycles}, or {@code LargeRollCycles}); also the unit of retention. */
    public ChronicleJournalBuilder rollCycle(RollCycle rollCycle) {
        this.rollCycle = rollCycle;
        this.rollCycleSet = true;
        return this;
    }

    /**
     * Turns retention on: after each checkpoint, files holding only writes at or below the durable
     * epoch are deleted (each deletion logged to {@code retention-audit.jsonl}), except the newest
     * {@code keepNewest} files, which are always kept.
     *
     * @param keepNewest at least 1: the newest file is where appends go
     */
    public ChronicleJournalBuilder retainFiles(int keepNewest) {
        this.retention = true;
        this.retainFiles = keepNewest;
        return this;
    }

    /** Turns retention off (the default): no file is ever deleted. */
    public ChronicleJournalBuilder retainAll() {
        this.retention = false;
        this.retainFiles = 0;
        return this;
    }

    /**
     * The clock for roll cycles, the sync interval and audit times. Tests pass Chronicle's
     * {@code SetTimeProvider} to roll files on demand.
     */
    public ChronicleJournalBuilder timeProvider(TimeProvider timeProvider) {
        this.timeProvider = timeProvider;
        return this;
    }

    /**
     * Accepts a journal that holds records but names no codec (its codec identity file was deleted,
     * or it was written before journals recorded their codec): the codec the coordinator binds is
     * recorded as the one that wrote it, before the next record. Only for a journal you know that
     * codec wrote: another codec's bytes may decode into wrong writes. Without it such a journal is
     * refused with an {@link io.epochring.CodecMismatchException}.
     */
    public ChronicleJournalBuilder adoptCodec() {
        this.adoptCodec = true;
        return this;
    }

    /**
     * Checks the configuration, creates the directory if needed, takes the single-writer lock and
     * opens the journal. Nothing is read or written until the coordinator recovers and appends:
     * recovery checks every file's structure and reads through a read-only queue, and the files
     * are opened for writing by the first append or checkpoint.
     *
     * @throws IllegalArgumentException naming the first bad field
     * @throws JournalLockedException   when another writer holds the directory
     * @throws UncheckedIOException     when the directory cannot be created or locked
     * @throws io.epochring.EpochRingException when the JVM lacks the flags in {@code jvm.options}, naming them
     */
    public ChronicleJournal build() {
        ChronicleAccess.check();
        require(directory != null, "directory must not be null");
        require(syncPolicy != null, "syncPolicy must not be null: use SyncPolicy.NONE, PER_BATCH or interval(d)");
        require(rollCycle != null, "rollCycle must not be null: use one of Chronicle's RollCycles, e.g. RollCycles.FAST_HOURLY");
        require(timeProvider != null, "timeProvider must not be null");
        require(!retention || retainFiles >= 1, "retainFiles must be >= 1, was " + retainFiles
                                  + ": the newest file is where appends go (use retainAll() to keep every file)");
        require(!Files.exists(directory) || Files.isDirectory(directory),
                "directory " + directory + " is a file: give the journal a directory of its own");
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("could not create journal directory " + directory + " (" + e
                                           + "): check the path and its permissions", e);
        }
        require(Files.isWritable(directory), "directory " + directory + " is not writable: fix its permissions");
        return ChronicleJournal.open(this);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("bad ChronicleJournal configuration: " + message);
        }
    }
}
