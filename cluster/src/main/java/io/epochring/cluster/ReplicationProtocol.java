package io.epochring.cluster;

/**
 * The bytes on the cluster's ingress and egress, kept apart from the code that sends them so that
 * the client and the service cannot disagree.
 *
 * <pre>
 *  ingress (client -> cluster log):  writer id (long) | sequence (long) | the write, as the WriteCodec encodes it
 *  egress  (service -> client):      sequence (long) | epoch (long) [| reason, UTF-8, when epoch is REFUSED]
 *  snapshot, first message:          MAGIC (int) | VERSION (int) | last epoch (long) | log position (long)
 *                                    | writer history messages that follow (int)
 *  snapshot, each writer history:    HISTORY_MAGIC (int) | entries (int) | writer id (long) | session id (long)
 *                                    | highest sequence (long) | entries x (sequence (long) | epoch (long))
 * </pre>
 *
 * A writer id is chosen at random by each {@link ClusterWriter}; its sequences count its writes
 * from 1. Version 1 snapshots (no writer histories) are still read. Little-endian, as Agrona's
 * buffers write by default.
 */
final class ReplicationProtocol {

    static final int WRITER_ID_OFFSET = 0;
    static final int SEQUENCE_OFFSET = WRITER_ID_OFFSET + Long.BYTES;
    static final int WRITE_OFFSET = SEQUENCE_OFFSET + Long.BYTES;

    static final int REPLY_SEQUENCE_OFFSET = 0;
    static final int EPOCH_OFFSET = REPLY_SEQUENCE_OFFSET + Long.BYTES;
    static final int REASON_OFFSET = EPOCH_OFFSET + Long.BYTES;
    static final int REPLY_LENGTH = REASON_OFFSET;
    /** The epoch of a reply whose write got no epoch (the service could not decode it, or cannot tell): the reason says which. */
    static final long REFUSED = -1;

    /** "EPRS": tells a snapshot of this service from another service's bytes. */
    static final int SNAPSHOT_MAGIC = 0x45505253;
    static final int SNAPSHOT_VERSION = 2;
    /** Snapshots without writer histories, written before retries were deduplicated. */
    static final int SNAPSHOT_VERSION_1 = 1;
    static final int SNAPSHOT_MAGIC_OFFSET = 0;
    static final int SNAPSHOT_VERSION_OFFSET = SNAPSHOT_MAGIC_OFFSET + Integer.BYTES;
    static final int SNAPSHOT_EPOCH_OFFSET = SNAPSHOT_VERSION_OFFSET + Integer.BYTES;
    static final int SNAPSHOT_LOG_POSITION_OFFSET = SNAPSHOT_EPOCH_OFFSET + Long.BYTES;
    static final int SNAPSHOT_LENGTH_1 = SNAPSHOT_LOG_POSITION_OFFSET + Long.BYTES;
    static final int SNAPSHOT_HISTORIES_OFFSET = SNAPSHOT_LOG_POSITION_OFFSET + Long.BYTES;
    static final int SNAPSHOT_LENGTH = SNAPSHOT_HISTORIES_OFFSET + Integer.BYTES;

    /** "EPRW": a writer history message of a snapshot. */
    static final int HISTORY_MAGIC = 0x45505257;
    static final int HISTORY_MAGIC_OFFSET = 0;
    static final int HISTORY_COUNT_OFFSET = HISTORY_MAGIC_OFFSET + Integer.BYTES;
    static final int HISTORY_WRITER_ID_OFFSET = HISTORY_COUNT_OFFSET + Integer.BYTES;
    static final int HISTORY_SESSION_ID_OFFSET = HISTORY_WRITER_ID_OFFSET + Long.BYTES;
    static final int HISTORY_HIGHEST_OFFSET = HISTORY_SESSION_ID_OFFSET + Long.BYTES;
    static final int HISTORY_ENTRIES_OFFSET = HISTORY_HIGHEST_OFFSET + Long.BYTES;
    static final int HISTORY_ENTRY_LENGTH = 2 * Long.BYTES;

    private ReplicationProtocol() {
    }
}
