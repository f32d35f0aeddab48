package io.epochring.journal;

import io.epochring.journal.support.TestDirs;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.BufferOverflowException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The largest payload a record carries: Chronicle bounds a document by the queue's overlap size
 * (a quarter of its 64 MiB default block), and {@link ChronicleJournal#maxPayloadLength()} is that
 * less a record's header, longest channel name and checksum.
 */
class RecordSizeLimitTest {

    private static final int OVERHEAD = RecordFormat.HEADER_LENGTH + RecordFormat.MAX_CHANNEL_BYTES + RecordFormat.CHECKSUM_LENGTH;

    @Test
    void shouldFindChroniclesDocumentLimitAtTheQueuesOverlapSize() throws IOException {
        Path dir = TestDirs.fresh("document-limit");
        try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.binary(dir).build();
             ExcerptAppender appender = queue.createAppender()) {
            assertThat(queue.overlapSize()).isEqualTo(16L << 20);
            RecordWriter writer = new RecordWriter(new SpaceReserver(queue, dir));
            byte[] name = {'c'};
            int fits = (int) queue.overlapSize() - RecordFormat.HEADER_LENGTH - name.length - RecordFormat.CHECKSUM_LENGTH;
            UnsafeBuffer payload = new UnsafeBuffer(new byte[fits + 1]);

            // a record of exactly the overlap size is one document
            writer.write(appender, RecordFormat.TYPE_WRITE, 1, 0, name, payload, 0, fits);

            // one byte more and Chronicle refuses the document (and rolls it back)
            assertThatThrownBy(() -> writer.write(appender, RecordFormat.TYPE_WRITE, 2, 1, name, payload, 0, fits + 1))
                .isInstanceOf(BufferOverflowException.class);
            assertThat(RecordWriterFaultTest.epochs(queue)).containsExactly(1L);
        }
    }

    @Test
    void shouldRecordAPayloadOfTheLimitOnAChannelWithTheLongestNameAndReadItBack() {
        Path dir = TestDirs.fresh("payload-limit");
        String longestName = "n".repeat(RecordFormat.MAX_CHANNEL_BYTES);
        byte[] largest;
        try (ChronicleJournal journal = ChronicleJournal.builder(dir).build()) {
            assertThat(journal.maxPayloadLength()).isEqualTo((16 << 20) - OVERHEAD).isEqualTo(16_711_653);
            largest = new byte[journal.maxPayloadLength()];
            new Random(7).nextBytes(largest);

            journal.append(1, longestName, new UnsafeBuffer(largest), 0, largest.length);
            journal.commit();
        }

        try (ChronicleJournal journal = ChronicleJournal.builder(dir).build()) {
            List<byte[]> replayed = new ArrayList<>();
            journal.replay(0, (epoch, channel, payload, offset, length) -> {
                byte[] bytes = new byte[length];
                payload.getBytes(offset, bytes);
                replayed.add(bytes);
            });
            assertThat(replayed).hasSize(1);
            assertThat(Arrays.equals(replayed.get(0), largest)).as("the payload reads back byte for byte").isTrue();
        }
    }

    @Test
    void shouldRefuseALongerPayloadBeforeWritingAnythingAndStayUsable() {
        Path dir = TestDirs.fresh("payload-too-long");
        try (ChronicleJournal journal = ChronicleJournal.builder(dir).build()) {
            ChronicleJournalTest.append(journal, 1, "a", "before");
            UnsafeBuffer tooLong = new UnsafeBuffer(new byte[journal.maxPayloadLength() + 1]);

            assertThatThrownBy(() -> journal.append(2, "a", tooLong, 0, tooLong.capacity()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the payload is 16711654 bytes")
                .hasMessageContaining("holds at most 16711653");
            assertThatThrownBy(() -> journal.appendRejected(2, "a", tooLong, 0, tooLong.capacity()))
                .isInstanceOf(IllegalArgumentException.class);

            // epoch 2 was not taken: the journal goes on from there
            ChronicleJournalTest.append(journal, 2, "a", "after");
            journal.commit();
            assertThat(ChronicleJournalTest.replay(journal, 0)).extracting(ChronicleJournalTest.Replayed::payload)
                                                               .containsExactly("before", "after");
        }
    }
}
