package io.epochring.journal;

import java.nio.ByteOrder;

/**
 * The journal's record layout, version 1: one Chronicle document per record, little-endian,
 * a fixed 24-byte header, a body, and a CRC32C of everything before it.
 *
 * <pre>
 *  offset  size  WRITE, REJECTED_WRITE, LOST    CHECKPOINT
 *  0       1     version (1)                    version (1)
 *  1       1     type 1, 3 or 4                 type 2
 *  2       2     channel length n (UTF-8)       0
 *  4       4     payload length m               0
 *  8       8     epoch                          durable epoch
 *  16      8     previous write's epoch         written epoch
 *  24      n     channel name                   -
 *  24+n    m     payload                        -
 *  24+n+m  4     CRC32C of bytes [0, 24+n+m)    CRC32C of bytes [0, 24)
 * </pre>
 *
 * <p>Design note: the checksum is ours, not Chronicle's. Chronicle makes a document all-or-nothing
 * against a crash (a torn document is never visible), but a flipped bit or a truncated file reads
 * back as a "valid" document; the CRC turns that into a reported error. The previous write's
 * epoch chains write records, so a record that vanished from the middle of the journal (a
 * damaged header that makes Chronicle stop early, a missing file) is noticed too, without
 * requiring epochs to be contiguous (a write the codec could not encode has an epoch but no
 * record).
 *
 * <p>A REJECTED_WRITE is a write whose {@code Delta.apply} threw when it was first written: it is
 * laid out like a WRITE and is part of the same chain (the next write names its epoch), but replay
 * hands it over as rejected instead of applying it. A reader that predates type 3 reports it as an
 * unknown record type rather than replaying it as a write.
 *
 * <p>A LOST record says that the epochs after the previous write's up to its own were lost from
 * the journal (a deleted, truncated or zeroed file) and that recovery went on without them because
 * the user accepted it: no channel, no payload, chained like a write, and never replayed. It keeps
 * the journal's end above every epoch used before the loss, so none is used again.
 */
final class RecordFormat {

    static final byte VERSION = 1;
    static final byte TYPE_WRITE = 1;
    static final byte TYPE_CHECKPOINT = 2;
    static final byte TYPE_REJECTED_WRITE = 3;
    static final byte TYPE_LOST = 4;

    static final int VERSION_OFFSET = 0;
    static final int TYPE_OFFSET = 1;
    static final int CHANNEL_LENGTH_OFFSET = 2;
    static final int PAYLOAD_LENGTH_OFFSET = 4;
    static final int EPOCH_OFFSET = 8;
    /** WRITE, REJECTED_WRITE and LOST: the previous write record's epoch (0 when there was none); CHECKPOINT: the written epoch. */
    static final int SECOND_EPOCH_OFFSET = 16;
    static final int HEADER_LENGTH = 24;
    static final int CHECKSUM_LENGTH = 4;
    static final int CHECKPOINT_LENGTH = HEADER_LENGTH + CHECKSUM_LENGTH;
    static final int MAX_CHANNEL_BYTES = 0xFFFF;

    static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    private RecordFormat() {
    }
}
