package io.epochring.kv;

import io.epochring.EpochRingException;

/**
 * The store could not be opened or read: a locked or unreadable directory, a database in another
 * format, storage errors. The message names the directory and what to do.
 */
public final class KvStoreException extends EpochRingException {

    public KvStoreException(String message) {
        super(message);
    }

    public KvStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
