package io.epochring.cluster;

import io.epochring.EpochRingException;

/**
 * A write submitted through a {@link ClusterWriter} did not become REPLICATED, or its outcome is
 * unknown; the message says which, and whether retrying could apply it twice.
 */
public class ClusterWriteException extends EpochRingException {

    public ClusterWriteException(String message) {
        super(message);
    }

    public ClusterWriteException(String message, Throwable cause) {
        super(message, cause);
    }
}
