package io.epochring;

/**
 * A journal record could not be read: unknown format version, corrupt or truncated bytes, or a
 * payload the codec cannot decode. The message names the file, index and, where known, epoch.
 */
public final class JournalCorruptedException extends EpochRingException {

    public JournalCorruptedException(String message) {
        super(message);
    }

    public JournalCorruptedException(String message, Throwable cause) {
        super(message, cause);
    }
}
