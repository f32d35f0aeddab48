package io.epochring.journal;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The single-writer guarantee of a journal directory: an exclusive OS file lock on
 * {@value #FILE_NAME} in the directory, plus a JVM-wide registry (file locks are per process, so
 * two writers in one JVM must be refused here). The lock file holds a line describing the holder,
 * which a refused opener puts in its error. The OS drops the lock when the holder dies, even by
 * {@code kill -9}, so no stale lock needs clearing.
 */
final class WriterLock implements AutoCloseable {

    static final String FILE_NAME = "epochring-writer.lock";

    private static final ConcurrentHashMap<Path, String> HELD_IN_THIS_JVM = new ConcurrentHashMap<>();

    private final Path key;
    private final FileChannel channel;
    private final FileLock lock;

    private WriterLock(Path key, FileChannel channel, FileLock lock) {
        this.key = key;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * @throws JournalLockedException when another writer holds the directory
     * @throws IOException when the lock file cannot be created or locked
     */
    static WriterLock acquire(Path directory) throws IOException {
        Path key = directory.toRealPath();
        String holder = describeHolder();
        String previous = HELD_IN_THIS_JVM.putIfAbsent(key, holder);
        if (previous != null) {
            throw new JournalLockedException(directory, previous + " (in this JVM)");
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(key.resolve(FILE_NAME), StandardOpenOption.CREATE, StandardOpenOption.READ,
                                       StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw new JournalLockedException(directory, readHolder(channel));
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((holder + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            return new WriterLock(key, channel, lock);
        } catch (IOException | RuntimeException e) {
            HELD_IN_THIS_JVM.remove(key);
            if (channel != null) {
                channel.close();
            }
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // Closing the channel releases the lock in any case; nothing to report that the caller can act on.
        } finally {
            HELD_IN_THIS_JVM.remove(key);
        }
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

    private static String readHolder(FileChannel channel) {
        try {
            ByteBuffer buffer = ByteBuffer.allocate(1024);
            channel.read(buffer, 0);
            String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).trim();
            return text.isEmpty() ? "another process (it has not written its name yet)" : text;
        } catch (IOException e) {
            return "another process (its description could not be read: " + e.getMessage() + ")";
        }
    }
}
