package io.epochring.kv;

import io.epochring.EpochRange;
import io.epochring.Flusher;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * Flushes frozen {@link KvSegment}s into an embedded RocksDB database: one atomic
 * {@link WriteBatch} per frozen delta (puts, and deletes for tombstones), together with the last
 * epoch written, so the database never holds part of a delta. {@link #sync()} syncs RocksDB's
 * write-ahead log, which makes every written batch survive a machine crash. After each flush it
 * takes a RocksDB snapshot for readers ({@link KvSnapshot}) and releases the one before it once no
 * view or reader holds it.
 *
 * <p>Layout: values live in the default column family as {@code sequence (8 bytes) + value};
 * the {@code epochring-meta} column family holds the format version and the last written epoch.
 *
 * <p>Threads: {@code flush}, {@code sync} and {@code snapshot} come from the coordinator (one at a
 * time); snapshots are read by any thread; {@link #close()} after the coordinator has stopped.
 */
public final class RocksDbFlusher implements Flusher<KvSegment, KvSnapshot>, AutoCloseable {

    /** The on-disk format this class writes and reads. */
    public static final int FORMAT_VERSION = 1;

    static final byte[] META_FAMILY = "epochring-meta".getBytes(StandardCharsets.UTF_8);
    private static final byte[] FORMAT_KEY = "format".getBytes(StandardCharsets.UTF_8);
    private static final byte[] WRITTEN_EPOCH_KEY = "written-epoch".getBytes(StandardCharsets.UTF_8);
    private static final long CLOSE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);

    static {
        RocksDB.loadLibrary();
    }

    private final Path path;
    private final DBOptions dbOptions;
    private final ColumnFamilyOptions familyOptions;
    private final RocksDB db;
    private final ColumnFamilyHandle data;
    private final ColumnFamilyHandle meta;
    private final WriteOptions writeOptions = new WriteOptions();
    private final long storedEpoch;
    private final boolean created;

    private int openSnapshots;
    private boolean closed;
    private volatile long writtenEpoch;
    private KvSnapshot current;
    private KvSnapshot retired;

    private RocksDbFlusher(Path path, DBOptions dbOptions, ColumnFamilyOptions familyOptions, RocksDB db,
                           List<ColumnFamilyHandle> handles) throws RocksDBException {
        this.path = path;
        this.dbOptions = dbOptions;
        this.familyOptions = familyOptions;
        this.db = db;
        this.data = handles.get(0);
        this.meta = handles.get(1);
        byte[] format = db.get(meta, FORMAT_KEY);
        this.created = format == null;
        if (created) {
            try (WriteOptions sync = new WriteOptions().setSync(true)) {
                db.put(meta, sync, FORMAT_KEY, StoredValue.longBytes(FORMAT_VERSION));
            }
        } else if (format.length != Long.BYTES || StoredValue.getLong(format) != FORMAT_VERSION) {
            throw new KvStoreException("RocksDB at " + path + " is in store format "
                                       + (format.length == Long.BYTES ? StoredValue.getLong(format) : "<unreadable>")
                                       + ", this version reads format " + FORMAT_VERSION + ": open it with the version that wrote it");
        }
        byte[] written = db.get(meta, WRITTEN_EPOCH_KEY);
        this.storedEpoch = written == null ? 0 : StoredValue.getLong(written);
        this.writtenEpoch = storedEpoch;
        this.current = newSnapshot(storedEpoch);
    }

    /**
     * Opens (creating if needed) the database in {@code dir}.
     *
     * @throws KvStoreException when the directory cannot be created, is locked by another open
     *                          store, or holds a database this store cannot read
     */
    public static RocksDbFlusher open(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new KvStoreException("cannot create the database directory " + dir + " (" + e
                                       + "): check the path and its permissions", e);
        }
        DBOptions dbOptions = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true)
                                             .setKeepLogFileNum(2).setMaxBackgroundJobs(2);
        ColumnFamilyOptions familyOptions = new ColumnFamilyOptions();
        List<ColumnFamilyDescriptor> families = List.of(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, familyOptions),
                                                        new ColumnFamilyDescriptor(META_FAMILY, familyOptions));
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        RocksDB db = null;
        try {
            db = RocksDB.open(dbOptions, dir.toString(), families, handles);
            return new RocksDbFlusher(dir, dbOptions, familyOptions, db, handles);
        } catch (RocksDBException | RuntimeException e) {
            handles.forEach(ColumnFamilyHandle::close);
            if (db != null) {
                db.close();
            }
            familyOptions.close();
            dbOptions.close();
            throw e instanceof RocksDBException r ? translate(dir, r) : (RuntimeException) e;
        }
    }

    @Override
    public KvSnapshot snapshot() {
        return current;
    }

    @Override
    public KvSnapshot flush(KvSegment frozen, EpochRange range) throws RocksDBException {
        // The view published after the previous flush no longer shows the snapshot before it.
        retire();
        try (WriteBatch batch = new WriteBatch()) {
            Iterator<KvEntry> entries = frozen instanceof MemSegment m ? m.seal().scan(null, null) : frozen.scan(null, null);
            while (entries.hasNext()) {
                KvEntry entry = entries.next();
                if (entry.isTombstone()) {
                    batch.delete(data, entry.key());
                } else {
                    batch.put(data, entry.key(), StoredValue.encode(entry));
                }
            }
            batch.put(meta, WRITTEN_EPOCH_KEY, StoredValue.longBytes(range.last()));
            db.write(writeOptions, batch);
        }
        writtenEpoch = range.last();
        KvSnapshot next = newSnapshot(range.last());
        retired = current;
        current = next;
        return next;
    }

    @Override
    public void sync() throws RocksDBException {
        db.syncWal();
    }

    /**
     * @return the last epoch the database held when it was opened (0 for a new database), read
     * from its meta column family, where each flush writes it atomically with the delta: so the
     * coordinator hands RocksDB every epoch exactly once
     */
    @Override
    public OptionalLong storedEpoch() {
        return OptionalLong.of(storedEpoch);
    }

    /** @return the last epoch written to the database so far */
    public long writtenEpoch() {
        return writtenEpoch;
    }

    /** @return true when this open created the database */
    public boolean created() {
        return created;
    }

    public Path path() {
        return path;
    }

    /**
     * Releases the flusher's snapshots, waits (up to 10 s) for readers still holding one, and
     * closes the database. Call after the coordinator has stopped. Idempotent.
     *
     * @throws KvStoreException when readers kept snapshots open (the database is then left open)
     *                          or RocksDB failed to close cleanly
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        retire();
        if (current != null) {
            current.release();
            current = null;
        }
        awaitSnapshotsReleased();
        writeOptions.close();
        meta.close();
        data.close();
        try {
            db.closeE();
        } catch (RocksDBException e) {
            throw new KvStoreException("closing RocksDB at " + path + " failed: " + e.getMessage(), e);
        } finally {
            familyOptions.close();
            dbOptions.close();
        }
    }

    // ---- for snapshots and the store --------------------------------------------------------------

    RocksDB db() {
        return db;
    }

    ColumnFamilyHandle data() {
        return data;
    }

    synchronized int openSnapshots() {
        return openSnapshots;
    }

    /** A snapshot's last reference is gone. */
    void onReleased(KvSnapshot snapshot) {
        db.releaseSnapshot(snapshot.rocksSnapshot());
        synchronized (this) {
            openSnapshots--;
            notifyAll();
        }
    }

    private KvSnapshot newSnapshot(long epoch) {
        KvSnapshot snapshot = new KvSnapshot(this, db.getSnapshot(), epoch);
        synchronized (this) {
            openSnapshots++;
        }
        return snapshot;
    }

    private void retire() {
        KvSnapshot old = retired;
        retired = null;
        if (old != null) {
            old.release();
        }
    }

    private synchronized void awaitSnapshotsReleased() {
        long deadline = System.nanoTime() + CLOSE_WAIT_NANOS;
        boolean interrupted = false;
        while (openSnapshots > 0) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                throw new KvStoreException(openSnapshots + " RocksDB snapshot(s) at " + path + " are still held by readers 10 s"
                                           + " after close: the database was left open; make every read finish before closing");
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, remaining);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static KvStoreException translate(Path dir, RocksDBException e) {
        String message = String.valueOf(e.getMessage());
        Status status = e.getStatus();
        if (message.contains("LOCK") || message.toLowerCase().contains("lock hold")) {
            return new KvStoreException("the store database " + dir + " is locked: another process (or another open store in"
                                        + " this JVM) is using it; close that store first, or use another directory", e);
        }
        if (message.contains("Column famil")) {
            return new KvStoreException("RocksDB at " + dir + " is not an EpochRing store (" + message
                                        + "): point the store at its own directory", e);
        }
        if (status != null && status.getCode() == Status.Code.Corruption) {
            return new KvStoreException("RocksDB at " + dir + " is corrupt (" + message + "): restore it from a backup,"
                                        + " or move it away and recover the store from its journal", e);
        }
        return new KvStoreException("cannot open RocksDB at " + dir + ": " + message, e);
    }
}
