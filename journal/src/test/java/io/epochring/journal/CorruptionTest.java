package io.epochring.journal;

import io.epochring.EpochRing;
import io.epochring.JournalCorruptedException;
import io.epochring.journal.support.PutCodec;
import io.epochring.journal.support.TestDirs;
import io.epochring.testing.MapDelta;
import io.epochring.testing.Put;
import io.epochring.testing.TestFlusher;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.ExpandableArrayBuffer;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

import static io.epochring.journal.support.FileEdits.flipByte;
import static io.epochring.journal.support.FileEdits.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Damage is reported with the file and position, never skipped. */
class CorruptionTest {

    @Test
    void shouldReportAFlippedPayloadByteWithFileRecordAndEpoch() throws IOException {
        Path dir = journalWithPuts("flip", 10);
        JournalEntry fourth = entry(dir, 4);
        flipByte(dir.resolve(fourth.file()), fourth.position() + 30);

        String expected = "record " + sequence(fourth) + " of that file";
        assertCorrupt(() -> replayAll(dir), "checksum mismatch", fourth.file(), expected, "epoch field 4 (unverified)");
        assertCorrupt(() -> inspect(dir), "checksum mismatch", fourth.file(), expected);
        // the coordinator refuses to start on it, and releases the journal for the next attempt
        assertCorrupt(() -> startRing(dir), "checksum mismatch", fourth.file(), expected);
        try (ChronicleJournal journal = ChronicleJournal.builder(dir).build()) {
            assertThat(journal.directory()).isEqualTo(dir);
        }
    }

    @Test
    void shouldReportAFileTruncatedInsideARecord() throws IOException {
        Path dir = journalWithPuts("truncate-inside", 10);
        JournalEntry seventh = entry(dir, 7);
        truncate(dir.resolve(seventh.file()), seventh.position() + 10);

        assertCorrupt(() -> replayAll(dir), seventh.file(), "record " + sequence(seventh) + " of that file");
    }

    @Test
    void shouldReportAFileTruncatedAtARecordBoundary() throws IOException {
        Path dir = journalWithPuts("truncate-boundary", 10);
        JournalEntry eighth = entry(dir, 8);
        JournalEntry seventh = entry(dir, 7);
        long eighthHeader = eighth.position() - 4;
        truncate(dir.resolve(eighth.file()), eighthHeader); // just before its Chronicle header

        // Chronicle itself would just see the end of the data; the file's header still says there was more
        String[] verdict = {"the file is cut short", "the file ends at byte offset " + eighthHeader + ", where record " + sequence(eighth)
                            + " should start", eighth.file(), "record " + sequence(eighth) + " of that file (byte offset " + eighthHeader + ")"};
        assertCorrupt(() -> replayAll(dir), verdict);
        assertCorrupt(() -> inspect(dir), verdict);
        assertThat(sequence(seventh)).isEqualTo(sequence(eighth) - 1);
    }

    @Test
    void shouldReportADamagedChronicleHeaderInTheMiddleOfAFile() throws IOException {
        Path dir = journalWithPuts("zeroed-header", 10);
        JournalEntry fifth = entry(dir, 5);
        write(dir.resolve(fifth.file()), fifth.position() - 4, new byte[4]); // Chronicle stops reading here

        assertCorrupt(() -> replayAll(dir), "records are missing", fifth.file());
        assertCorrupt(() -> inspect(dir), "records are missing", fifth.file());
    }

    @Test
    void shouldReportAMissingFileInTheMiddleOfTheJournal() throws IOException {
        Path dir = TestDirs.fresh("missing-file");
        SetTimeProvider time = new SetTimeProvider(1_700_000_000_000_000_000L);
        try (ChronicleJournal journal = ChronicleJournal.builder(dir).rollCycle(RollCycles.FAST_HOURLY).timeProvider(time).build()) {
            for (long epoch = 1; epoch <= 9; epoch++) {
                ChronicleJournalTest.append(journal, epoch, "a", "v" + epoch);
                if (epoch % 3 == 0) {
                    time.advanceMillis(TimeUnit.HOURS.toMillis(1));
                }
            }
            journal.commit();
        }
        List<String> files = TestDirs.queueFiles(dir);
        assertThat(files).hasSize(3);
        Files.delete(dir.resolve(files.get(1)));

        assertCorrupt(() -> replayAll(dir), "write records are missing: this record follows epoch 6 but the last write read was epoch 3",
                      files.get(2), "epoch 7");
    }

    @Test
    void shouldReportARecordWithAnUnknownFormatVersion() {
        Path dir = journalWithPuts("unknown-version", 3);
        byte[] record = validCheckpoint(5, 5);
        record[0] = 9;
        appendRaw(dir, record);

        assertCorrupt(() -> replayAll(dir), "unknown journal format version 9 (this EpochRing reads version 1)", ".cq4", "record 3 of that file");
        assertCorrupt(() -> inspect(dir), "unknown journal format version 9");
    }

