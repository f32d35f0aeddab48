package io.epochring.bench;

import io.epochring.journal.ChronicleJournal;
import io.epochring.journal.SyncPolicy;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The raw Chronicle ceilings must append the same bytes per record as the journal, or they would
 * not be ceilings of the same work.
 */
class RawJournalRecordTest {

    private static final FixedSizeCodec CODEC = new FixedSizeCodec(24);

    private final List<Path> directories = new ArrayList<>();

    @AfterEach
    void deleteQueues() {
        directories.forEach(QueueDirectories::delete);
    }

    @Test
    void shouldBuildTheSameBytesAsTheJournalWritesForAWrite() {
        // given: the journal's first two write records, as the coordinator's journal stage appends them
        Path journalDirectory = directory("journal");
        ExpandableArrayBuffer payload = new ExpandableArrayBuffer();
        int length = CODEC.encode(CounterDelta.ONE, payload, 0);
        try (ChronicleJournal journal = ChronicleJournal.builder(journalDirectory).syncPolicy(SyncPolicy.NONE).build()) {
            journal.append(1, "a", payload, 0, length);
            journal.append(2, "a", payload, 0, length);
            journal.commit();
        }

        // when: the ceiling's image is built for epoch 1
        RawJournalRecord record = new RawJournalRecord("a", CounterDelta.ONE, CODEC, 1);

        // then
        List<byte[]> written = documents(journalDirectory);
        assertThat(written).hasSize(2);
        assertThat(record.bytes()).isEqualTo(written.get(0));
        assertThat(record.length()).isEqualTo(24 + 1 + 24 + 4);
    }

    @Test
    void shouldAppendRecordsThatDifferFromTheJournalsOnlyInTheChecksumOfLaterEpochs() {
        // given
        Path journalDirectory = directory("journal");
        Path rawDirectory = directory("raw");
        ExpandableArrayBuffer payload = new ExpandableArrayBuffer();
        int length = CODEC.encode(CounterDelta.ONE, payload, 0);
        try (ChronicleJournal journal = ChronicleJournal.builder(journalDirectory).syncPolicy(SyncPolicy.NONE).build()) {
            for (long epoch = 1; epoch <= 3; epoch++) {
                journal.append(epoch, "a", payload, 0, length);
            }
            journal.commit();
        }

        // when
        RawJournalRecord record = new RawJournalRecord("a", CounterDelta.ONE, CODEC, 1);
        try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.binary(rawDirectory).build();
             ExcerptAppender appender = queue.createAppender()) {
            for (long epoch = 1; epoch <= 3; epoch++) {
                record.append(appender, epoch);
            }
        }

        // then: same length and every byte but the CRC32C, which the ceiling does not recompute
        List<byte[]> journal = documents(journalDirectory);
        List<byte[]> raw = documents(rawDirectory);
        assertThat(raw).hasSameSizeAs(journal);
        for (int i = 0; i < journal.size(); i++) {
            byte[] expected = journal.get(i);
            byte[] actual = raw.get(i);
            assertThat(actual).hasSameSizeAs(expected);
            int body = expected.length - RawJournalRecord.CHECKSUM_LENGTH;
            assertThat(Arrays.copyOf(actual, body)).as("record %d without its checksum", i + 1)
                                                  .isEqualTo(Arrays.copyOf(expected, body));
        }
    }

    private Path directory(String prefix) {
        Path directory = QueueDirectories.create(prefix);
        directories.add(directory);
        return directory;
    }

    private static List<byte[]> documents(Path directory) {
        List<byte[]> documents = new ArrayList<>();
        try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.binary(directory).build();
             ExcerptTailer tailer = queue.createTailer()) {
            while (true) {
                try (DocumentContext dc = tailer.readingDocument()) {
                    if (!dc.isPresent()) {
                        return documents;
                    }
                    Bytes<?> bytes = dc.wire().bytes();
                    byte[] document = new byte[(int) bytes.readRemaining()];
                    bytes.read(document);
                    documents.add(document);
                }
            }
        }
    }
}
