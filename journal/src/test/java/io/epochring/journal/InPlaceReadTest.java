package io.epochring.journal;

import io.epochring.journal.support.TestDirs;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32C;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Records read in place (in the mapped file, checksum by Agrona's Crc32c) and records copied to
 * the heap (checksum by {@link CRC32C}) are the same records: same checksum, same fields, same
 * payload, and the same refusal of a damaged one.
 */
class InPlaceReadTest {

    @Test
    void shouldHaveTheInPlaceChecksumInAJvmStartedWithJvmOptions() {
        // given this JVM, which surefire starts with @jvm.options
        // then the fast path is the one under test below
        assertThat(InPlaceChecksum.AVAILABLE).isTrue();
    }

    @Test
    void shouldComputeTheSameChecksumAsTheJdkOverNativeMemory() {
        Random random = new Random(42);
        for (int length : new int[] {0, 1, 7, 8, 24, 63, 64, 65, 1000, 4096 + 13}) {
            byte[] data = new byte[length];
            random.nextBytes(data);
            Bytes<?> direct = Bytes.allocateElasticDirect(Math.max(1, length));
            try {
                direct.write(data);
                CRC32C jdk = new CRC32C();
                jdk.update(data, 0, length);
                assertThat(InPlaceChecksum.compute(direct.addressForRead(0), length)).as("length %d", length)
                                                                                   .isEqualTo((int) jdk.getValue());
            } finally {
                direct.releaseLast();
            }
        }
    }

    @Test
    void shouldReadEveryRecordOfAMappedJournalTheSameInPlaceAndCopied() {
        // given a journal of writes with payloads of many sizes (empty included), rejected writes and a checkpoint
        Path dir = TestDirs.fresh("in-place-same");
        Random random = new Random(7);
        List<byte[]> payloads = new ArrayList<>();
        try (ChronicleJournal journal = ChronicleJournal.builder(dir).build()) {
            for (int epoch = 1; epoch <= 300; epoch++) {
                byte[] payload = new byte[random.nextInt(epoch % 50 == 0 ? 70_000 : 200)];
                random.nextBytes(payload);
                payloads.add(payload);
                if (epoch % 17 == 0) {
                    journal.appendRejected(epoch, "rejected-" + (epoch % 3), new UnsafeBuffer(payload), 0, payload.length);
                } else {
                    journal.append(epoch, epoch % 2 == 0 ? "even" : "odd", new UnsafeBuffer(payload), 0, payload.length);
                }
                if (epoch % 100 == 0) {
                    journal.commit();
                    journal.checkpoint(epoch - 50, epoch);
                }
            }
            journal.commit();
        }

        // when each document is read both ways
        RecordReader inPlace = new RecordReader(true);
        RecordReader copied = new RecordReader(false);
        int writes = 0;
        int checkpoints = 0;
        try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.binary(dir).rollCycle(RollCycles.FAST_HOURLY).build();
             ExcerptTailer tailer = queue.createTailer()) {
            while (true) {
                try (DocumentContext dc = tailer.readingDocument()) {
                    if (!dc.isPresent()) {
                        break;
                    }
                    Bytes<?> bytes = dc.wire().bytes();
                    long start = bytes.readPosition();
                    assertThat(inPlace.read(bytes)).isNull();
                    bytes.readPosition(start);
                    assertThat(copied.read(bytes)).isNull();

                    // then
                    assertThat(inPlace.readInPlace()).as("mapped bytes are read in place").isTrue();
                    assertThat(copied.readInPlace()).isFalse();
                    assertThat(inPlace.checksum()).isEqualTo(copied.checksum());
                    assertThat(inPlace.type).isEqualTo(copied.type);
                    assertThat(inPlace.epoch).isEqualTo(copied.epoch);
                    assertThat(inPlace.secondEpoch).isEqualTo(copied.secondEpoch);
                    assertThat(inPlace.length).isEqualTo(copied.length);
                    if (inPlace.isCheckpoint()) {
                        checkpoints++;
                        continue;
                    }
                    writes++;
                    assertThat(inPlace.channel).isEqualTo(copied.channel);
                    assertThat(inPlace.payloadCopy()).isEqualTo(copied.payloadCopy())
                                                     .isEqualTo(payloads.get((int) inPlace.epoch - 1));
                    assertThat(payloadBytes(inPlace)).isEqualTo(payloadBytes(copied));
                    inPlace.release();
                }
            }
        }
        assertThat(writes).isEqualTo(300);
        assertThat(checkpoints).isEqualTo(3);
    }

    @Test
    void shouldRefuseAFlippedPayloadByteWithTheChecksumMessageEitherWay() {
        // given a valid write record, in native memory and on the heap, with one payload byte flipped
        byte[] record = writeRecord(5, 4, "a", new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        String valid = readDirect(new RecordReader(true), record);
        assertThat(valid).isNull();
        record[RecordFormat.HEADER_LENGTH + 1 + 3] ^= 0x20;

        // when
        RecordReader inPlace = new RecordReader(true);
        String inPlaceProblem = readDirect(inPlace, record);
        RecordReader copied = new RecordReader(false);
        String copiedProblem = readDirect(copied, record);
        String heapProblem = new RecordReader(true).read(Bytes.wrapForRead(record));

        // then the same refusal, naming both checksums, and the epoch is not trusted
        assertThat(inPlaceProblem).startsWith("checksum mismatch (stored 0x")
                                  .endsWith("): the record's bytes were damaged (flipped or truncated)")
                                  .isEqualTo(copiedProblem)
                                  .isEqualTo(heapProblem);
        assertThat(inPlace.checksumOk).isFalse();
        assertThat(inPlace.epochKnown).isTrue();
        assertThat(inPlace.epoch).isEqualTo(5);
    }

    @Test
    void shouldPointThePayloadAwayFromTheDocumentOnceReleased() {
        byte[] record = writeRecord(1, 0, "a", new byte[] {9, 9, 9});
        RecordReader reader = new RecordReader(true);
        Bytes<?> direct = Bytes.allocateElasticDirect(record.length);
        try {
            direct.write(record);
            assertThat(reader.read(direct)).isNull();
            assertThat(reader.readInPlace()).isTrue();
            reader.release();
            assertThat(reader.payload.capacity()).isZero();
            assertThat(reader.epoch).isEqualTo(1);
            assertThat(reader.channel).isEqualTo("a");
        } finally {
            direct.releaseLast();
        }
    }

    private static byte[] payloadBytes(RecordReader reader) {
        byte[] bytes = new byte[reader.payloadLength];
        reader.payload.getBytes(reader.payloadOffset, bytes);
        return bytes;
    }

    /** @return what {@code reader} says of {@code record} laid in native memory */
    private static String readDirect(RecordReader reader, byte[] record) {
        Bytes<?> direct = Bytes.allocateElasticDirect(record.length);
        try {
            direct.write(record);
            String problem = reader.read(direct);
            reader.release();
            return problem;
        } finally {
            direct.releaseLast();
        }
    }

    /** A WRITE record as {@link RecordFormat} lays it out, checksum sealed. */
    private static byte[] writeRecord(long epoch, long previous, String channel, byte[] payload) {
        byte[] name = channel.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] record = new byte[RecordFormat.HEADER_LENGTH + name.length + payload.length + RecordFormat.CHECKSUM_LENGTH];
        UnsafeBuffer buffer = new UnsafeBuffer(record);
        buffer.putByte(RecordFormat.VERSION_OFFSET, RecordFormat.VERSION);
        buffer.putByte(RecordFormat.TYPE_OFFSET, RecordFormat.TYPE_WRITE);
        buffer.putShort(RecordFormat.CHANNEL_LENGTH_OFFSET, (short) name.length, RecordFormat.ORDER);
        buffer.putInt(RecordFormat.PAYLOAD_LENGTH_OFFSET, payload.length, RecordFormat.ORDER);
        buffer.putLong(RecordFormat.EPOCH_OFFSET, epoch, RecordFormat.ORDER);
        buffer.putLong(RecordFormat.SECOND_EPOCH_OFFSET, previous, RecordFormat.ORDER);
        buffer.putBytes(RecordFormat.HEADER_LENGTH, name);
        buffer.putBytes(RecordFormat.HEADER_LENGTH + name.length, payload);
        CRC32C crc = new CRC32C();
        crc.update(record, 0, record.length - RecordFormat.CHECKSUM_LENGTH);
        buffer.putInt(record.length - RecordFormat.CHECKSUM_LENGTH, (int) crc.getValue(), RecordFormat.ORDER);
        return record;
    }
}
