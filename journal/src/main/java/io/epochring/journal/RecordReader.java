package io.epochring.journal;

import net.openhft.chronicle.bytes.Bytes;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.zip.CRC32C;

import static io.epochring.journal.RecordFormat.CHANNEL_LENGTH_OFFSET;
import static io.epochring.journal.RecordFormat.CHECKPOINT_LENGTH;
import static io.epochring.journal.RecordFormat.CHECKSUM_LENGTH;
import static io.epochring.journal.RecordFormat.EPOCH_OFFSET;
import static io.epochring.journal.RecordFormat.HEADER_LENGTH;
import static io.epochring.journal.RecordFormat.ORDER;
import static io.epochring.journal.RecordFormat.PAYLOAD_LENGTH_OFFSET;
import static io.epochring.journal.RecordFormat.SECOND_EPOCH_OFFSET;
import static io.epochring.journal.RecordFormat.TYPE_CHECKPOINT;
import static io.epochring.journal.RecordFormat.TYPE_LOST;
import static io.epochring.journal.RecordFormat.TYPE_OFFSET;
import static io.epochring.journal.RecordFormat.TYPE_REJECTED_WRITE;
import static io.epochring.journal.RecordFormat.TYPE_WRITE;
import static io.epochring.journal.RecordFormat.VERSION;
import static io.epochring.journal.RecordFormat.VERSION_OFFSET;

/**
 * Decodes and verifies one record (see {@link RecordFormat}) at a time into reused fields: the
 * document is copied once into a reused array, checked (version, length, checksum, type, lengths),
 * and its payload exposed through {@link #payload} without further copying. A problem is returned
 * as text, not thrown, so the caller can add where it happened. One instance per reading thread.
 */
final class RecordReader {

    private final CRC32C crc = new CRC32C();
    private final ChannelNames channels = new ChannelNames();
    private byte[] bytes = new byte[256];
    private final UnsafeBuffer view = new UnsafeBuffer(bytes);

    /** The payload of the current write record: {@code [payloadOffset, payloadOffset + payloadLength)}. */
    final UnsafeBuffer payload = new UnsafeBuffer(bytes);

    byte type;
    /** A write (accepted or rejected): its epoch; CHECKPOINT: the durable epoch. */
    long epoch;
    /** A write: the previous write record's epoch; CHECKPOINT: the written epoch. */
    long secondEpoch;
    String channel;
    int payloadOffset;
    int payloadLength;
    int length;
    /** Whether the epoch fields were readable at all (for error messages). */
    boolean epochKnown;
    /** Whether the checksum matched, so the epoch fields can be trusted. */
    boolean checksumOk;

    /**
     * Reads the remaining bytes of {@code document} as one record.
     *
     * @return null when the record is valid, else what is wrong with it
     */
    String read(Bytes<?> document) {
        long remaining = document.readRemaining();
        epochKnown = false;
        checksumOk = false;
        if (remaining > Integer.MAX_VALUE - 8) {
            return "record length " + remaining + " is impossible for this format";
        }
        length = (int) remaining;
        if (bytes.length < length) {
            bytes = new byte[Math.max(length, bytes.length * 2)];
            view.wrap(bytes);
            payload.wrap(bytes);
        }
        document.read(bytes, 0, length);
        return verify();
    }

    /**
     * Reads only what locating the journal's end needs: a write record's (accepted or rejected)
     * version, type and epochs are peeked in place, without copying the payload or computing the checksum. Any other record
     * (a checkpoint, something too short or of an unknown version) is read and verified in full.
     * Replay reads every record it hands out with {@link #read}, so a damaged write is still
     * reported before its data is used.
     *
     * @return null when the record looks valid, else what is wrong with it
     */
    String readHeader(Bytes<?> document) {
        long start = document.readPosition();
        if (document.readRemaining() < HEADER_LENGTH || document.readByte(start + VERSION_OFFSET) != VERSION) {
            return read(document);
        }
        byte peeked = document.readByte(start + TYPE_OFFSET);
        if (peeked != TYPE_WRITE && peeked != TYPE_REJECTED_WRITE && peeked != TYPE_LOST) {
            return read(document);
        }
        type = peeked;
        epoch = document.readLong(start + EPOCH_OFFSET);
        secondEpoch = document.readLong(start + SECOND_EPOCH_OFFSET);
        epochKnown = true;
        checksumOk = false;
        return null;
    }

