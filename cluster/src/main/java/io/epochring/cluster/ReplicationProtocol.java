package io.epochring.cluster;

/**
 * The bytes on the cluster's ingress and egress, kept apart from the code that sends them so that
 * the client and the service cannot disagree.
 *
 * <pre>
 *  ingress (client -> cluster log):  correlationId (long) | the write, as the WriteCodec encodes it
 *  egress  (service -> client):      correlationId (long) | epoch (long) [| reason, UTF-8, when epoch is REFUSED]
 *  snapshot (one message):           MAGIC (int) | VERSION (int) | last epoch (long) | log position (long)
 * </pre>
 *
 * Little-endian, as Agrona's buffers write by default.
 */
final class ReplicationProtocol {

    static final int CORRELATION_ID_OFFSET = 0;
    static final int WRITE_OFFSET = CORRELATION_ID_OFFSET + Long.BYTES;

    static final int EPOCH_OFFSET = CORRELATION_ID_OFFSET + Long.BYTES;
    static final int REASON_OFFSET = EPOCH_OFFSET + Long.BYTES;
    static final int REPLY_LENGTH = REASON_OFFSET;
    /** The epoch of a reply whose write the service could not decode: it got no epoch, and no node applied it. */
    static final long REFUSED = -1;

    /** "EPRS": tells a snapshot of this service from another service's bytes. */
    static final int SNAPSHOT_MAGIC = 0x45505253;
    static final int SNAPSHOT_VERSION = 1;
    static final int SNAPSHOT_MAGIC_OFFSET = 0;
    static final int SNAPSHOT_VERSION_OFFSET = SNAPSHOT_MAGIC_OFFSET + Integer.BYTES;
    static final int SNAPSHOT_EPOCH_OFFSET = SNAPSHOT_VERSION_OFFSET + Integer.BYTES;
    static final int SNAPSHOT_LOG_POSITION_OFFSET = SNAPSHOT_EPOCH_OFFSET + Long.BYTES;
    static final int SNAPSHOT_LENGTH = SNAPSHOT_LOG_POSITION_OFFSET + Long.BYTES;

    private ReplicationProtocol() {
    }
}
