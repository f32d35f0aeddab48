package io.epochring.journal;

import io.epochring.EpochRingException;

import java.nio.file.Path;

/**
 * A journal directory is already open for writing by another {@link ChronicleJournal} (in this
 * JVM or another process); only one coordinator may write a journal at a time. Readers such as
 * {@link JournalInspector} are not affected.
 */
public final class JournalLockedException extends EpochRingException {

    private final Path directory;
    private final String holder;

    JournalLockedException(Path directory, String holder) {
        super("journal directory " + directory + " is already open for writing by " + holder
              + ": only one coordinator may write a journal; stop the other one first, or use JournalInspector to read it alongside");
        this.directory = directory;
        this.holder = holder;
    }

    /** @return the directory that was refused */
    public Path directory() {
        return directory;
    }

    /** @return who holds it: process id, host, thread and since when, as the holder wrote it */
    public String holder() {
        return holder;
    }
}
