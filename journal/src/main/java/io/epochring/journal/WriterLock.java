package io.epochring.journal;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The single-writer lock of a journal directory: a {@link DirectoryLock}, refusing a second writer
 * with a {@link JournalLockedException}.
 */
final class WriterLock implements AutoCloseable {

    private final DirectoryLock lock;

    private WriterLock(DirectoryLock lock) {
        this.lock = lock;
    }

    /**
     * @throws JournalLockedException when another writer holds the directory
     * @throws IOException when the directory cannot be locked
     */
    static WriterLock acquire(Path directory) throws IOException {
        try {
            return new WriterLock(DirectoryLock.lock(directory, () -> { }, () -> { }));
        } catch (DirectoryLockedException e) {
            throw new JournalLockedException(directory, e.holder());
        }
    }

    @Override
    public void close() {
        lock.close();
    }
}
