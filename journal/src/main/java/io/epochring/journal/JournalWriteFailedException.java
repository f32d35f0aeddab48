package io.epochring.journal;

import io.epochring.EpochRingException;

import java.nio.file.Path;

/**
 * Writing to a journal failed (a full disk, a revoked permission, an I/O error on the mapped
 * file), or failed earlier: after the first failed append, commit or checkpoint a
 * {@link ChronicleJournal} refuses every later one with this exception, whose cause is that first
 * failure. The record being written then may be incomplete, and Chronicle's appender may be in the
 * middle of it (except on a full disk, found before the record is begun: its cause is then the
 * {@link java.io.IOException} of reserving disk space); only closing the journal and opening the
 * directory again is safe, since recovery reads up to the last complete record.
 */
public final class JournalWriteFailedException extends EpochRingException {

    private final Path directory;

    JournalWriteFailedException(Path directory, String problem, Throwable firstFailure) {
        super(problem + ". The journal writes nothing more: close it and open the directory again (recovery reads up to the"
              + " last complete record); first check the disk holding " + directory + " (free space, permissions, I/O errors)",
              firstFailure);
        this.directory = directory;
    }

    /** @return the journal directory that could not be written */
    public Path directory() {
        return directory;
    }
}
