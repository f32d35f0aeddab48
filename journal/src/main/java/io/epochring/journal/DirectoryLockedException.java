package io.epochring.journal;

import io.epochring.EpochRingException;

import java.nio.file.Path;

/**
 * A {@link DirectoryLock} was refused: another holder, in this JVM or another process, has the
 * directory locked. The holder is named as it described itself (process id, host, thread and
 * since when), or, when its description was deleted, that is said instead.
 */
public class DirectoryLockedException extends EpochRingException {

    private final Path directory;
    private final String holder;

    DirectoryLockedException(Path directory, String holder) {
        this("directory " + directory + " is locked by " + holder + ": only one writer may use it at a time; stop the other one first",
             directory, holder);
    }

    DirectoryLockedException(String message, Path directory, String holder) {
        super(message);
        this.directory = directory;
        this.holder = holder;
    }

    /** @return the directory that was refused */
    public Path directory() {
        return directory;
    }

    /**
     * @return who holds it: process id, host, thread and since when, as the holder wrote it (with
     * "(in this JVM)" for a holder in this JVM), or what is known when that description is missing
     */
    public String holder() {
        return holder;
    }
}
