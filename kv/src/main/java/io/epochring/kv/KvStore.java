package io.epochring.kv;

import io.epochring.Channel;
import io.epochring.DurabilityLevel;
import io.epochring.EpochRange;
import io.epochring.EpochRing;
import io.epochring.EpochRingBuilder;
import io.epochring.Flusher;
import io.epochring.Journal;
import io.epochring.RecoveryReport;
import io.epochring.View;
import io.epochring.WriteHandle;
import io.epochring.journal.ChronicleJournal;
import io.epochring.journal.DirectoryLock;
import io.epochring.journal.DirectoryLockedException;
import io.epochring.journal.JournalStats;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A key-value store whose writes go through an {@link EpochRing}: puts, deletes and counter adds
 * from any thread are ordered into epochs, journaled (optionally), applied to an in-memory
 * {@link KvDelta}, and flushed in the background into an embedded RocksDB database. Reads see
 * every applied write.
 *
 * <pre>{@code
 * try (KvStore store = KvStore.open(Path.of("data"))) {
 *     store.put(key, value).await(DurabilityLevel.JOURNALED);   // survives kill -9 from here on
 *     byte[] v = store.get(key);                                // read-your-writes
 * }
 * }</pre>
 *
 * <p>Reads merge, newest first, the live delta, the frozen deltas waiting for the flusher, and the
 * RocksDB snapshot of one {@link View}. The coordinator replaces the view atomically at each
 * freeze and each flush, and a view's frozen deltas and snapshot never change, so a read never
 * sees part of a flush: a key is either still in a frozen delta of the view or in its snapshot.
 *
 * <p>Directory layout: {@code <dir>/db} (RocksDB) and, with a journal, {@code <dir>/journal}. An
 * open store holds a {@link DirectoryLock} on {@code <dir>}, taken before RocksDB is opened and
 * released after it is closed, so one process at a time uses the directory even if lock files in
 * it are deleted (the journal keeps a lock of its own too).
 * {@link #open} recovers: RocksDB holds every flushed write up to the epoch it stores with them,
 * and the coordinator replays the journal above that epoch into the delta, so each write reaches
 * RocksDB exactly once.
 */
public final class KvStore implements AutoCloseable {

    private final Path dir;
    private final DirectoryLock lock;
    private final RocksDbFlusher flusher;
    private final KvDelta delta;
    private final EpochRing<KvWrite, Long, KvSegment, KvSnapshot> ring;
    /** Read only for its counters: the coordinator owns it (writes, checkpoints, closing). */
    private final ChronicleJournal journal;
    private final Channel<KvWrite, Long> defaultChannel;
    private final Supplier<View<KvSegment, KvSnapshot>> views = this::view;
    private volatile boolean closed;

    private KvStore(Path dir, DirectoryLock lock, RocksDbFlusher flusher, KvDelta delta,
                    EpochRing<KvWrite, Long, KvSegment, KvSnapshot> ring, ChronicleJournal journal, String defaultChannel) {
        this.dir = dir;
        this.lock = lock;
        this.flusher = flusher;
        this.delta = delta;
        this.ring = ring;
        this.journal = journal;
        this.defaultChannel = ring.channel(defaultChannel);
    }

    /** Opens (or creates) a store in {@code dir} with the default options. */
    public static KvStore open(Path dir) {
        return open(dir, KvOptions.defaults());
    }

    /**
     * Opens (or creates) the store in {@code dir} and recovers it: RocksDB's contents plus a
     * replay of the journal above its last durable checkpoint.
     *
     * @throws KvStoreException when the directory cannot be used (open in another store, in this
     *                          process or another, unreadable, a database in another format, a
     *                          journal that does not belong to the database)
     * @throws io.epochring.CodecMismatchException     when the journal was written with another codec,
     *                                                 or holds writes and names no codec (see
     *                                                 {@link KvOptions.Builder#journalAdoptCodec})
     * @throws io.epochring.JournalCorruptedException when the journal cannot be replayed
     */
    public static KvStore open(Path dir, KvOptions options) {
        Objects.requireNonNull(dir, "dir must not be null");
        Objects.requireNonNull(options, "options must not be null");
        createDirectory(dir);
        // Before RocksDB: its own LOCK file keeps nobody out once deleted, and a second process
        // writing the database corrupts it.
        DirectoryLock lock = lockStore(dir);
        RocksDbFlusher flusher = null;
        ChronicleJournal journal = null;
        ChronicleJournal counted = null;
        try {
            flusher = RocksDbFlusher.open(dir.resolve("db"));
            journal = options.journal() ? StoreJournal.open(dir.resolve("journal"), options) : null;
            if (journal != null) {
                // Before the journal is read at all: one written by another codec is refused.
                journal.bindCodec(KvCodec.NAME, KvCodec.VERSION);
                checkJournalMatches(flusher, journal);
            }
            // Adds replayed at start read RocksDB as opened; once running, they read the current view.
            KvDelta delta = new KvDelta(flusher.snapshot());
            EpochRing<KvWrite, Long, KvSegment, KvSnapshot> ring = newRing(delta, flusher, journal, options);
            counted = journal;
            journal = null; // the coordinator owns it from here: start() or stop() closes it
            try {
                ring.start();
            } catch (RuntimeException e) {
                ring.stop();
                throw e;
            }
            // Before the store is returned, so before any write can reach the ring. Not this store's
            // view(): writes queued when close() begins still apply, and their adds still read.
            delta.readThrough(ring::view);
            return new KvStore(dir, lock, flusher, delta, ring, counted, options.channelNames().get(0));
        } catch (RuntimeException e) {
            closeQuietly(journal, e);
            try {
                if (flusher != null) {
                    flusher.close();
                }
            } catch (RuntimeException closeError) {
                e.addSuppressed(closeError);
            } finally {
                lock.close(); // the database is closed: another process may have it now
            }
            throw e;
        }
    }

    private static DirectoryLock lockStore(Path dir) {
        try {
            return DirectoryLock.acquire(dir);
        } catch (DirectoryLockedException e) {
            throw new KvStoreException("the store " + dir + " is already open by " + e.holder() + ": one open store per directory;"
                                       + " close that store first, or use another directory ('epochring inspect' reads the journal"
                                       + " of an open store)", e);
        } catch (UncheckedIOException e) {
            throw new KvStoreException("could not lock the store directory " + dir + " (" + e.getCause()
                                       + "): check that it is on a local file system and writable", e);
        }
    }

    private static EpochRing<KvWrite, Long, KvSegment, KvSnapshot> newRing(KvDelta delta, RocksDbFlusher flusher, Journal journal,
                                                                           KvOptions options) {
        Flusher<KvSegment, KvSnapshot> decorated = options.flusherDecorator().apply(flusher);
        EpochRingBuilder<KvWrite, Long, KvSegment, KvSnapshot> builder = EpochRing.builder(delta, decorated)
            .name(options.name())
            .ringSize(options.ringSize())
            .flushInterval(options.flushInterval())
            .flushThresholdBytes(options.flushThresholdBytes())
            .syncEveryFlush(options.syncEveryFlush())
            .acceptJournalLoss(options.acceptJournalLoss())
            .threadingMode(options.threadingMode());
        for (String channel : options.channelNames()) {
            builder.channel(channel, options.channelCapacity(channel));
        }
        if (journal != null) {
            builder.journal(journal, KvCodec.INSTANCE);
        }
        options.ringCustomizer().accept(builder);
        return builder.build();
    }

    // ---- writes ---------------------------------------------------------------------------------

    /**
     * Puts {@code value} under {@code key} through the default channel, waiting for space if the
     * channel is full. Wait on the handle for the durability you need.
     *
     * @return the write's handle; its apply result is the write's sequence
     */
    public WriteHandle<Long> put(byte[] key, byte[] value) {
        return write(KvWrite.put(key, value));
    }

    /** Deletes {@code key} through the default channel (a tombstone until flushed). */
    public WriteHandle<Long> delete(byte[] key) {
        return write(KvWrite.delete(key));
    }

    /**
     * Adds {@code amount} to the counter under {@code key} through the default channel (see
     * {@link KvWrite#add}). The handle fails with an {@link io.epochring.ApplyException} when the
     * key holds a value that is not an 8-byte counter, or when the sum overflows.
     *
     * @return the write's handle; its apply result is the counter's new value (its epoch is the
     * write's sequence)
     */
    public WriteHandle<Long> add(byte[] key, long amount) {
        return write(KvWrite.add(key, amount));
    }

    /**
     * Submits a put, delete or add through the default channel.
     *
     * @return the write's handle; its apply result is the write's sequence for a put or delete, the
     * counter's new value for an add
     */
    public WriteHandle<Long> write(KvWrite write) {
        return defaultChannel.write(write);
    }

    /**
     * @return the named channel, for producers that want their own queue, FIFO order and the
     * non-blocking or timed ways to write
     * @throws IllegalArgumentException naming the configured channels when there is none by that name
     */
    public Channel<KvWrite, Long> channel(String name) {
        return ring.channel(name);
    }

    /** Same as {@code ring().flush(sync)}: freezes what was applied and hands it to RocksDB. */
    public WriteHandle<EpochRange> flush(boolean sync) {
        return ring.flush(sync);
    }

    // ---- reads ----------------------------------------------------------------------------------

    /**
     * @return the value of {@code key} as of every write applied so far, or null when absent or deleted
     */
    public byte[] get(byte[] key) {
        KvEntry entry = entry(key);
        return entry == null || entry.isTombstone() ? null : entry.value();
    }

    /**
     * @return what the newest layer holding {@code key} has for it (a tombstone when it was
     * deleted and not yet flushed), or null when no layer has it
     */
    public KvEntry entry(byte[] key) {
        Objects.requireNonNull(key, "get: key must not be null");
        return Layers.entry(views, key);
    }

    /**
     * @return the counter under {@code key} as of every write applied so far: 0 when absent or deleted
     * @throws KvStoreException when the key holds a value that is not an 8-byte counter
     */
    public long counter(byte[] key) {
        Objects.requireNonNull(key, "counter: key must not be null");
        byte[] value = get(key);
        if (value == null) {
            return 0;
        }
        if (value.length != Long.BYTES) {
            throw new KvStoreException("key " + KvWrite.printable(key) + " holds a " + value.length + "-byte value, not an 8-byte"
                                       + " counter: read it with get(key)");
        }
        return StoredValue.getLong(value);
    }

    /**
     * @param from first key, inclusive; null for the first key
     * @param to   end key, exclusive; null for no end
     * @return the live keys in the range, in ascending unsigned-byte order
     */
    public List<KvEntry> scan(byte[] from, byte[] to) {
        return scan(from, to, Integer.MAX_VALUE);
    }

    /** Like {@link #scan(byte[], byte[])}, returning at most {@code limit} entries. */
    public List<KvEntry> scan(byte[] from, byte[] to, int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("scan: limit must be >= 0, was " + limit);
        }
        List<KvEntry> result = new ArrayList<>();
        forEach(from, to, entry -> {
            if (result.size() < limit) {
                result.add(entry);
            }
        }, limit);
        return result;
    }

    /**
     * Streams the live keys in [from, to) to {@code visitor} in ascending order, from one view,
     * without collecting them.
     *
     * @return the number of entries visited
     */
    public long forEach(byte[] from, byte[] to, Consumer<KvEntry> visitor) {
        return forEach(from, to, visitor, Long.MAX_VALUE);
    }

    private long forEach(byte[] from, byte[] to, Consumer<KvEntry> visitor, long limit) {
        while (true) {
            View<KvSegment, KvSnapshot> view = view();
            KvSnapshot snapshot = view.snapshot();
            if (!snapshot.tryAcquire()) {
                continue; // superseded and released: read the newer view
            }
            try (EntryCursor stored = snapshot.cursor(from, to)) {
                List<Iterator<KvEntry>> newestFirst = new ArrayList<>(view.frozen().size() + 2);
                newestFirst.add(view.live().scan(from, to));
                for (KvSegment frozen : view.frozen()) {
                    newestFirst.add(frozen.scan(from, to));
                }
                newestFirst.add(stored);
                MergingIterator merged = new MergingIterator(newestFirst);
                long visited = 0;
                while (visited < limit && merged.hasNext()) {
                    KvEntry entry = merged.next();
                    if (!entry.isTombstone()) {
                        visitor.accept(entry);
                        visited++;
                    }
                }
                return visited;
            } finally {
                snapshot.release();
            }
        }
    }

    // ---- state ----------------------------------------------------------------------------------

    /** @return the coordinator, for watermarks, statistics, views and subscriptions */
    public EpochRing<KvWrite, Long, KvSegment, KvSnapshot> ring() {
        return ring;
    }

    /** @return what opening replayed from the journal (all zero without one) */
    public RecoveryReport recovery() {
        return ring.recovery();
    }

    /**
     * @return the journal's counters since the store was opened (appends, ring batches committed,
     *         msyncs), from any thread; empty when the store runs without a journal
     */
    public Optional<JournalStats> journalStats() {
        return Optional.ofNullable(journal).map(ChronicleJournal::stats);
    }

    /** @return the last epoch RocksDB held when the store was opened */
    public long storedEpoch() {
        return flusher.storedEpoch().getAsLong();
    }

    /** @return the last epoch written to RocksDB so far */
    public long writtenEpoch() {
        return flusher.writtenEpoch();
    }

    /** @return the watermark of {@code level} */
    public long watermark(DurabilityLevel level) {
        return ring.watermark(level);
    }

    public Path directory() {
        return dir;
    }

    /**
     * Stops the coordinator (flushing and syncing every accepted write, closing the journal), then
     * closes RocksDB. Idempotent.
     *
     * @throws io.epochring.CoordinatorFaultException when the coordinator failed and accepted writes
     *                                                could not be flushed (journaled ones come back at
     *                                                the next open)
     */
    @Override
    public void close() {
        close(EpochRing.DEFAULT_STOP_TIMEOUT);
    }

    /**
     * Like {@link #close()}, giving the coordinator about {@code timeout} to stop (see {@link
     * EpochRing#stop(Duration)}): past it, what was not flushed stays in the journal for the next
     * open. RocksDB is closed either way.
     *
     * @throws io.epochring.CoordinatorFaultException when the coordinator failed
     * @throws io.epochring.EpochRingException        when it did not stop within {@code timeout}
     */
    public void close(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout must not be null");
        if (closed) {
            return;
        }
        closed = true;
        RuntimeException failure = null;
        try {
            ring.stop(timeout);
        } catch (RuntimeException e) {
            failure = e;
        }
        try {
            flusher.close();
        } catch (RuntimeException e) {
            if (failure == null) {
                failure = e;
            } else {
                failure.addSuppressed(e);
            }
        } finally {
            lock.close();
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return "KvStore[" + dir + (closed ? ", closed]" : "]");
    }

    KvDelta delta() {
        return delta;
    }

    RocksDbFlusher flusher() {
        return flusher;
    }

    private View<KvSegment, KvSnapshot> view() {
        if (closed) {
            throw new IllegalStateException("the store at " + dir + " is closed: open it again to read");
        }
        return ring.view();
    }

    private static void createDirectory(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new KvStoreException("cannot create the store directory " + dir + " (" + e
                                       + "): check the path and its permissions", e);
        }
    }

    /** A database created just now cannot hold what an existing journal says was flushed to it. */
    private static void checkJournalMatches(RocksDbFlusher flusher, Journal journal) {
        long checkpointed = journal.lastCheckpoint().durableEpoch();
        long stored = flusher.storedEpoch().getAsLong();
        if (stored < checkpointed) {
            throw new KvStoreException("RocksDB at " + flusher.path() + " holds writes up to epoch " + stored
                                       + " but the journal's checkpoint says epochs up to " + checkpointed
                                       + " were made durable in it: the database was deleted or replaced, and replaying the"
                                       + " journal cannot bring back what it no longer holds; restore the database directory"
                                       + " or move the journal away to start over");
        }
    }

    private static void closeQuietly(Journal journal, RuntimeException failure) {
        if (journal != null) {
            try {
                journal.close();
            } catch (RuntimeException e) {
                failure.addSuppressed(e);
            }
        }
    }
}
