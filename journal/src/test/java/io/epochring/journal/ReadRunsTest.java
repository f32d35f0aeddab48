package io.epochring.journal;

import io.epochring.JournalCorruptedException;
import io.epochring.journal.support.TestDirs;
import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static io.epochring.journal.support.FileEdits.flipByte;
import static io.epochring.journal.support.FileEdits.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Replay reads most records in place, in runs after the document Chronicle opens
 * ({@link JournalCursor#readsRuns}): it must see exactly the records, at exactly the places, that
 * reading document by document sees, stop before Chronicle's own documents (index arrays between
 * records, the end of a rolled file), and report damage inside a run as it reports it elsewhere.
 */
class ReadRunsTest {

    /** 32 index slots, every 4th record indexed: an index array between records every 128 records, 4,096 records per file. */
    private static final RollCycle SMALL_INDEX = TestRollCycles.TEST4_DAILY;

    @Test
    void shouldReadTheSameRecordsAtTheSamePlacesInRunsAsDocumentByDocument() {
        // given a journal of three files, with index arrays between its records, rejected writes,
        // checkpoints, and payloads from empty to 70 kB
        Path dir = TestDirs.fresh("runs-same");
        List<byte[]> payloads = writeJournal(dir, 3_000);

        // when it is read both ways
        List<String> byDocument = readAll(dir, false);
        List<String> inRuns = readAll(dir, true);

        // then the same records, in the same order, with the same index, byte offset, fields and payload
        assertThat(TestDirs.queueFiles(dir)).hasSize(3);
        assertThat(byDocument).hasSize(3_000 + 3_000 / 250);
        assertThat(inRuns).containsExactlyElementsOf(byDocument);

        // and replay hands every write over exactly once, payload byte for byte
        List<byte[]> replayed = new ArrayList<>();
        List<Long> rejected = new ArrayList<>();
        try (ChronicleJournal journal = ChronicleJournal.builder(dir).rollCycle(SMALL_INDEX).build()) {
            journal.replay(0, new io.epochring.Journal.ReplayHandler() {
                @Override
                public void onWrite(long epoch, String channel, org.agrona.DirectBuffer payload, int offset, int length) {
                    assertThat(epoch).isEqualTo(replayed.size() + rejected.size() + 1);
                    byte[] copy = new byte[length];
                    payload.getBytes(offset, copy);
                    replayed.add(copy);
                }

                @Override
                public void onRejected(long epoch, String channel) {
                    assertThat(epoch).isEqualTo(replayed.size() + rejected.size() + 1);
                    rejected.add(epoch);
                }
            });
        }
        assertThat(rejected).hasSize(3_000 / 17);
        List<byte[]> accepted = new ArrayList<>();
        for (int epoch = 1; epoch <= payloads.size(); epoch++) {
            if (epoch % 17 != 0) {
                accepted.add(payloads.get(epoch - 1));
            }
        }
        assertThat(replayed).hasSameSizeAs(accepted);
        for (int i = 0; i < accepted.size(); i++) {
            assertThat(replayed.get(i)).isEqualTo(accepted.get(i));
        }
    }

    @Test
    void shouldReportAFlippedByteInsideARunAsDocumentByDocument() throws IOException {
        // given a record in the middle of a run (not the document Chronicle opened, nor the first after an index array)
        Path dir = TestDirs.fresh("runs-flip");
        writeJournal(dir, 300);
        long[] place = placeOf(dir, 42);
        flipByte(dir.resolve(TestDirs.queueFiles(dir).get(0)), place[1] + RecordFormat.HEADER_LENGTH + 2);

        // when it is read both ways
        JournalCorruptedException byDocument = catchThrowableOfType(() -> readAll(dir, false), JournalCorruptedException.class);
        JournalCorruptedException inRuns = catchThrowableOfType(() -> readAll(dir, true), JournalCorruptedException.class);

        // then the same report, naming the record
        assertThat(byDocument).isNotNull();
        assertThat(byDocument.getMessage()).contains("checksum mismatch", "epoch field 42 (unverified)",
                                                     "index 0x" + Long.toHexString(place[0]));
        assertThat(inRuns).isNotNull();
        assertThat(inRuns.getMessage()).isEqualTo(byDocument.getMessage());
    }

    @Test
    void shouldReportRecordsMissingAfterAZeroedHeaderInsideARun() throws IOException {
        // given a journal whose 50th record's Chronicle header is zeroed: reading stops there
        Path dir = TestDirs.fresh("runs-zeroed");
        writeJournal(dir, 300);
        long[] place = placeOf(dir, 50);
        write(dir.resolve(TestDirs.queueFiles(dir).get(0)), place[1] - 4, new byte[4]);

        // when it is read both ways, then both notice that the file says records follow
        JournalCorruptedException byDocument = catchThrowableOfType(() -> readAll(dir, false), JournalCorruptedException.class);
        JournalCorruptedException inRuns = catchThrowableOfType(() -> readAll(dir, true), JournalCorruptedException.class);
        assertThat(byDocument).isNotNull();
        assertThat(byDocument.getMessage()).contains("records are missing");
        assertThat(inRuns).isNotNull();
        assertThat(inRuns.getMessage()).isEqualTo(byDocument.getMessage());
    }

    // ---- journals and readers -----------------------------------------------------------------

    /** Writes {@code count} writes (every 17th rejected), a checkpoint every 250, a new file every 1,000. */
    private static List<byte[]> writeJournal(Path dir, int count) {
        Random random = new Random(11);
        List<byte[]> payloads = new ArrayList<>();
        SetTimeProvider time = new SetTimeProvider(1_700_000_000_000_000_000L);
        try (ChronicleJournal journal = ChronicleJournal.builder(dir).rollCycle(SMALL_INDEX).timeProvider(time).build()) {
            for (int epoch = 1; epoch <= count; epoch++) {
                byte[] payload = new byte[epoch % 400 == 0 ? 70_000 : random.nextInt(epoch % 3 == 0 ? 1 : 120)];
                random.nextBytes(payload);
                payloads.add(payload);
                if (epoch % 17 == 0) {
                    journal.appendRejected(epoch, "rejected", new UnsafeBuffer(payload), 0, payload.length);
                } else {
                    journal.append(epoch, epoch % 2 == 0 ? "even" : "odd", new UnsafeBuffer(payload), 0, payload.length);
                }
                if (epoch % 250 == 0) {
                    journal.commit();
                    journal.checkpoint(epoch - 100, epoch);
                }
                if (epoch % 1_000 == 0) {
                    time.advanceMillis(TimeUnit.DAYS.toMillis(1));
                }
            }
            journal.commit();
        }
        return payloads;
    }

    /** @return each record as read from the start, with its Chronicle index and byte offset */
    private static List<String> readAll(Path dir, boolean inRuns) {
        List<String> seen = new ArrayList<>();
        try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.binary(dir).rollCycle(SMALL_INDEX).readOnly(true).build();
             JournalCursor cursor = new JournalCursor(queue)) {
            cursor.readsRuns = inRuns;
            cursor.toStart();
            JournalCursor.RecordVisitor describe = record -> seen.add(
                "index 0x" + Long.toHexString(cursor.index) + " at " + cursor.position + " in " + cursor.fileName() + ": type " + record.type
                + ", epochs " + record.epoch + "/" + record.secondEpoch + ", channel " + record.channel
                + (record.isCheckpoint() ? "" : ", payload " + Arrays.hashCode(record.payloadCopy()) + " of " + record.payloadLength));
            while (cursor.next(describe)) {
                assertThat(cursor.recordsRead).isEqualTo(seen.size());
            }
            // in runs, all records but the first of each file and those right after an index array; else none
            if (inRuns && cursor.recordsRead > 10) {
                assertThat(cursor.recordsReadInRuns).isGreaterThan(cursor.recordsRead * 9 / 10);
            } else if (!inRuns) {
                assertThat(cursor.recordsReadInRuns).isZero();
            }
        }
        return seen;
    }

    /** @return {Chronicle index, byte offset of the content} of the write of {@code epoch} */
    private static long[] placeOf(Path dir, long epoch) {
        try (JournalInspector inspector = JournalInspector.open(dir)) {
            JournalEntry entry = inspector.records(epoch, 1).get(0);
            assertThat(entry.epoch()).isEqualTo(epoch);
            return new long[] {entry.index(), entry.position()};
        }
    }
}
