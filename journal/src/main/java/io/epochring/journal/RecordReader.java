package io.epochring.journal;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.BytesStore;
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
 * record is checked (version, length, checksum, type, lengths) and its payload exposed through
 * {@link #payload}. A problem is returned as text, not thrown, so the caller can add where it
 * happened. One instance per reading thread.
 *
 * <p>Where the document lies in native memory (a mapped journal file) and {@link InPlaceChecksum}
 * is available, the record is read where it lies: {@link #payload} then points into the mapped
 * file, and is valid only while the caller keeps the document open ({@link #release} ends that).
 * Otherwise the document is copied once into a reused array, as the fallback; either way the
 * checks and their messages are the same.
 */
final class RecordReader {

    /** What {@link #release} points the buffers at: an access after it fails instead of reading unmapped memory. */
    private static final byte[] RELEASED = new byte[0];

    private final CRC32C crc = new CRC32C();
    private final ChannelNames channels = new ChannelNames();
    /** Whether this reader may read records in place (tests turn it off to compare both ways). */
    private final boolean inPlaceAllowed;
    private byte[] bytes = new byte[256];
    /** The current record, from its version byte: over {@link #bytes}, or over the document's memory. */
    private final UnsafeBuffer view = new UnsafeBuffer(bytes);
    /** Whether {@link #view} and {@link #payload} point into the document rather than at {@link #bytes}. */
    private boolean inPlace;

    /**
     * The payload of the current write record: {@code [payloadOffset, payloadOffset + payloadLength)}.
     * Valid only until {@link #release} (after which reading it fails) or the next read.
     */
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

    RecordReader() {
        this(InPlaceChecksum.AVAILABLE);
    }

    /** @param inPlace whether to read records in native memory where they lie (when the checksum can be computed there) */
    RecordReader(boolean inPlace) {
        this.inPlaceAllowed = inPlace && InPlaceChecksum.AVAILABLE;
    }

    /**
     * Reads the remaining bytes of {@code document} as one record. The document must stay open,
     * and its bytes unchanged, while {@link #payload} is used, until {@link #release}.
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
        if (!(inPlaceAllowed && wrapInPlace(document))) {
            copy(document);
        }
        return verify();
    }

    /** @return whether the record now lies, whole, under {@link #view} and {@link #payload} in place */
    private boolean wrapInPlace(Bytes<?> document) {
        // Shorter records are refused by verify() anyway: the copy gives the same message with less to prove.
        if (length < CHECKPOINT_LENGTH || !document.isDirectMemory()) {
            return false;
        }
        long start = document.readPosition();
        // Given the length, Chronicle moves to the mapped chunk that holds the whole range; should
        // the range still not lie in one piece of memory, copy instead of reading past its end.
        long address = document.addressForRead(start, length);
        BytesStore<?, ?> store = document.bytesStore();
        if (store == null || !store.inside(start, length)) {
            return false;
        }
        view.wrap(address, length);
        payload.wrap(address, length);
        inPlace = true;
        return true;
    }

    /**
     * Reads the {@code length} bytes at {@code address} as one record, in place: for records that
     * lie in native memory the caller keeps valid (the documents after an open one, read from the
     * file into a window, see {@code JournalCursor}) until {@link #release}. Only where {@link #readsInPlace}.
     *
     * @return null when the record is valid, else what is wrong with it (the same text {@link #read} gives)
     */
    String readAt(long address, int length) {
        epochKnown = false;
        checksumOk = false;
        this.length = length;
        view.wrap(address, length);
        payload.wrap(address, length);
        inPlace = true;
        return verify();
    }

    /** @return whether this reader reads records in native memory where they lie, when it can */
    boolean readsInPlace() {
        return inPlaceAllowed;
    }

    private void copy(Bytes<?> document) {
        boolean grown = bytes.length < length;
        if (grown) {
            bytes = new byte[Math.max(length, bytes.length * 2)];
        }
        if (grown || inPlace) {
            view.wrap(bytes);
            payload.wrap(bytes);
            inPlace = false;
        }
        document.read(bytes, 0, length);
    }

    /**
     * The document was closed: points {@link #payload} away from its memory, which may be
     * unmapped once the reader moves on. The scalar fields (epochs, type, channel, lengths) stay.
     */
    void release() {
        if (inPlace) {
            view.wrap(RELEASED);
            payload.wrap(RELEASED);
            // The next copy() re-wraps the array.
        }
    }

    /** @return whether the current record was read in place rather than copied (for tests) */
    boolean readInPlace() {
        return inPlace;
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
        byte version = view.getByte(VERSION_OFFSET);
        if (version != VERSION) {
            return "unknown journal format version " + (version & 0xFF) + " (this EpochRing reads version " + VERSION
                   + "): the record was written by a different EpochRing version, or is corrupt";
        }
        if (length < CHECKPOINT_LENGTH) {
            return "record is " + length + " bytes, shorter than the smallest record (" + CHECKPOINT_LENGTH + "): it is truncated";
        }
        type = view.getByte(TYPE_OFFSET);
        epoch = view.getLong(EPOCH_OFFSET, ORDER);
        secondEpoch = view.getLong(SECOND_EPOCH_OFFSET, ORDER);
        epochKnown = true;
        int computed = checksum();
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

    /** @return the CRC32C of the record's bytes before its checksum, the same whichever way it was read */
    int checksum() {
        if (inPlace) {
            return InPlaceChecksum.compute(view.addressOffset(), length - CHECKSUM_LENGTH);
        }
        crc.reset();
        crc.update(bytes, 0, length - CHECKSUM_LENGTH);
        return (int) crc.getValue();
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
        channel = channels.decode(view, HEADER_LENGTH, channelLength);
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

    /** @return a copy of the current record's payload; only before {@link #release} */
    byte[] payloadCopy() {
        byte[] copy = new byte[payloadLength];
        payload.getBytes(payloadOffset, copy);
        return copy;
    }
}
