package io.epochring.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The exclusive writer lock of a directory, for one writer at a time across processes: a journal
 * directory ({@link ChronicleJournal} takes it), or a store directory holding a database and a
 * journal (the key-value store takes it before it opens its database, so a second process never
 * reaches the database).
 *
 * <pre>{@code
 * try (DirectoryLock lock = DirectoryLock.acquire(storeDirectory)) {
 *     // open and use what is in the directory
 * }   // DirectoryLockedException, naming the holder, for anyone else meanwhile
 * }</pre>
 *
 * <p>Three locks, each for a reason:
 * <ul>
 *   <li>the directory itself, with {@code flock(2)} (Linux on x86-64 and aarch64): it survives
 *       the deletion of any file in the directory, and the directory cannot be deleted while it
 *       holds files. {@link #holdsDirectory()} says whether it is held.</li>
 *   <li>an OS file lock on {@value #FILE_NAME} in the directory, whose first line describes the
 *       holder (pid, host, thread, since when) for refused openers' errors; the only lock on other
 *       platforms (there, deleting that file lets a second writer in), and what earlier versions
 *       of EpochRing lock, so they are refused too.</li>
 *   <li>a JVM-wide registry of locked directories, so a second writer in the same JVM gets a
 *       clear "in this JVM" refusal.</li>
 * </ul>
 *
 * <p>Each lock is checked after it is taken: if the directory or the lock file was replaced in
 * between (renamed away and another put at the path), the lock is taken again on what is at the
 * path now, up to three times. The OS releases both OS locks when the holder dies, even by
 * {@code kill -9}, so no stale lock needs clearing; a holder that is alive but whose description
 * was deleted is still refused, with an error saying the description is gone.
 */
public final class DirectoryLock implements AutoCloseable {

    /** The lock file in a locked directory, holding its holder's description. */
    public static final String FILE_NAME = LockFile.FILE_NAME;

    private static final ConcurrentHashMap<Path, String> HELD_IN_THIS_JVM = new ConcurrentHashMap<>();
    private static final Runnable NOTHING = () -> { };

    private final Path key;
    private final DirectoryFlock flock;
    private final LockFile file;
    private final String holder;
    private boolean closed;

    private DirectoryLock(Path key, DirectoryFlock flock, LockFile file, String holder) {
        this.key = key;
        this.flock = flock;
        this.file = file;
        this.holder = holder;
    }

    /**
     * Locks {@code directory}, which must exist, without waiting.
     *
     * @throws DirectoryLockedException when another writer, in this JVM or another process, holds it
     * @throws UncheckedIOException     when it cannot be locked (missing, not a directory, unwritable,
     *                                  or replaced again and again while being locked)
     */
    public static DirectoryLock acquire(Path directory) {
        try {
            return lock(directory, NOTHING, NOTHING);
        } catch (IOException e) {
            throw new UncheckedIOException("could not lock directory " + directory + " (" + e
                                           + "): check that it exists, is on a local file system and is writable", e);
        }
    }

    /**
     * {@link #acquire} for callers that report I/O failures themselves, and for tests.
     *
     * @param afterDirectoryOpen runs between opening the directory and locking it
     * @param afterFileOpen      runs between opening the lock file and locking it
     */
    static DirectoryLock lock(Path directory, Runnable afterDirectoryOpen, Runnable afterFileOpen) throws IOException {
        Path key = directory.toRealPath();
        String holder = describeHolder();
        String previous = HELD_IN_THIS_JVM.putIfAbsent(key, holder);
        if (previous != null) {
            throw new DirectoryLockedException(directory, previous + " (in this JVM)");
        }
        DirectoryFlock flock = null;
        try {
            if (DirectoryFlock.available()) {
                flock = DirectoryFlock.tryLock(key, afterDirectoryOpen);
                if (flock == null) {
                    throw new DirectoryLockedException(directory, LockFile.holderOf(key));
                }
            }
            // Under the directory lock nobody else is between opening and locking the file, unless it is
            // a writer that does not lock directories: an earlier version, or this one on another host.
            LockFile file = LockFile.tryLock(key, holder, afterFileOpen);
            if (file == null) {
                throw new DirectoryLockedException(directory, LockFile.holderOf(key));
            }
            return new DirectoryLock(key, flock, file, holder);
        } catch (IOException | RuntimeException | Error e) {
            if (flock != null) {
                flock.close();
            }
            HELD_IN_THIS_JVM.remove(key);
            throw e;
        }
    }

    /** @return the locked directory, with symbolic links resolved */
    public Path directory() {
        return key;
    }

    /**
     * @return whether the directory itself is locked (so deleting its lock file lets nobody in);
     * false where only the lock file is
     */
    public boolean holdsDirectory() {
        return flock != null;
    }

    /** @return this holder's description, as refused openers see it */
    public String holder() {
        return holder;
    }

    /** Releases the lock file, then the directory, then the registry entry. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            file.close();
        } finally {
            try {
                if (flock != null) {
                    flock.close();
                }
            } finally {
                HELD_IN_THIS_JVM.remove(key);
            }
        }
    }

    @Override
    public String toString() {
        return "DirectoryLock[" + key + (holdsDirectory() ? ", directory and " : ", ") + FILE_NAME + "]";
    }

    private static String describeHolder() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "unknown host";
        }
        return "pid " + ProcessHandle.current().pid() + " on " + host + ", thread '" + Thread.currentThread().getName()
               + "', since " + Instant.now();
    }
}
