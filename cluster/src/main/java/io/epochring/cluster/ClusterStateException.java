package io.epochring.cluster;

import io.epochring.EpochRingException;

/**
 * This node's state and the cluster's do not fit together (a snapshot ahead of the node's ring, a
 * snapshot this service did not write, a ring that refused a write of the log), so the node stops
 * instead of applying the log wrongly. The message says which node, which epochs, and what to do.
 */
public class ClusterStateException extends EpochRingException {

    public ClusterStateException(String message) {
        super(message);
    }

    public ClusterStateException(String message, Throwable cause) {
        super(message, cause);
    }
}
