package io.epochring.journal;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
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
import static io.epochring.journal.RecordFormat.TYPE_OFFSET;
import static io.epochring.journal.RecordFormat.VERSION;
import static io.epochring.journal.RecordFormat.VERSION_OFFSET;

/**
 * Encodes records (see {@link RecordFormat}) into Chronicle documents. One instance per appending
 * thread; nothing is allocated per record: each record is built in a reused array (grown for the
 * largest payload seen) and the checksum object is reused. Before a record's bytes go into the
 * mapped file, the journal's {@link SpaceReserver} makes sure the disk has blocks for them.
 */
final class RecordWriter {

    private final SpaceReserver space;
    private final CRC32C crc = new CRC32C();
    private final ChannelNames channels = new ChannelNames();
    private byte[] record = new byte[256];
    private final UnsafeBuffer recordBuffer = new UnsafeBuffer(record);

    RecordWriter(SpaceReserver space) {
        this.space = space;
    }

    /**
     * @return the UTF-8 bytes of {@code channel}, to pass to {@link #write}
     * @throws IllegalArgumentException when the name is longer than the record format allows
     */
    byte[] channelBytes(String channel) {
        return channels.encode(channel);
    }

    /**
     * Appends one WRITE or REJECTED_WRITE record as one document: all of it becomes visible, or
     * none of it. The arguments are checked by the caller ({@link #channelBytes}, the payload's
     * bounds), so anything thrown from here is a failure to write.
     *
     * @throws IOException when the disk has no room for the record; nothing of it was written
     */
    void write(ExcerptAppender appender, byte type, long epoch, long previousEpoch, byte[] name,
               DirectBuffer payload, int offset, int length) throws IOException {
        int payloadStart = HEADER_LENGTH + name.length;
        int recordLength = payloadStart + length + CHECKSUM_LENGTH;
        if (record.length < recordLength) {
            record = new byte[Math.max(recordLength, record.length * 2)];
            recordBuffer.wrap(record);
        }
        // The whole record is assembled in one reused array: one checksum call and one copy into
        // the mapped file, the cheapest way through Chronicle's bounds checks for small records.
        putHeader(type, name.length, length, epoch, previousEpoch);
        System.arraycopy(name, 0, record, HEADER_LENGTH, name.length);
        payload.getBytes(offset, record, payloadStart, length);
        seal(recordLength);
        append(appender, recordLength);
    }

    /**
     * Appends one LOST record: epochs {@code previousEpoch + 1 .. lastLostEpoch} were lost.
     *
     * @throws IOException when the disk has no room for the record; nothing of it was written
     */
    void lost(ExcerptAppender appender, long lastLostEpoch, long previousEpoch) throws IOException {
        putHeader(RecordFormat.TYPE_LOST, 0, 0, lastLostEpoch, previousEpoch);
        seal(HEADER_LENGTH + CHECKSUM_LENGTH);
        append(appender, HEADER_LENGTH + CHECKSUM_LENGTH);
    }

    /**
     * Appends one CHECKPOINT record.
     *
     * @throws IOException when the disk has no room for the record; nothing of it was written
     */
    void checkpoint(ExcerptAppender appender, long durableEpoch, long writtenEpoch) throws IOException {
        putHeader(TYPE_CHECKPOINT, 0, 0, durableEpoch, writtenEpoch);
        seal(CHECKPOINT_LENGTH);
        append(appender, CHECKPOINT_LENGTH);
    }

    private void seal(int recordLength) {
        int checksummed = recordLength - CHECKSUM_LENGTH;
        crc.reset();
        crc.update(record, 0, checksummed);
        recordBuffer.putInt(checksummed, (int) crc.getValue(), ORDER);
    }

    /**
     * A failure to reserve space or to copy the bytes rolls the document back, so no part of the
     * record becomes visible. A failure of Chronicle itself (opening or completing the document) can
     * leave the appender inside a document; the caller must then not use the appender again.
     */
    private void append(ExcerptAppender appender, int recordLength) throws IOException {
        try (DocumentContext dc = appender.writingDocument()) {
            try {
                Bytes<?> bytes = dc.wire().bytes();
                // Inside the document: its write position is the record's offset in the file, and no other appender writes now.
                space.reserve(appender, bytes.writePosition(), recordLength);
                bytes.write(record, 0, recordLength);
            } catch (IOException | RuntimeException | Error e) {
                dc.rollbackOnClose();
                throw e;
            }
        }
    }

    private void putHeader(byte type, int channelLength, int payloadLength, long epoch, long secondEpoch) {
        recordBuffer.putByte(VERSION_OFFSET, VERSION);
        recordBuffer.putByte(TYPE_OFFSET, type);
        recordBuffer.putShort(CHANNEL_LENGTH_OFFSET, (short) channelLength, ORDER);
        recordBuffer.putInt(PAYLOAD_LENGTH_OFFSET, payloadLength, ORDER);
        recordBuffer.putLong(EPOCH_OFFSET, epoch, ORDER);
        recordBuffer.putLong(SECOND_EPOCH_OFFSET, secondEpoch, ORDER);
    }
}
