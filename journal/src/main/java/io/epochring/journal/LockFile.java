package io.epochring.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.UUID;

/**
 * {@value #FILE_NAME} in a locked directory: an exclusive OS file lock on it, and a first line
 * describing the holder (pid, host, thread, since when) for the errors of refused openers. The
 * lock alone is what an earlier EpochRing, and a platform without {@link DirectoryFlock}, rely on;
 * it is lost if the file is deleted, since a new file at the path is another inode.
 *
 * <p>Between opening the file and locking it, the file may be deleted or replaced, which would
 * leave the lock on an inode no longer at the path. So the holder writes a token of its own under
 * the lock, reads the file back through the path, and starts over when the token is not there.
 */
final class LockFile implements AutoCloseable {

    static final String FILE_NAME = "epochring-writer.lock";
    /** Times the file may be found replaced before locking gives up. */
    static final int ATTEMPTS = 3;

    private final FileChannel channel;
    private final FileLock lock;

    private LockFile(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Locks the lock file of {@code directory} (created if missing) without waiting, and writes
     * {@code holder} into it.
     *
     * @param afterOpen runs between opening the file and locking it (tests replace the file there)
     * @return the lock, or null when another holder has it
     * @throws IOException when the file cannot be created, locked or written, or was replaced
     *                     {@value #ATTEMPTS} times while being locked
     */
    static LockFile tryLock(Path directory, String holder, Runnable afterOpen) throws IOException {
        Path file = directory.resolve(FILE_NAME);
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            boolean keep = false;
            try {
                afterOpen.run();
                FileLock lock;
                try {
                    lock = channel.tryLock();
                } catch (OverlappingFileLockException e) {
                    lock = null; // held through another channel of this JVM
                }
                if (lock == null) {
                    return null;
                }
                String token = "token " + UUID.randomUUID();
                channel.truncate(0);
                ByteBuffer text = ByteBuffer.wrap((holder + "\n" + token + "\n").getBytes(StandardCharsets.UTF_8));
                while (text.hasRemaining()) {
                    channel.write(text, text.position());
                }
                if (holds(file, token)) {
                    keep = true;
                    return new LockFile(channel, lock);
                }
                // Locked a file that is no longer at the path: lock whatever is there now.
            } finally {
                if (!keep) {
                    channel.close(); // releases the lock too
                }
            }
        }
        throw new IOException("lock file " + file + " was deleted or replaced while it was being locked, " + ATTEMPTS
                              + " times in a row: something keeps removing it; stop that, then try again");
    }

    private static boolean holds(Path file, String token) throws IOException {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8).contains(token);
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    /**
     * @return who holds the lock of {@code directory}, as its holder described itself, or what is
     * known when the description is missing
     */
    static String holderOf(Path directory) {
        Path file = directory.resolve(FILE_NAME);
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            String first = lines.isEmpty() ? "" : lines.get(0).trim();
            return first.isEmpty() ? "another process (it has not written its description yet)" : first;
        } catch (NoSuchFileException e) {
            return "another process, whose description " + file + " was deleted (find it with 'lsof " + directory + "')";
        } catch (IOException e) {
            return "another process (its description " + file + " could not be read: " + e.getMessage() + ")";
        }
    }

    /** Empties the description, so it never names a holder that is gone, then releases the lock. */
    @Override
    public void close() {
        try {
            channel.truncate(0);
        } catch (IOException e) {
            // The next holder rewrites it in any case.
        }
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // Closing the channel releases the lock in any case; nothing to report that the caller can act on.
        }
    }
}
