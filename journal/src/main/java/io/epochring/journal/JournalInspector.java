package io.epochring.journal;

import io.epochring.CodecMismatchException;
import io.epochring.EpochRingException;
import io.epochring.Journal.Checkpoint;
import io.epochring.JournalCorruptedException;
import io.epochring.WriteCodec;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Reads a journal directory without changing it: lists records and checkpoints, and summarises
 * the files. It takes no lock, so it may run while a coordinator is writing (it then sees the
 * journal as it was when each call read it). Damage is reported as by recovery, with a
 * {@link JournalCorruptedException} naming the file, record, byte offset and, where known, epoch:
 * each call first runs the structure check recovery runs on every file (header, end of file,
 * Chronicle's index), then reads through a read-only Chronicle queue, verifying every record it reads.
 *
 * <p>Alongside a writer, a file created at that very moment (a new roll cycle) lacks a complete
 * header for microseconds: a call that looks at it then may report it as damaged, and the next
 * call does not. (A new file of nothing but zeros is passed by: the writer is about to start it.)
 *
 * <pre>{@code
 * try (JournalInspector inspector = JournalInspector.open(Path.of("data/journal"))) {
 *     System.out.println(inspector.codec());
 *     System.out.println(inspector.summary());
 *     inspector.records(1_000, 20).forEach(System.out::println);
 * }
 * }</pre>
 *
 * <p>Decoding: {@link #forEach(long, long, WriteCodec, BiConsumer)} and {@link #decoding} hand each
 * write decoded by a {@link WriteCodec}, after checking it is the codec the journal recorded.
 *
 * <p>Following: {@link #follow(long, Consumer, BooleanSupplier)} reads on as a writer appends, like
 * {@code tail -f}, until told to stop:
 *
 * <pre>{@code
 * AtomicBoolean stop = new AtomicBoolean(); // set from another thread to end the call
 * try (JournalInspector inspector = JournalInspector.open(Path.of("data/journal"))) {
 *     inspector.follow(0, inspector.decoding(new OrderCodec(), (entry, order) -> System.out.println(order)), stop::get);
 * }
 * }</pre>
 *
 * <p>Calls are serialised; use one inspector from one thread at a time.
 */
public final class JournalInspector implements AutoCloseable {

    static {
        ChronicleSetup.apply();
    }

    /** How long a file that looks damaged may take to become whole: a live writer completes a header in microseconds. */
    private static final long LIVE_WRITER_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    /** The longest a follower parks between empty reads: how late it may show a new record, or see that it should stop. */
    static final long FOLLOW_MAX_PARK_MILLIS = 10;
    /** How often an idle follower has Chronicle list the directory again, for files it may not know of yet. */
    private static final long FOLLOW_LISTING_REFRESH_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** Spins, then yields, before a follower parks: a busy writer's next record is usually that close. */
    private static final int FOLLOW_SPINS = 100;
    private static final int FOLLOW_YIELDS = 50;

    private final Path directory;
    /** Opened once the journal has a file: then its roll cycle can be told from the file names. */
    private SingleChronicleQueue queue;

    private JournalInspector(Path directory) {
        this.directory = directory;
    }

    /**
     * Opens a journal directory for reading.
     *
     * @throws IllegalArgumentException  when {@code directory} is not a journal directory
     * @throws JournalCorruptedException when the structure check finds a damaged file
     * @throws EpochRingException        when the JVM lacks the flags in {@code jvm.options}, naming them
     */
    public static JournalInspector open(Path directory) {
        ChronicleAccess.check();
        if (directory == null || !Files.isDirectory(directory)) {
            throw new IllegalArgumentException("no journal at " + directory + ": it is not a directory; give the path of a journal directory");
        }
        // A journal that was opened but never written to holds only the writer's lock file.
        File[] journalFiles = directory.toFile().listFiles((dir, name) -> name.endsWith(".cq4") || name.endsWith(".cq4t")
                                                                           || name.equals(LockFile.FILE_NAME));
        if (journalFiles == null || journalFiles.length == 0) {
            throw new IllegalArgumentException("no journal in " + directory + ": it holds no Chronicle Queue files (*.cq4, metadata.cq4t)"
                                               + " and no " + LockFile.FILE_NAME + "; give the directory a ChronicleJournal wrote");
        }
        JournalInspector inspector = new JournalInspector(directory);
        inspector.queue();
        return inspector;
    }

    /**
     * @return the queue, or null while the journal has no file yet (nothing to read)
     * @throws JournalCorruptedException when the structure check finds a damaged file
     */
    private SingleChronicleQueue queue() {
        // Before Chronicle maps anything: it waits on a missing header and fails obscurely on a damaged index.
        verifyStructure();
        if (queue == null) {
            RollCycle rollCycle = RollCycleNames.of(directory);
            if (rollCycle == null && !hasQueueFiles()) {
                return null;
            }
            try {
                SingleChronicleQueueBuilder builder = SingleChronicleQueueBuilder.binary(directory).readOnly(true)
                                                                                 .timeoutMS(ChronicleSetup.READER_HEADER_WAIT_MS);
                if (rollCycle != null) {
                    builder.rollCycle(rollCycle);
                }
                queue = builder.build();
            } catch (RuntimeException e) {
                throw new EpochRingException("could not open journal " + directory + " for reading (" + e
                                             + "): check its permissions, or whether its metadata.cq4t is damaged", e);
            }
        }
        queue.refreshDirectoryListing();
        return queue;
    }

    /**
     * A writer alongside may be creating a file just now (its header not yet complete), which reads
     * like damage for a moment: damage is reported only when it is still there after
     * {@link #LIVE_WRITER_GRACE_NANOS}. Real damage stays, so it costs that much longer to report.
     */
    private void verifyStructure() {
        long deadline = System.nanoTime() + LIVE_WRITER_GRACE_NANOS;
        while (true) {
            try {
                JournalVerifier.verify(directory);
                return;
            } catch (JournalCorruptedException e) {
                if (System.nanoTime() - deadline >= 0) {
                    throw e;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
        }
    }

    private boolean hasQueueFiles() {
        File[] files = directory.toFile().listFiles((dir, name) -> name.endsWith(".cq4"));
        return files != null && files.length > 0;
    }

    public Path directory() {
        return directory;
    }

    /**
     * @return the codec the journal recorded as the one that encoded its payloads; empty when it
     * recorded none (no record written yet, written before journals recorded their codec, or its
     * identity file was deleted)
     * @throws JournalCorruptedException when the identity file is damaged
     */
    public Optional<CodecIdentity> codec() {
        return CodecBinding.read(directory);
    }

    /**
     * Reads the whole journal, checking every record.
     *
     * @throws JournalCorruptedException when a record or file is damaged
     */
    public synchronized JournalSummary summary() {
        SingleChronicleQueue queue = queue();
        if (queue == null) {
            return new JournalSummary(0, 0, 0, 0, 0, 0, Checkpoint.NONE, List.of(), 0);
        }
        Map<String, long[]> files = new TreeMap<>(); // name -> records, first, last, used bytes
        long firstEpoch = 0;
        long lastEpoch = 0;
        long writes = 0;
        long rejected = 0;
        long checkpoints = 0;
        Checkpoint lastCheckpoint = Checkpoint.NONE;
        try (JournalCursor cursor = new JournalCursor(queue)) {
            cursor.toStart();
            RecordReader record = cursor.record;
            while (cursor.next()) {
                long[] file = files.computeIfAbsent(cursor.fileName(), name -> new long[4]);
                file[0]++;
                file[3] = cursor.position + record.length;
                if (record.isLost()) {
                    lastEpoch = record.epoch; // the journal's end moved past the lost epochs; they are not writes
                    file[1] = file[1] == 0 ? record.secondEpoch + 1 : file[1];
                    file[2] = record.epoch;
                } else if (record.isWrite()) {
                    writes++;
                    rejected += record.isRejected() ? 1 : 0;
                    firstEpoch = firstEpoch == 0 ? record.epoch : firstEpoch;
                    lastEpoch = record.epoch;
                    file[1] = file[1] == 0 ? record.epoch : file[1];
                    file[2] = record.epoch;
                } else {
                    checkpoints++;
                    lastCheckpoint = new Checkpoint(record.epoch, record.secondEpoch);
                }
            }
        }
        File[] onDisk = directory.toFile().listFiles((dir, name) -> name.endsWith(".cq4"));
        if (onDisk != null) {
            for (File file : onDisk) {
                files.putIfAbsent(file.getName(), new long[4]);
            }
        }
        List<JournalFile> list = new ArrayList<>(files.size());
        long bytes = 0;
        for (Map.Entry<String, long[]> entry : files.entrySet()) {
            long[] f = entry.getValue();
            list.add(new JournalFile(entry.getKey(), f[0], f[1], f[2], f[3], directory.resolve(entry.getKey()).toFile().length()));
            bytes += f[3];
        }
        return new JournalSummary(firstEpoch, lastEpoch, writes + checkpoints, writes, rejected, checkpoints, lastCheckpoint, list, bytes);
    }

    /**
     * Lists records in journal order, starting at the first write with an epoch of at least
     * {@code fromEpoch} (checkpoint records in between included), found by binary search.
     *
     * @param fromEpoch the smallest write epoch wanted; 0 for the start of the journal
     * @param limit     at most this many records
     * @throws IllegalArgumentException  when {@code fromEpoch < 0} or {@code limit < 1}
     * @throws JournalCorruptedException when a record on the way is damaged
     */
    public synchronized List<JournalEntry> records(long fromEpoch, int limit) {
        if (fromEpoch < 0 || limit < 1) {
            throw new IllegalArgumentException("records(fromEpoch, limit) needs fromEpoch >= 0 and limit >= 1, was ("
                                               + fromEpoch + ", " + limit + ")");
        }
        List<JournalEntry> entries = new ArrayList<>(Math.min(limit, 1024));
        forEach(fromEpoch, limit, entries::add);
        return entries;
    }

    /**
     * Hands records to {@code visitor} one at a time, in journal order, starting at the first write
     * with an epoch of at least {@code fromEpoch} (checkpoint records in between included): like
     * {@link #records}, but holding only the record being visited, so any number of them can be
     * read in bounded memory.
     *
     * @param fromEpoch the smallest write epoch wanted; 0 for the start of the journal
     * @param limit     at most this many records
     * @return the number of records visited
     * @throws IllegalArgumentException  when {@code fromEpoch < 0} or {@code limit < 1}
     * @throws JournalCorruptedException when a record on the way is damaged
     */
    public synchronized long forEach(long fromEpoch, long limit, Consumer<? super JournalEntry> visitor) {
        if (fromEpoch < 0 || limit < 1) {
            throw new IllegalArgumentException("forEach(fromEpoch, limit, visitor) needs fromEpoch >= 0 and limit >= 1, was ("
                                               + fromEpoch + ", " + limit + ")");
        }
        SingleChronicleQueue queue = queue();
        if (queue == null) {
            return 0;
        }
        long visited = 0;
        try (JournalCursor cursor = new JournalCursor(queue)) {
            cursor.seekAfter(fromEpoch - 1);
            EntryReader read = new EntryReader(cursor);
            while (visited < limit && cursor.next(read)) {
                visitor.accept(read.entry);
                visited++;
            }
        }
        return visited;
    }

    /**
     * Like {@link #forEach(long, long, Consumer)}, with each write's payload decoded by
     * {@code codec}: {@code visitor} gets every record with its decoded write, or null for a
     * checkpoint, a {@link RecordType#LOST} record and a rejected write without a payload (one too
     * large for the journal, or that its codec could not encode). The codec must be the one the
     * journal recorded (see {@link #requireCodec}); a journal that recorded none is decoded as asked.
     *
     * <pre>{@code
     * try (JournalInspector inspector = JournalInspector.open(Path.of("data/journal"))) {
     *     inspector.forEach(0, 100, new OrderCodec(), (entry, order) -> System.out.println(entry.epoch() + " " + order));
     * }
     * }</pre>
     *
     * @param <W> the write type
     * @return the number of records visited
     * @throws CodecMismatchException    when the journal recorded another codec name or version
     * @throws PayloadDecodeException    when {@code codec} fails on a payload, naming the record
     * @throws IllegalArgumentException  when {@code fromEpoch < 0} or {@code limit < 1}
     * @throws JournalCorruptedException when a record on the way is damaged
     */
    public synchronized <W> long forEach(long fromEpoch, long limit, WriteCodec<W> codec,
                                         BiConsumer<? super JournalEntry, ? super W> visitor) {
        return forEach(fromEpoch, limit, decoding(codec, visitor));
    }

    /**
     * Wraps a visitor of decoded writes as a visitor of records, for {@link #forEach(long, long, Consumer)}
     * and the {@code follow} calls: each write's payload is decoded by {@code codec} on the way, as
     * {@link #forEach(long, long, WriteCodec, BiConsumer)} describes. Checks the codec now, once.
     *
     * @param <W> the write type
     * @throws CodecMismatchException when the journal recorded another codec name or version
     */
    public <W> Consumer<JournalEntry> decoding(WriteCodec<W> codec, BiConsumer<? super JournalEntry, ? super W> visitor) {
        Objects.requireNonNull(visitor, "visitor");
        requireCodec(codec);
        return entry -> visitor.accept(entry, decode(codec, entry));
    }

    /**
     * Checks that {@code codec} is the one that wrote this journal: the same {@link WriteCodec#name()}
     * and {@link WriteCodec#version()} as the journal recorded. A journal that recorded none passes:
     * nothing says which codec wrote it.
     *
     * @throws CodecMismatchException    when the journal recorded another name or version, naming both
     * @throws JournalCorruptedException when the journal's codec identity file is damaged
     */
    public void requireCodec(WriteCodec<?> codec) {
        Objects.requireNonNull(codec, "codec");
        CodecIdentity given = new CodecIdentity(codec.name(), codec.version());
        Optional<CodecIdentity> recorded = codec();
        if (recorded.isPresent() && !recorded.get().equals(given)) {
            throw new CodecMismatchException("journal " + directory + " was written with codec " + recorded.get()
                                             + " but is being read with codec " + given + " (" + codec.getClass().getName()
                                             + "): its payloads would decode into wrong writes; read it with the codec that wrote it,"
                                             + " or with " + recorded.get().name() + "'s version " + recorded.get().version(),
                                             recorded.get().toString(), given.toString());
        }
    }

    /**
     * @return the write in {@code entry}'s payload; null when it is no write or a rejected write without a payload
     * @throws PayloadDecodeException when the codec fails on the payload
     */
    private static <W> W decode(WriteCodec<W> codec, JournalEntry entry) {
        if (!entry.type().isWrite() || (entry.rejected() && entry.payloadLength() == 0)) {
            return null;
        }
        byte[] payload = entry.payload();
        try {
            return codec.decode(new UnsafeBuffer(payload), 0, payload.length);
        } catch (RuntimeException e) {
            throw new PayloadDecodeException(entry, codec, e);
        }
    }

    /**
     * Hands every record from {@code fromEpoch} on to {@code visitor}, as {@link #forEach} does, and
     * then, like {@code tail -f}, each record a writer appends after that, until {@code stop} says
     * so. It reads without locking beside a running writer, through one Chronicle tailer, following
     * the journal onto each new roll-cycle file; whenever it enters another file it first runs the
     * structure check over the journal again, so a damaged file is reported as {@link #summary()}
     * reports it, never passed by. Between empty reads it backs off (spinning, yielding, then
     * parking up to 10 ms): a record shows within about that
     * much of being appended, and {@code stop} is asked at least as often.
     *
     * <p>Runs on the calling thread until {@code stop} returns true (asked after each record and
     * each empty read) or a record is damaged. To stop it from another thread, let {@code stop}
     * read a flag that thread sets. A journal without a file yet is waited for.
     *
     * @param fromEpoch the smallest write epoch wanted; 0 for the start of the journal
     * @return the number of records visited
     * @throws IllegalArgumentException  when {@code fromEpoch < 0}
     * @throws JournalCorruptedException when a record or file is damaged
     */
    public synchronized long follow(long fromEpoch, Consumer<? super JournalEntry> visitor, BooleanSupplier stop) {
        if (fromEpoch < 0) {
            throw new IllegalArgumentException("follow(fromEpoch, visitor, stop) needs fromEpoch >= 0, was " + fromEpoch);
        }
        return follow(cursor -> cursor.seekAfter(fromEpoch - 1), true, visitor, stop);
    }

    /**
     * Like {@link #follow(long, Consumer, BooleanSupplier)}, from the record after {@code last}
     * (which a {@link #forEach} call of this inspector handed over): a listing followed on
     * without a record missed or shown twice.
     *
     * @throws IllegalArgumentException  when {@code last} is not in the journal any more (retention deleted its file)
     * @throws JournalCorruptedException when a record or file is damaged
     */
    public synchronized long followAfter(JournalEntry last, Consumer<? super JournalEntry> visitor, BooleanSupplier stop) {
        Objects.requireNonNull(last, "last");
        return follow(cursor -> {
            if (!cursor.moveTo(last.index()) || !cursor.next()) {
                throw new IllegalArgumentException("cannot follow on after the record at index 0x" + Long.toHexString(last.index())
                                                   + " (" + last.file() + "): it is not in journal " + directory
                                                   + " any more (retention deleted its file?); follow from an epoch instead");
            }
        }, false, visitor, stop);
    }

    /**
     * Like {@link #follow(long, Consumer, BooleanSupplier)}, handing over only the records appended
     * after this call found the journal's end.
     *
     * @throws JournalCorruptedException when a record or file is damaged
     */
    public synchronized long followFromEnd(Consumer<? super JournalEntry> visitor, BooleanSupplier stop) {
        return follow(JournalCursor::toEnd, false, visitor, stop);
    }

    /** @param placeAgainUntilFirstRecord whether placing the cursor again finds the same start (not so for the end) */
    private long follow(Consumer<JournalCursor> placement, boolean placeAgainUntilFirstRecord, Consumer<? super JournalEntry> visitor,
                        BooleanSupplier stop) {
        Objects.requireNonNull(visitor, "visitor");
        Objects.requireNonNull(stop, "stop");
        IdleStrategy idle = new BackoffIdleStrategy(FOLLOW_SPINS, FOLLOW_YIELDS, TimeUnit.MICROSECONDS.toNanos(1),
                                                    TimeUnit.MILLISECONDS.toNanos(FOLLOW_MAX_PARK_MILLIS));
        SingleChronicleQueue queue;
        // A journal that is opened but not written to yet has no file to tail: wait for its first.
        while ((queue = queue()) == null) {
            if (stop.getAsBoolean()) {
                return 0;
            }
            idle.idle();
        }
        long visited = 0;
        try (JournalCursor cursor = new JournalCursor(queue)) {
            placement.accept(cursor);
            EntryReader read = new EntryReader(cursor);
            int verifiedUpTo = queue.lastCycle();
            long listedAt = System.nanoTime();
            while (!stop.getAsBoolean()) {
                if (!cursor.nextLive(LIVE_WRITER_GRACE_NANOS, read)) {
                    long now = System.nanoTime();
                    if (now - listedAt >= FOLLOW_LISTING_REFRESH_NANOS) {
                        // Chronicle may hold a listing of the files from before the writer's newest:
                        // it would not look for a file it does not know of.
                        queue.refreshDirectoryListing();
                        listedAt = now;
                        if (visited == 0 && placeAgainUntilFirstRecord) {
                            // Placed while the journal's first file was being created, the tailer may not
                            // have found its start: nothing was handed over yet, so place it again.
                            placement.accept(cursor);
                        }
                    }
                    idle.idle();
                    continue;
                }
                idle.reset();
                if (cursor.cycle > verifiedUpTo) {
                    // Into a file the last check did not see (or saw as the newest, still being written).
                    verifyStructure();
                    verifiedUpTo = cursor.cycle;
                }
                visitor.accept(read.entry);
                visited++;
            }
        }
        return visited;
    }

    /**
     * Makes each record the cursor reads into an entry while the record's document is open (its
     * payload copied), so the caller's visitor runs after, outside Chronicle's reading.
     */
    private static final class EntryReader implements JournalCursor.RecordVisitor {
        private final JournalCursor cursor;
        JournalEntry entry;

        EntryReader(JournalCursor cursor) {
            this.cursor = cursor;
        }

        @Override
        public void visit(RecordReader record) {
            entry = entry(cursor, record);
        }
    }

    /** @return the current record as an entry; only while its document is open (the payload is copied) */
    private static JournalEntry entry(JournalCursor cursor, RecordReader record) {
        if (record.isLost()) {
            return new JournalEntry(RecordType.LOST, record.epoch, "", new byte[0], 0, 0, record.secondEpoch,
                                    cursor.fileName(), cursor.index, cursor.position);
        }
        if (record.isWrite()) {
            RecordType type = record.isRejected() ? RecordType.REJECTED_WRITE : RecordType.WRITE;
            return new JournalEntry(type, record.epoch, record.channel, record.payloadCopy(), 0, 0, record.secondEpoch,
                                    cursor.fileName(), cursor.index, cursor.position);
        }
        return new JournalEntry(RecordType.CHECKPOINT, record.epoch, null, new byte[0], record.epoch,
                                record.secondEpoch, 0, cursor.fileName(), cursor.index, cursor.position);
    }

    @Override
    public synchronized void close() {
        if (queue != null) {
            queue.close();
        }
    }

    @Override
    public String toString() {
        return "JournalInspector[" + directory + "]";
    }
}