    @Test
    void shouldReportARecordWithAnUnknownTypeEvenWithAValidChecksum() {
        Path dir = journalWithPuts("unknown-type", 3);
        byte[] record = validCheckpoint(5, 5);
        record[1] = 7;
        sealChecksum(record);
        appendRaw(dir, record);

        assertCorrupt(() -> replayAll(dir), "unknown record type 7", "record 3 of that file");
    }

    @Test
    void shouldReportATruncatedRecordThatChronicleStillConsidersComplete() {
        Path dir = journalWithPuts("short-record", 3);
        appendRaw(dir, new byte[] {1, 1, 0, 0, 0});

        assertCorrupt(() -> replayAll(dir), "shorter than the smallest record", "record 3 of that file");
    }

    @Test
    void shouldReportAPayloadTheCodecCannotDecodeWithTheRecordsPlace() {
        Path dir = TestDirs.fresh("undecodable");
        try (ChronicleJournal journal = ChronicleJournal.builder(dir).build()) {
            PutCodec codec = new PutCodec();
            journal.bindCodec(codec.name(), codec.version()); // as a coordinator with this codec would
            ChronicleJournalTest.append(journal, 1, "a", "not a put at all");
            journal.commit();
        }
        assertCorrupt(() -> startRing(dir), "could not be decoded", "epoch 1", ".cq4", "record 0 of that file");
    }

    // ---- journals and damage ------------------------------------------------------------------

    private static Path journalWithPuts(String name, int count) {
        Path dir = TestDirs.fresh(name);
        PutCodec codec = new PutCodec();
        ExpandableArrayBuffer buffer = new ExpandableArrayBuffer();
        try (ChronicleJournal journal = ChronicleJournal.builder(dir).build()) {
            journal.bindCodec(codec.name(), codec.version());
            for (int epoch = 1; epoch <= count; epoch++) {
                int length = codec.encode(new Put("key-" + epoch, epoch), buffer, 0);
                journal.append(epoch, "a", buffer, 0, length);
            }
            journal.commit();
        }
        return dir;
    }

    private static JournalEntry entry(Path dir, long epoch) {
        try (JournalInspector inspector = JournalInspector.open(dir)) {
            JournalEntry entry = inspector.records(epoch, 1).get(0);
            assertThat(entry.epoch()).isEqualTo(epoch);
            return entry;
        }
    }

    private static long sequence(JournalEntry entry) {
        return RollCycles.FAST_HOURLY.toSequenceNumber(entry.index());
    }

    private static void truncate(Path file, long length) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(length);
        }
    }

    /** Appends a document with exactly these bytes, as a buggy or future writer would. */
    private static void appendRaw(Path dir, byte[] record) {
        try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.binary(dir).rollCycle(RollCycles.FAST_HOURLY).build();
             ExcerptAppender appender = queue.createAppender();
             DocumentContext dc = appender.writingDocument()) {
            Bytes<?> bytes = dc.wire().bytes();
            bytes.write(record);
        }
    }

    private static byte[] validCheckpoint(long durable, long written) {
        ByteBuffer record = ByteBuffer.allocate(28).order(ByteOrder.LITTLE_ENDIAN);
        record.put((byte) 1).put((byte) 2).putShort((short) 0).putInt(0).putLong(durable).putLong(written);
        byte[] bytes = record.array();
        sealChecksum(bytes);
        return bytes;
    }

    private static void sealChecksum(byte[] record) {
        CRC32C crc = new CRC32C();
        crc.update(record, 0, record.length - 4);
        ByteBuffer.wrap(record).order(ByteOrder.LITTLE_ENDIAN).putInt(record.length - 4, (int) crc.getValue());
    }

    // ---- the three readers ----------------------------------------------------------------------

    private static void replayAll(Path dir) {
        try (ChronicleJournal journal = ChronicleJournal.builder(dir).build()) {
            journal.replay(0, (epoch, channel, payload, offset, length) -> { });
        }
    }

    private static void inspect(Path dir) {
        try (JournalInspector inspector = JournalInspector.open(dir)) {
            inspector.summary();
        }
    }

    private static void startRing(Path dir) {
        EpochRing.builder(new MapDelta(), new TestFlusher()).journal(ChronicleJournal.builder(dir).build(), new PutCodec()).build().start().stop();
    }

    private static void assertCorrupt(ThrowingCallable call, String... fragments) {
        assertThatThrownBy(call).isInstanceOf(JournalCorruptedException.class)
                                .satisfies(e -> assertThat(e.getMessage()).contains(fragments));
    }
}