    private String verify() {
        if (length < 1) {
            return "empty record (no version byte): the record is truncated";
        }
        byte version = bytes[VERSION_OFFSET];
        if (version != VERSION) {
            return "unknown journal format version " + (version & 0xFF) + " (this EpochRing reads version " + VERSION
                   + "): the record was written by a different EpochRing version, or is corrupt";
        }
        if (length < CHECKPOINT_LENGTH) {
            return "record is " + length + " bytes, shorter than the smallest record (" + CHECKPOINT_LENGTH + "): it is truncated";
        }
        type = bytes[TYPE_OFFSET];
        epoch = view.getLong(EPOCH_OFFSET, ORDER);
        secondEpoch = view.getLong(SECOND_EPOCH_OFFSET, ORDER);
        epochKnown = true;
        crc.reset();
        crc.update(bytes, 0, length - CHECKSUM_LENGTH);
        int computed = (int) crc.getValue();
        int stored = view.getInt(length - CHECKSUM_LENGTH, ORDER);
        if (computed != stored) {
            return "checksum mismatch (stored 0x" + Integer.toHexString(stored) + ", computed 0x" + Integer.toHexString(computed)
                   + "): the record's bytes were damaged (flipped or truncated)";
        }
        checksumOk = true;
        if (isWrite()) {
            return verifyWrite();
        }
        if (type == TYPE_CHECKPOINT) {
            return verifyCheckpoint();
        }
        return "unknown record type " + type + " (expected " + TYPE_WRITE + " = WRITE, " + TYPE_CHECKPOINT + " = CHECKPOINT, "
               + TYPE_REJECTED_WRITE + " = REJECTED_WRITE or " + TYPE_LOST + " = LOST)";
    }

    private String verifyWrite() {
        int channelLength = view.getShort(CHANNEL_LENGTH_OFFSET, ORDER) & 0xFFFF;
        payloadLength = view.getInt(PAYLOAD_LENGTH_OFFSET, ORDER);
        long expected = (long) HEADER_LENGTH + channelLength + payloadLength + CHECKSUM_LENGTH;
        if (payloadLength < 0 || expected != length) {
            return "record is " + length + " bytes but its header describes " + expected
                   + " (channel " + channelLength + " bytes, payload " + payloadLength + " bytes)";
        }
        if (epoch <= 0 || secondEpoch < 0 || epoch <= secondEpoch) {
            return "write record has epoch " + epoch + " after previous epoch " + secondEpoch
                   + ": epochs must be positive and increasing";
        }
        channel = channels.decode(bytes, HEADER_LENGTH, channelLength);
        payloadOffset = HEADER_LENGTH + channelLength;
        return null;
    }

    private String verifyCheckpoint() {
        if (length != CHECKPOINT_LENGTH) {
            return "checkpoint record is " + length + " bytes, expected " + CHECKPOINT_LENGTH;
        }
        if (epoch < 0 || secondEpoch < epoch) {
            return "checkpoint record has durable epoch " + epoch + " and written epoch " + secondEpoch
                   + ": expected 0 <= durable <= written";
        }
        channel = null;
        payloadOffset = 0;
        payloadLength = 0;
        return null;
    }

    /**
     * @return whether the current record is in the chain of writes: a write, accepted or rejected
     * (with an epoch, a channel and a payload), or a LOST record (an epoch, nothing else)
     */
    boolean isWrite() {
        return type == TYPE_WRITE || type == TYPE_REJECTED_WRITE || type == TYPE_LOST;
    }

    /** @return whether the current record marks epochs lost from the journal, recovered over by the user's choice */
    boolean isLost() {
        return type == TYPE_LOST;
    }

    /** @return whether the current record is a write that {@code Delta.apply} rejected when it was first written */
    boolean isRejected() {
        return type == TYPE_REJECTED_WRITE;
    }

    boolean isCheckpoint() {
        return type == TYPE_CHECKPOINT;
    }

    /** @return a copy of the current record's payload */
    byte[] payloadCopy() {
        byte[] copy = new byte[payloadLength];
        System.arraycopy(bytes, payloadOffset, copy, 0, payloadLength);
        return copy;
    }
}
