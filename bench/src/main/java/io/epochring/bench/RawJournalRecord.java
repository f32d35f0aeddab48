package io.epochring.bench;

import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * The raw Chronicle ceilings' record: the bytes the journal writes for one write record (the
 * layout of {@code io.epochring.journal.RecordFormat}, version 1), appended as one Chronicle
 * document with nothing else around it.
 *
 * <pre>
 *  0  version 1 | 1  type 1 (WRITE) | 2  channel length n | 4  payload length m
 *  8  epoch     | 16 previous write's epoch | 24  channel (UTF-8) | 24+n  payload | 24+n+m  CRC32C
 * </pre>
 *
 * <p>The image is built once, checksum included; {@link #append} patches the two epochs and
 * writes it. Design note (checksum): the ceiling does not recompute the CRC32C per record. The
 * checksum is the journal's own format work, not Chronicle's, so it belongs to what the ratio
 * against the ceiling measures; a ceiling that skips work only sits higher, never flatters
 * EpochRing. Every record has the same size and layout as the journal's, so Chronicle does the
 * same work per record. {@code RawJournalRecordTest} checks the image against what
 * {@code ChronicleJournal} writes.
 */
final class RawJournalRecord {

    static final byte VERSION = 1;
    static final byte TYPE_WRITE = 1;
    static final int HEADER_LENGTH = 24;
    static final int EPOCH_OFFSET = 8;
    static final int PREVIOUS_EPOCH_OFFSET = 16;
    static final int CHECKSUM_LENGTH = 4;
    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    private final byte[] bytes;
    private final UnsafeBuffer image;

    /**
     * @param channel the channel name the coordinator journals with
     * @param write   the write whose encoded payload the record carries
     * @param codec   the codec the coordinator uses
     * @param epoch   the epoch to build the image (and its checksum) for
     */
    RawJournalRecord(String channel, Long write, FixedSizeCodec codec, long epoch) {
        byte[] name = channel.getBytes(StandardCharsets.UTF_8);
        ExpandableArrayBuffer payload = new ExpandableArrayBuffer(codec.size());
        int payloadLength = codec.encode(write, payload, 0);
        int length = HEADER_LENGTH + name.length + payloadLength + CHECKSUM_LENGTH;
        bytes = new byte[length];
        image = new UnsafeBuffer(bytes);
        image.putByte(0, VERSION);
        image.putByte(1, TYPE_WRITE);
        image.putShort(2, (short) name.length, ORDER);
        image.putInt(4, payloadLength, ORDER);
        image.putLong(EPOCH_OFFSET, epoch, ORDER);
        image.putLong(PREVIOUS_EPOCH_OFFSET, epoch - 1, ORDER);
        image.putBytes(HEADER_LENGTH, name);
        image.putBytes(HEADER_LENGTH + name.length, payload, 0, payloadLength);
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, length - CHECKSUM_LENGTH);
        image.putInt(length - CHECKSUM_LENGTH, (int) crc.getValue(), ORDER);
    }

    /** @return the record's length in bytes (Chronicle adds its 4-byte document header) */
    int length() {
        return bytes.length;
    }

    /** @return a copy of the record as built (for tests) */
    byte[] bytes() {
        return bytes.clone();
    }

    /** Appends the record as write {@code epoch}, following write {@code epoch - 1}. */
    void append(ExcerptAppender appender, long epoch) {
        image.putLong(EPOCH_OFFSET, epoch, ORDER);
        image.putLong(PREVIOUS_EPOCH_OFFSET, epoch - 1, ORDER);
        try (DocumentContext dc = appender.writingDocument()) {
            dc.wire().bytes().write(bytes, 0, bytes.length);
        }
    }
}
