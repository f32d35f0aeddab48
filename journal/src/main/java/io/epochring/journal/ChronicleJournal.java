package io.epochring.journal;

import io.epochring.EpochRingException;
import io.epochring.Journal;
import io.epochring.JournalCorruptedException;
import io.epochring.Journal.RecordedEnd;
import net.openhft.chronicle.bytes.SyncMode;
import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueStore;
import net.openhft.chronicle.queue.impl.single.TableStoreWriteLock;
import net.openhft.chronicle.threads.BusyTimedPauser;
import org.agrona.DirectBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The {@link Journal} of an {@code EpochRing}, on Chronicle Queue: one memory-mapped, append-only
 * directory of roll-cycle files holding a record per write (accepted or rejected by the delta) and
 * a record per durability checkpoint (format in {@code package-info}).
 *
 * <pre>{@code
 * ChronicleJournal journal = ChronicleJournal.builder(Path.of("data/journal"))
 *     .syncPolicy(SyncPolicy.PER_BATCH).retainFiles(3).build();
 * EpochRing<Put, Long, View, Snap> ring = EpochRing.builder(delta, flusher)
 *     .journal(journal, codec).build().start();   // recovers from the journal, then runs
 * }</pre>
 *
 * <p>Guarantees: a record is all-or-nothing (a crash mid-append leaves no partial record);
 * payloads come back byte for byte; replay never skips a record silently: a damaged record, file
 * or chain of writes is a {@link JournalCorruptedException} naming the file, record and epoch.
 * One writer per directory ({@link JournalLockedException} for a second); {@link JournalInspector}
 * may read alongside.
 *
 * <p>Codec: the journal records which codec encoded its payloads ({@link CodecIdentity}, in
 * {@code epochring-codec.id}, written before the first record) and refuses, at
 * {@link #bindCodec}, a coordinator whose codec has another name or version, so another codec's
 * bytes are never replayed as writes.
 *
 * <p>A full disk: disk blocks are reserved ahead of the records ({@link SpaceReserver}), so the disk
 * running out fails the append or checkpoint whose record does not fit, with an {@link IOException}
 * as the cause, before any of that record is written; every record before it is complete.
 *
 * <p>Record size: a payload may be at most {@link #maxPayloadLength()} bytes (16,711,653 with
 * Chronicle's default 64 MiB block); the coordinator refuses a longer write before it reaches the
 * journal, and {@link #append} refuses one with an {@link IllegalArgumentException} before writing
 * anything, leaving the journal usable.
 *
 * <p>Fail-stop: once an append, commit or checkpoint has failed, this object refuses every later
 * one with a {@link JournalWriteFailedException} whose cause is that first failure: after a failure
 * inside Chronicle (an {@link InternalError} from the mapped file on an I/O error, say) the record
 * being written may be incomplete and Chronicle's appender may still be inside it. {@link #close()}
 * still releases the files and the lock; opening the directory again recovers up to the last
 * complete record.
 *
 * <p>Reading and writing: recovery ({@link #lastCheckpoint}, {@link #lastEpoch}, {@link #replay})
 * first checks the structure of every file in the directory ({@code JournalVerifier}, the same
 * check {@link JournalInspector} runs) and then reads through a read-only Chronicle queue. The
 * writable queue, its pre-created files, the checkpoint hint and the end marker are opened by the
 * first append, checkpoint or accepted loss, so a journal that fails recovery is left byte for
 * byte as it was found (only
 * {@code epochring-writer.lock}, the single-writer lock taken by {@code build()}, names its
 * latest holder), and this object never writes to it.
 *
 * <p>Threads, as the coordinator uses it: {@link #append} and {@link #commit} on the ring's journal
 * thread, {@link #checkpoint} on the flush thread (each gets its own Chronicle appender, created
 * on first use, because appenders are bound to their thread), everything else on the thread that
 * starts or stops the coordinator.
 *
 * <p>Design note (commit): every record is its own Chronicle document, so it is readable once
 * appended and {@link #commit} only applies the sync policy. One document per batch would save a
 * lock per record but make the flush thread's checkpoints wait for whole batches, and one damaged
 * document would take a batch of records with it.
 *
 * <p>Design note (one reader verdict): Chronicle finds a record by number through its index, and
 * recovery navigates by number (the hinted checkpoint, a binary search for the first write to
 * replay, the last record), while {@link JournalInspector#summary()} reads every record in order
 * and never uses the index. So damage to the index, a file header or a file's length used to be
 * seen only by recovery, as a {@link NullPointerException} from Chronicle's reader at "record 0",
 * or as a wait for a header that never came. Both readers now run one structural check of every
 * file before Chronicle maps any of it (header, end of file, every index entry; a read per indexed
 * record, not a read of the data), and report its findings in the same words. Records are then
 * verified as they are read: inspection reads them all, recovery those it needs (the hinted
 * checkpoint, the end, and everything it replays); damage to a record below the checkpoint, which
 * cannot change what recovery rebuilds, is reported by inspection alone. Should Chronicle still
 * fail while recovery navigates by index, recovery reads forward from the start instead, as
 * inspection does, so the error names the first damaged record.
 */
public final class ChronicleJournal implements Journal {

    static {
        ChronicleSetup.apply();
    }

    private final Path directory;
    /** Retention keeps every file holding a write above this (set by the coordinator with each checkpoint). */
    private long retentionFloor = Long.MAX_VALUE;
    private final SyncPolicy syncPolicy;
    private final TimeProvider time;
    private final RollCycle rollCycle;
    /** Whether the roll cycle was chosen, or is the default that an existing journal's own replaces. */
    private final boolean rollCycleSet;
    /** Files to keep with retention on; 0 when it is off. */
    private final int retainFiles;
    /** Appended to the name of a header-less newest cycle file that is not all zeros, when it is moved aside. */
    static final String SET_ASIDE_SUFFIX = ".unfinished";

    private final WriterLock lock;
    private final CodecBinding codec;
    private final int maxPayloadLength;

    // ---- recovery: read-only --------------------------------------------------------------
    /** Recovery's read-only queue: opened by the first read, closed when writing begins. Guarded by this. */
    private SingleChronicleQueue recoveryQueue;
    /** Whether the directory held no cycle file when recovery looked: a new journal. */
    private boolean noFilesAtRecovery;
    private volatile JournalTail tail;
    /** The first failure of recovery's reading; once set, this object never opens the journal for writing. */
    private volatile RuntimeException recoveryFault;

    // ---- writing: opened by the first append or checkpoint --------------------------------
    private volatile WriteSide writeSide;

    private volatile boolean closed;
    /** The first failure of an append, commit or checkpoint; once set, every later one is refused. */
    private final AtomicReference<Throwable> writeFault = new AtomicReference<>();

    // ---- journal thread ----
    private ExcerptAppender writeAppender;
    private RecordWriter writeRecords;
    private final AppenderSync writeSync = new AppenderSync();
    private long lastWriteEpoch = -1;
    private long markedEpoch = -1;
    /** The write side's end marker, held by the journal thread so that a commit reads no volatile field. */
    private EndMarker commitMarker;
    private long appends;
    private long commits;
    private long syncs;
    private long lastSyncNanos;
    private boolean unsynced;

    // ---- checkpointing thread (the flush thread) ----
    private final Object checkpointLock = new Object();
    private ExcerptAppender checkpointAppender;
    private Thread checkpointThread;
    private RecordWriter checkpointRecords;
    private final AppenderSync checkpointSync = new AppenderSync();
    private volatile Checkpoint lastCheckpoint;
    private int lastCheckpointCycle = Integer.MIN_VALUE;

    // ---- published counters (written by one thread each, read by any) ----
    private volatile long publishedAppends;
    private volatile long publishedCommits;
    private volatile long publishedSyncs;
    private volatile long syncedEpoch;
    private volatile long checkpoints;
    private volatile long checkpointSyncs;
    private volatile long syncedCheckpoint;
    private volatile long filesDeleted;
    private volatile String lastRetentionError;

    /**
     * What writing needs, opened together once recovery has read the journal.
     *
     * @param retention null when retention is off
     */
    private record WriteSide(SingleChronicleQueue queue, CheckpointHint hint, EndMarker endMarker, SpaceReserver space,
                             RetentionSweeper retention) {
    }

    private ChronicleJournal(ChronicleJournalBuilder config, WriterLock lock) {
        this.directory = config.directory;
        this.syncPolicy = config.syncPolicy;
        this.time = config.timeProvider;
        this.rollCycle = config.rollCycle;
        this.rollCycleSet = config.rollCycleSet;
        this.retainFiles = config.retention ? config.retainFiles : 0;
        this.lock = lock;
        this.codec = new CodecBinding(directory, config.adoptCodec);
        // The queue is opened later (read-only for recovery, then for writing); both use Chronicle's default block size.
        this.maxPayloadLength = maxPayloadLength(overlapSize(SingleChronicleQueueBuilder.binary(directory).blockSize()));
    }

    /** @return a builder for a journal in {@code directory} (created if missing) */
    public static ChronicleJournalBuilder builder(Path directory) {
        return new ChronicleJournalBuilder(directory);
    }

    /**
     * A builder configured from properties; later calls on it override them. Keys under
     * {@code journal.} must all be known; keys under other prefixes are ignored. Every value is
     * checked before the builder is made.
     *
     * <table>
     *   <caption>Keys</caption>
     *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
     *   <tr><td>{@code journal.dir}</td><td>(required)</td><td>the journal's directory, created if missing</td></tr>
     *   <tr><td>{@code journal.sync}</td><td>none</td><td>when appends are forced to disk (cf. Kafka's
     *       {@code flush.messages}, RocksDB's {@code sync}): {@code none}, {@code batch} (every ring batch),
     *       {@code interval} (with {@code journal.sync.interval}) or {@code interval:<duration>}; see
     *       {@link SyncPolicy}</td></tr>
     *   <tr><td>{@code journal.sync.interval}</td><td>-</td><td>the interval of {@code journal.sync=interval};
     *       a plain number is milliseconds</td></tr>
     *   <tr><td>{@code journal.roll.cycle}</td><td>FAST_HOURLY</td><td>a name from Chronicle's {@code RollCycles}
     *       or {@code LargeRollCycles}, e.g. {@code FAST_DAILY}, {@code LARGE_DAILY}</td></tr>
     *   <tr><td>{@code journal.retain.files}</td><td>0</td><td>keep at least this many newest files and delete
     *       older ones below the durable checkpoint; 0 keeps every file</td></tr>
     *   <tr><td>{@code journal.adopt-codec}</td><td>false</td><td>see
     *       {@link ChronicleJournalBuilder#adoptCodec()}</td></tr>
     * </table>
     *
     * @throws IllegalArgumentException naming the key, the value and what is allowed
     */
    public static ChronicleJournalBuilder fromProperties(Map<String, String> properties) {
        return JournalProperties.builder(properties);
    }

    /** A builder configured from {@link Properties} (their defaults included); see {@link #fromProperties(Map)}. */
    public static ChronicleJournalBuilder fromProperties(Properties properties) {
        return JournalProperties.builder(io.epochring.PropertyReader.toMap(properties));
    }

    static ChronicleJournal open(ChronicleJournalBuilder config) {
        WriterLock lock;
        try {
            lock = WriterLock.acquire(config.directory);
        } catch (IOException e) {
            throw new UncheckedIOException("could not lock journal directory " + config.directory + " for writing (" + e
                                           + "): check that it is on a local file system and writable", e);
        }
        // Only the lock: the files are read when the coordinator recovers, and opened for writing after that.
        return new ChronicleJournal(config, lock);
    }

    /** Builds a queue on the directory: read-only for recovery, writable once recovery has read the journal. */
    private SingleChronicleQueue buildQueue(boolean readOnly) {
        try {
            RollCycle existing = rollCycleSet ? null : RollCycleNames.of(directory);
            SingleChronicleQueueBuilder builder = SingleChronicleQueueBuilder.binary(directory)
                .rollCycle(existing != null ? existing : rollCycle)
                .timeProvider(time)
                .readOnly(readOnly);
            if (readOnly) {
                builder.timeoutMS(ChronicleSetup.READER_HEADER_WAIT_MS); // the lock is ours: no writer will complete a header
            } else if (syncPolicy.syncs()) {
                builder.syncMode(SyncMode.SYNC); // without it Chronicle's sync() is an async hint
            }
            return builder.build();
        } catch (RuntimeException e) {
            throw new EpochRingException("could not open journal directory " + directory + " with Chronicle Queue"
                                         + (readOnly ? " for reading" : " for writing") + " (" + e
                                         + "): if it holds files that are not a journal, give the journal a directory of its own", e);
        }
    }

    public Path directory() {
        return directory;
    }

    public SyncPolicy syncPolicy() {
        return syncPolicy;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Chronicle bounds each document by the queue's overlap size: its appender opens a document
     * with the write limit set that many bytes past the document's header, and a longer document
     * fails inside Chronicle with a buffer overflow. The overlap size is a quarter of the
     * memory-mapped block (Chronicle's default block is 64 MiB on a 64-bit JVM, so 16 MiB). A record
     * adds its header, its channel name and its checksum to the payload; the limit allows for the
     * longest channel name the format stores, so it holds on every channel.
     */
    @Override
    public int maxPayloadLength() {
        return maxPayloadLength;
    }

    /** @return the overlap size Chronicle's queue derives from its block size: the most one document may take */
    static long overlapSize(long blockSize) {
        if (blockSize < 64 << 10) {
            return blockSize;
        }
        if (blockSize < 256 << 10) {
            return 64 << 10;
        }
        return blockSize < 4L << 30 ? blockSize / 4 : 1L << 30;
    }

    /** @return the longest payload a record can carry in a document of at most {@code documentLimit} bytes */
    static int maxPayloadLength(long documentLimit) {
        long overhead = RecordFormat.HEADER_LENGTH + RecordFormat.MAX_CHANNEL_BYTES + RecordFormat.CHECKSUM_LENGTH;
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE - overhead, documentLimit - overhead));
    }

    // ---- recovery (the starting thread) -------------------------------------------------------

    /**
     * {@inheritDoc}
     *
     * <p>Reads the codec recorded in {@code epochring-codec.id} and writes nothing: a new
     * journal records the codec just before its first record. A journal holding records with no
     * identity file is refused unless built with {@link ChronicleJournalBuilder#adoptCodec()}. A
     * journal used without binding a codec records none, and a coordinator then refuses it.
     *
     * @throws IllegalArgumentException when the name cannot be recorded (see {@link CodecIdentity})
     * @throws io.epochring.JournalCorruptedException when the identity file is damaged
     */
    @Override
    public void bindCodec(String name, int version) {
        requireOpen();
        codec.bind(new CodecIdentity(name, version), this::lastEpoch);
    }

    @Override
    public Checkpoint lastCheckpoint() {
        Checkpoint written = lastCheckpoint;
        return written != null ? written : tail().checkpoint();
    }

    @Override
    public long lastEpoch() {
        Checkpoint written = lastCheckpoint;
        return Math.max(Math.max(tail().lastEpoch(), lastWriteEpoch), written == null ? 0 : written.writtenEpoch());
    }

    /**
     * {@inheritDoc}
     *
     * <p>Rejected writes go to {@link ReplayHandler#onRejected}, in their place in epoch order, and
     * are not counted in the result.
     */
    @Override
    public long replay(long afterEpoch, ReplayHandler handler) {
        requireOpen();
        try {
            return replayRecords(afterEpoch, handler);
        } catch (RuntimeException | Error e) {
            recoveryFailed(e);
            throw e;
        }
    }

    private long replayRecords(long afterEpoch, ReplayHandler handler) {
        long newestCheckpoint = lastCheckpoint().durableEpoch();
        SingleChronicleQueue queue = reading();
        if (queue == null) {
            return 0;
        }
        try (JournalCursor cursor = new JournalCursor(queue)) {
            try {
                cursor.seekAfter(afterEpoch);
            } catch (JournalCorruptedException e) {
                // Chronicle failed finding the place by its index: read from the start, checking every
                // record on the way, so that an error names the first damaged record.
                cursor.toStart();
            }
            Replayer replayer = new Replayer(cursor, afterEpoch, newestCheckpoint, handler);
            // Most records are read in place after the document Chronicle opens, not each through its own document.
            cursor.readsRuns = true;
            // Each record is handed over while its document is open: its payload may lie in the mapped file.
            while (cursor.next(replayer)) {
                // the replayer did the work
            }
            return replayer.replayed;
        }
    }

    /** Hands each write above {@code afterEpoch} to the handler, inside its document (see {@link JournalCursor.RecordVisitor}). */
    private final class Replayer implements JournalCursor.RecordVisitor {
        private final JournalCursor cursor;
        private final long afterEpoch;
        private final long newestCheckpoint;
        private final ReplayHandler handler;
        long replayed;

        Replayer(JournalCursor cursor, long afterEpoch, long newestCheckpoint, ReplayHandler handler) {
            this.cursor = cursor;
            this.afterEpoch = afterEpoch;
            this.newestCheckpoint = newestCheckpoint;
            this.handler = handler;
        }

        @Override
        public void visit(RecordReader record) {
            if (record.isCheckpoint() && record.epoch > newestCheckpoint) {
                throw staleCheckpointHint(cursor, newestCheckpoint);
            }
            if (!record.isWrite() || record.isLost() || record.epoch <= afterEpoch) {
                return;
            }
            if (record.isRejected()) {
                try {
                    handler.onRejected(record.epoch, record.channel);
                } catch (JournalCorruptedException e) {
                    throw new JournalCorruptedException(e.getMessage() + " - at " + cursor.where() + " (a rejected write)."
                                                        + " Nothing after this record was replayed", e);
                }
                return;
            }
            try {
                handler.onWrite(record.epoch, record.channel, record.payload, record.payloadOffset, record.payloadLength);
            } catch (JournalCorruptedException e) {
                // Typically the codec could not decode the payload: say where the record is.
                throw new JournalCorruptedException(e.getMessage() + " - at " + cursor.where() + ". Nothing after this record"
                                                    + " was replayed: check that the coordinator uses the codec that wrote the journal", e);
            }
            replayed++;
        }
    }

    /**
     * Replay met a checkpoint newer than the one recovery started from: the writes up to it were
     * already durable, and some have just been replayed into the delta. Only a damaged hint file
     * gets here. Recovery changes no file, so the hint stays as it is: the user moves it aside, and
     * without one the next recovery reads forward and finds the newest checkpoint itself.
     */
    private JournalCorruptedException staleCheckpointHint(JournalCursor cursor, long expectedDurable) {
        return new JournalCorruptedException(
            "journal " + directory + " has a checkpoint (durable epoch " + cursor.record.epoch + ", at " + cursor.where()
            + ") newer than the one recovery started from (durable epoch " + expectedDurable + "): its " + CheckpointHint.FILE_NAME
            + " was damaged, and writes that storage already holds were replayed into the delta. Discard that delta and this"
            + " journal instance: move " + directory.resolve(CheckpointHint.FILE_NAME) + " out of the journal directory, then start"
            + " again with a fresh delta and a newly opened journal, which without the hint reads the journal forward to find the"
            + " newest checkpoint");
    }

    /** The end of the journal as recovery found it (located once, on first use). */
    JournalTail tail() {
        JournalTail t = tail;
        if (t == null) {
            synchronized (this) {
                t = tail;
                if (t == null) {
                    try {
                        SingleChronicleQueue queue = reading();
                        t = queue == null ? JournalTail.NONE : JournalTail.locate(queue, CheckpointHint.read(directory));
                    } catch (RuntimeException | Error e) {
                        recoveryFailed(e);
                        throw e;
                    }
                    tail = t;
                }
            }
        }
        return t;
    }

    /**
     * The queue to read records through: recovery's read-only queue, opened after every file's
     * structure checked out, until writing begins; then the writable one.
     *
     * @return null when the directory holds no cycle file (a new journal: nothing to read)
     * @throws JournalCorruptedException naming the first damaged file, record and byte offset
     */
    private synchronized SingleChronicleQueue reading() {
        requireOpen();
        WriteSide writing = writeSide;
        if (writing != null) {
            return writing.queue();
        }
        if (recoveryQueue == null) {
            replaceMetadataIfNeverWritten();
            JournalVerifier.verify(directory);
            noFilesAtRecovery = JournalVerifier.hasNoCycleFiles(directory);
            if (noFilesAtRecovery) {
                return null;
            }
            recoveryQueue = buildQueue(true);
        }
        return recoveryQueue;
    }

    /** A writer killed while creating the journal leaves Chronicle's metadata file all zeros: this writer replaces it. */
    private void replaceMetadataIfNeverWritten() {
        try {
            if (MetadataFileVerifier.replaceIfNeverWritten(directory)) {
                JournalLog.LOGGER.log(System.Logger.Level.WARNING, "journal " + directory + ": Chronicle Queue's "
                        + MetadataFileVerifier.FILE_NAME + " held only zeros (as a writer killed while creating the journal leaves it); "
                        + "it held no records or settings and was deleted, Chronicle Queue writes a new one");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not read or delete the never-written " + MetadataFileVerifier.FILE_NAME + " of journal "
                                           + directory + " (" + e + "): check the directory's permissions", e);
        }
    }

    private void recoveryFailed(Throwable failure) {
        if (recoveryFault == null) {
            recoveryFault = failure instanceof RuntimeException runtime ? runtime : new EpochRingException(failure.toString(), failure);
        }
    }

    /**
     * Opens the journal for writing, on the first append, checkpoint or accepted loss: the writable
     * queue (which may extend, create and rename files), the pre-created next file, the checkpoint
     * hint and the end marker. Recovery's reading must have succeeded first; after a failed one
     * this object never writes.
     */
    private WriteSide writing() {
        WriteSide side = writeSide;
        return side != null ? side : openWriting();
    }

    private synchronized WriteSide openWriting() {
        requireOpen();
        if (writeSide != null) {
            return writeSide;
        }
        RuntimeException fault = recoveryFault;
        if (fault != null) {
            throw new IllegalStateException("journal " + directory + " will not be written: recovery could not read it (" + fault.getMessage()
                                            + "). Close this journal; open a new one once the journal directory is repaired", fault);
        }
        tail(); // the end as it is before anything is written
        removeUnfinishedNewestFile();
        SingleChronicleQueue queue = buildQueue(false);
        CheckpointHint hint = null;
        try {
            hint = CheckpointHint.openForWriting(directory, syncPolicy.syncs(), noFilesAtRecovery);
            EndMarker marker = EndMarker.openForWriting(directory, lastEpoch(), lastCheckpoint().durableEpoch());
            RetentionSweeper retention = retainFiles > 0 ? new RetentionSweeper(queue, directory, retainFiles, time) : null;
            writeSide = new WriteSide(queue, hint, marker, new SpaceReserver(queue, directory), retention);
        } catch (RuntimeException | Error e) {
            if (hint != null) {
                hint.close();
            }
            queue.close();
            throw e;
        }
        closeRecoveryQueue();
        return writeSide;
    }

    /**
     * Removes the newest cycle file when it has no header: Chronicle creates a cycle file at its full
     * size and writes the header next, so a writer killed in between leaves a file of zeros (or a
     * header word still marked incomplete) that holds no record. Chronicle's writer would wait for
     * that header for its timeout (10 s), holding its write lock, in each new appender and again when
     * it seals the file, and then fail the append; meanwhile this journal's other appending thread
     * (the flush thread's checkpoints beside the journal thread's writes) gives up on the lock after
     * 15 s, with the lock "held by current process". The writer lock says no other process is
     * creating that file, and recovery has read everything before it, so it can go: deleted when
     * nothing but zeros follows its header word, else moved aside under a name Chronicle ignores
     * ({@value #SET_ASIDE_SUFFIX}), since one flipped bit in a header word in front of records would
     * read the same way, and those bytes are kept for diagnosis.
     */
    private void removeUnfinishedNewestFile() {
        Optional<Path> unfinished = JournalVerifier.unfinishedNewestFile(directory);
        if (unfinished.isEmpty()) {
            return;
        }
        Path file = unfinished.get();
        try {
            if (CycleFileVerifier.isBlankAfterHeaderWord(file)) {
                Files.delete(file);
                JournalLog.LOGGER.log(Level.WARNING, () -> "journal " + directory + ": deleted " + file.getFileName() + ", a cycle file"
                                                           + " with no header and nothing else (a writer was killed while creating it),"
                                                           + " before writing");
            } else {
                Path aside = file.resolveSibling(file.getFileName() + SET_ASIDE_SUFFIX);
                Files.move(file, aside);
                JournalLog.LOGGER.log(Level.WARNING, () -> "journal " + directory + ": moved " + file.getFileName() + " to "
                                                           + aside.getFileName() + " before writing: its header was never completed, so"
                                                           + " Chronicle reads no record in it, but it is not all zeros; kept for diagnosis");
            }
        } catch (IOException e) {
            // Chronicle's writer then waits out the header and may fail the first write, which reports itself.
            JournalLog.LOGGER.log(Level.WARNING, "journal " + directory + ": could not remove " + file + ", a cycle file with no header"
                                                 + " left by a writer killed while creating it (" + e + "); the first write may wait"
                                                 + " for its header and fail: move it out of the journal directory while no process"
                                                 + " has the journal open", e);
        }
    }

    private synchronized void closeRecoveryQueue() {
        if (recoveryQueue != null) {
            recoveryQueue.close();
            recoveryQueue = null;
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Read from {@value EndMarker#FILE_NAME} in the journal directory; empty when it is missing
     * (a journal written before it existed, or a directory copied without it).
     */
    @Override
    public Optional<RecordedEnd> recordedEnd() {
        requireOpen();
        return EndMarker.read(directory);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Appends a LOST record of the epochs between the last write record and
     * {@code continueAfter} (when there are any), synced under a syncing policy, then resets the
     * end marker to the records. This opens the journal for writing, as an append does.
     *
     * @throws JournalWriteFailedException when the record could not be written, or an earlier write failed
     */
    @Override
    public void acceptLoss(long continueAfter) {
        requireOpen();
        refuseAfterWriteFault();
        long lastWrite = Math.max(lastWriteEpoch, tail().lastWriteEpoch());
        WriteSide side = writing();
        if (continueAfter > lastWrite) {
            recordCodec();
            try {
                side.space().prepare(side.queue().cycle());
                try (ExcerptAppender appender = side.queue().createAppender()) {
                    new RecordWriter(side.space()).lost(appender, continueAfter, lastWrite);
                    if (syncPolicy.syncs()) {
                        new AppenderSync().sync(appender);
                    }
                }
            } catch (IOException e) {
                throw noSpace("the record of the lost epochs " + (lastWrite + 1) + ".." + continueAfter, e);
            } catch (RuntimeException | Error e) {
                throw writeFailed("appending the record of the lost epochs " + (lastWrite + 1) + ".." + continueAfter, e);
            }
            lastWriteEpoch = continueAfter; // the journal thread starts after this: the chain goes on from the LOST record
            JournalLog.LOGGER.log(Level.WARNING, "journal " + directory + ": recorded epochs " + (lastWrite + 1) + ".." + continueAfter
                                                 + " as lost, as asked; new epochs continue after " + continueAfter);
        }
        side.endMarker().reset(lastEpoch(), lastCheckpoint().durableEpoch());
    }

    // ---- the journal thread -----------------------------------------------------------------

    /**
     * Appends one write record; readable at once, forced to disk per the sync policy at
     * {@link #commit()}. Allocates nothing (past the first call per channel name).
     *
     * @throws IllegalArgumentException    when {@code epoch} does not follow the last appended one, or
     *                                     the payload is longer than {@link #maxPayloadLength()}
     * @throws JournalWriteFailedException when the record could not be written, or an earlier write failed
     */
    @Override
    public void append(long epoch, String channel, DirectBuffer payload, int offset, int length) {
        appendWrite(RecordFormat.TYPE_WRITE, epoch, channel, payload, offset, length);
    }

    /**
     * Appends the record of a write that {@code Delta.apply} rejected: like {@link #append}, in the
     * same epoch order and chain of writes, but replayed through {@link ReplayHandler#onRejected}.
     *
     * @throws IllegalArgumentException    when {@code epoch} does not follow the last appended one, or
     *                                     the payload is longer than {@link #maxPayloadLength()}
     * @throws JournalWriteFailedException when the record could not be written, or an earlier write failed
     */
    @Override
    public void appendRejected(long epoch, String channel, DirectBuffer payload, int offset, int length) {
        appendWrite(RecordFormat.TYPE_REJECTED_WRITE, epoch, channel, payload, offset, length);
    }

    private void appendWrite(byte type, long epoch, String channel, DirectBuffer payload, int offset, int length) {
        refuseAfterWriteFault();
        if (writeAppender == null) {
            recordCodec();
            openWriteAppender();
        }
        if (epoch <= lastWriteEpoch) {
            throw new IllegalArgumentException("journal append at epoch " + epoch + " after epoch " + lastWriteEpoch
                                               + ": epochs must increase (is a second coordinator using this journal object?)");
        }
        // Bad arguments are refused before anything is written, so they leave the journal usable.
        byte[] name = writeRecords.channelBytes(channel);
        payload.boundsCheck(offset, length);
        if (length > maxPayloadLength) {
            throw new IllegalArgumentException("journal append at epoch " + epoch + ": the payload is " + length + " bytes; a record of journal "
                                               + directory + " holds at most " + maxPayloadLength + " (Chronicle's document limit"
                                               + " less the record's header, channel name and checksum): make the write smaller");
        }
        try {
            writeRecords.write(writeAppender, type, epoch, lastWriteEpoch, name, payload, offset, length);
        } catch (IOException e) {
            throw noSpace("the record of the write at epoch " + epoch, e);
        } catch (RuntimeException | Error e) {
            throw writeFailed("appending the record of the write at epoch " + epoch, e);
        }
        lastWriteEpoch = epoch;
        appends++;
        unsynced = true;
    }

    /**
     * Ends a ring batch: applies the sync policy to the records appended since the last one.
     *
     * @throws JournalWriteFailedException when the sync failed, or an earlier write failed
     */
    @Override
    public void commit() {
        refuseAfterWriteFault();
        if (writeAppender == null) {
            return;
        }
        commits++;
        if (unsynced && syncDue()) {
            try {
                writeSync.sync(writeAppender);
            } catch (RuntimeException | Error e) {
                throw writeFailed("syncing the writes up to epoch " + lastWriteEpoch, e);
            }
            syncs++;
            unsynced = false;
            publishedSyncs = syncs;
            syncedEpoch = lastWriteEpoch;
        }
        if (markedEpoch != lastWriteEpoch) {
            commitMarker.committed(lastWriteEpoch); // after the records it covers, and after their sync when one was due
            markedEpoch = lastWriteEpoch;
        }
        publishedAppends = appends;
        publishedCommits = commits;
    }

    private boolean syncDue() {
        switch (syncPolicy.kind()) {
            case PER_BATCH:
                return true;
            case INTERVAL:
                long now = time.currentTimeNanos();
                if (now - lastSyncNanos >= syncPolicy.interval().toNanos()) {
                    lastSyncNanos = now;
                    return true;
                }
                return false;
            default:
                return false;
        }
    }

    private void openWriteAppender() {
        requireOpen();
        lastWriteEpoch = Math.max(lastWriteEpoch, tail().lastWriteEpoch());
        WriteSide side = writing();
        try {
            side.space().prepare(side.queue().cycle());
        } catch (IOException e) {
            throw noSpace("a new journal file", e);
        }
        writeRecords = new RecordWriter(side.space());
        commitMarker = side.endMarker();
        markedEpoch = lastWriteEpoch;
        writeAppender = side.queue().createAppender();
        lastSyncNanos = time.currentTimeNanos();
    }

    // ---- the flush thread -------------------------------------------------------------------

    /**
     * Appends a checkpoint record; under {@link SyncPolicy#PER_BATCH} or an interval it is on disk
     * when this returns. Then, with retention on, deletes files now wholly below
     * {@code durableEpoch}; a retention failure is recorded (see {@link #stats()}) and never fails
     * the checkpoint.
     *
     * @throws IllegalArgumentException    when the epochs are inconsistent or go backwards
     * @throws JournalWriteFailedException when the checkpoint could not be written, or an earlier write failed
     */
    @Override
    public void checkpoint(long durableEpoch, long writtenEpoch) {
        checkpoint(durableEpoch, writtenEpoch, Long.MAX_VALUE);
    }

    /**
     * {@link #checkpoint(long, long)}, with retention keeping every file that holds a write above
     * {@code keepAbove} (a sink that reports its own position and lags still lacks it); the
     * floor also holds for later {@link #applyRetention()} calls until the next checkpoint.
     */
    @Override
    public void checkpoint(long durableEpoch, long writtenEpoch, long keepAbove) {
        synchronized (checkpointLock) {
            requireOpen(); // under the lock: close() takes it too, so the files stay open until this returns
            refuseAfterWriteFault();
            Checkpoint previous = lastCheckpoint();
            if (durableEpoch < 0 || writtenEpoch < durableEpoch || durableEpoch < previous.durableEpoch()) {
                throw new IllegalArgumentException("bad checkpoint (durable " + durableEpoch + ", written " + writtenEpoch
                                                   + ") after " + previous + ": need 0 <= durable <= written, and durable must not go back");
            }
            recordCodec();
            WriteSide side = writing();
            EndMarker marker = side.endMarker();
            long index;
            try {
                ExcerptAppender appender = checkpointAppender(side);
                CheckpointHint hint = side.hint();
                hint.appending();
                checkpointRecords.checkpoint(appender, durableEpoch, writtenEpoch);
                index = appender.lastIndexAppended();
                if (syncPolicy.syncs()) {
                    checkpointSync.sync(appender);
                }
                hint.settled(index);
                marker.checkpointed(durableEpoch);
            } catch (IOException e) {
                throw noSpace("the checkpoint record of durable epoch " + durableEpoch, e);
            } catch (RuntimeException | Error e) {
                throw writeFailed("appending the checkpoint of durable epoch " + durableEpoch, e);
            }
            if (syncPolicy.syncs()) {
                checkpointSyncs++;
                syncedCheckpoint = durableEpoch;
            }
            Checkpoint checkpoint = new Checkpoint(durableEpoch, writtenEpoch);
            lastCheckpoint = checkpoint;
            lastCheckpointCycle = side.queue().rollCycle().toCycle(index);
            checkpoints++;
            retentionFloor = keepAbove;
            if (side.retention() != null) {
                sweep(side.retention(), checkpoint, lastCheckpointCycle);
            }
        }
    }

    private ExcerptAppender checkpointAppender(WriteSide side) throws IOException {
        Thread current = Thread.currentThread();
        if (checkpointAppender == null) {
            side.space().prepare(side.queue().cycle());
            checkpointRecords = new RecordWriter(side.space());
            checkpointAppender = side.queue().createAppender();
        } else if (checkpointThread != current) {
            // Appenders are bound to a thread; calls never overlap (checkpointLock), so hand it over.
            checkpointAppender.singleThreadedCheckReset();
        }
        checkpointThread = current;
        return checkpointAppender;
    }

    /**
     * Deletes the files wholly below the last checkpoint's durable epoch now, as a checkpoint
     * does with retention on (see {@link ChronicleJournalBuilder#retainFiles(int)}). It keeps
     * what the last checkpoint's floor says lagging sinks lack; before this journal object took a
     * checkpoint it knows no sink positions, so call it on a journal that has none, or after the
     * coordinator's first checkpoint.
     *
     * @return the files deleted, oldest first
     * @throws IllegalStateException when retention is off
     */
    public List<Path> applyRetention() {
        requireOpen();
        if (retainFiles == 0) {
            throw new IllegalStateException("retention is off for journal " + directory + ": enable it with builder.retainFiles(n)");
        }
        synchronized (checkpointLock) {
            Checkpoint checkpoint = lastCheckpoint();
            WriteSide side = writing();
            int cycle = lastCheckpointCycle;
            if (cycle == Integer.MIN_VALUE) {
                long index = tail().checkpointIndex();
                if (index < 0) {
                    return List.of();
                }
                cycle = side.queue().rollCycle().toCycle(index);
            }
            return sweep(side.retention(), checkpoint, cycle);
        }
    }

    private List<Path> sweep(RetentionSweeper retention, Checkpoint checkpoint, int checkpointCycle) {
        try {
            List<Path> deleted = retention.sweep(checkpoint, checkpointCycle, retentionFloor);
            filesDeleted += deleted.size();
            if (!deleted.isEmpty()) {
                JournalLog.LOGGER.log(Level.INFO, () -> "journal " + directory + ": retention deleted " + deleted.size() + " file(s) holding"
                                                        + " only epochs at or below the checkpoint's durable epoch " + checkpoint.durableEpoch()
                                                        + ": " + deleted.stream().map(f -> f.getFileName().toString()).toList());
            }
            return deleted;
        } catch (IOException | RuntimeException e) {
            lastRetentionError = "retention after checkpoint " + checkpoint + " failed: " + e;
            JournalLog.LOGGER.log(Level.WARNING, "journal " + directory + ": " + lastRetentionError
                                                 + "; the files stay, and the next checkpoint tries again", e);
            return List.of();
        }
    }

    // ---- any thread -------------------------------------------------------------------------

    /** @return counters since this journal was opened */
    public JournalStats stats() {
        return new JournalStats(publishedAppends, publishedCommits, publishedSyncs, syncedEpoch, checkpoints, checkpointSyncs,
                                syncedCheckpoint, filesDeleted, lastRetentionError);
    }

    /**
     * Closes the files and releases the writer lock, also after a failed write (and then Chronicle's
     * own write lock too, if the failed write left it taken). With a syncing policy, the newest file
     * is forced to disk first (covering an interval policy's unsynced tail). Idempotent.
     */
    @Override
    public void close() {
        synchronized (checkpointLock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        WriteSide side = writeSide;
        try {
            if (side != null && syncPolicy.syncs()) {
                forceNewestFile(side.queue());
            }
        } finally {
            try {
                closeRecoveryQueue();
                if (side != null) {
                    side.hint().close(); // never throws
                    side.endMarker().close();
                    if (writeFault.get() != null) {
                        releaseChronicleWriteLock(side.queue());
                    }
                    side.queue().close();
                    side.space().close(); // never throws
                }
            } finally {
                lock.close();
            }
        }
    }

    /**
     * A write that failed inside Chronicle may have left Chronicle's own write lock (a word in
     * {@code metadata.cq4t} naming this process) taken, and Chronicle frees a lock only when the
     * process holding it is dead: the next journal opened on this directory in this process would
     * wait for it and give up. The writer lock says no other process writes this directory, and
     * close() runs when this journal's appends and checkpoints are over, so a Chronicle lock held by
     * this process is the failed write's.
     */
    private static void releaseChronicleWriteLock(SingleChronicleQueue queue) {
        try (TableStoreWriteLock chronicleLock = new TableStoreWriteLock(queue.metaStore(), BusyTimedPauser::new, 0L)) {
            if (chronicleLock.isLockedByCurrentProcess(otherHolder -> { })) {
                chronicleLock.forceUnlock();
            }
        } catch (RuntimeException e) {
            // Best effort: the next opener then reports the lock itself.
        }
    }

    private static void forceNewestFile(SingleChronicleQueue queue) {
        int cycle = queue.lastCycle();
        if (cycle == Integer.MIN_VALUE || cycle < 0) {
            return;
        }
        SingleChronicleQueueStore store = queue.storeForCycle(cycle, queue.epoch(), false, null);
        if (store != null) {
            try {
                AppenderSync.force(store.file());
            } finally {
                queue.closeStore(store);
            }
        }
    }

    /** A new journal's codec identity goes to disk before its first record, so records never lack one. */
    private void recordCodec() {
        try {
            codec.recordIfPending();
        } catch (UncheckedIOException e) {
            writeFault.compareAndSet(null, e);
            throw new JournalWriteFailedException(directory, e.getMessage() + "; no record was appended", e);
        }
    }

    // ---- fail-stop --------------------------------------------------------------------------

    /**
     * Latches the first write failure and describes this one. Chronicle may have been stopped
     * inside a document (an {@link Error} thrown while it opens one leaves its appender counting that
     * document as open, and the next record would go into it without a header of its own), so
     * nothing may be written through this object again.
     */
    private JournalWriteFailedException writeFailed(String what, Throwable failure) {
        writeFault.compareAndSet(null, failure);
        return new JournalWriteFailedException(directory, "could not write to journal " + directory + ": " + what + " failed (" + failure
                                                          + "), and the record may be incomplete", failure);
    }

    /**
     * Latches a full disk: reserving blocks for a record failed before any of it was written, so
     * every earlier record is complete. Nothing more is written all the same, as after any failed
     * write: the caller has seen this write fail, and later ones must not overtake it.
     */
    private JournalWriteFailedException noSpace(String what, IOException failure) {
        writeFault.compareAndSet(null, failure);
        return new JournalWriteFailedException(directory, "could not write to journal " + directory + ": no disk space could be reserved for "
                                                          + what + " (" + failure + "): the disk is full, or failing. Nothing of it was"
                                                          + " written, and every record before it is complete", failure);
    }

    private void refuseAfterWriteFault() {
        Throwable fault = writeFault.get();
        if (fault != null) {
            throw new JournalWriteFailedException(directory, "journal " + directory + " refuses writes: an earlier write to it failed ("
                                                             + fault + ")", fault);
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("journal " + directory + " is closed: open a new ChronicleJournal");
        }
    }

    @Override
    public String toString() {
        return "ChronicleJournal[" + directory + ", " + syncPolicy + (closed ? ", closed" : "") + "]";
    }
}
