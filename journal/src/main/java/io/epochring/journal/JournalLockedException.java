package io.epochring.journal;

import java.nio.file.Path;

/**
 * A journal directory is already open for writing by another {@link ChronicleJournal} (in this
 * JVM or another process); only one coordinator may write a journal at a time. Readers such as
 * {@link JournalInspector} are not affected.
 */
public final class JournalLockedException extends DirectoryLockedException {

    JournalLockedException(Path directory, String holder) {
        super("journal directory " + directory + " is already open for writing by " + holder
              + ": only one coordinator may write a journal; stop the other one first, or use JournalInspector to read it alongside",
              directory, holder);
    }
}
