package io.epochring.journal;

import io.epochring.journal.ChronicleJournalTest.Replayed;
import io.epochring.journal.support.FullDiskWriterMain;
import io.epochring.journal.support.TestDirs;
import io.epochring.journal.support.Tmpfs;
import net.openhft.chronicle.core.io.BackgroundResourceReleaser;
import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.epochring.journal.ChronicleJournalTest.append;
import static io.epochring.journal.ChronicleJournalTest.replay;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The journal's files get their disk blocks before Chronicle writes into them, with
 * {@code fallocate} or by writing zeros: a full disk refuses a record before any of it is written;
 * the next cycle's file is pre-created for Chronicle to take at the roll, and none is left behind.
 * (The journal on a full disk, records of every size, is in {@link WriteFailureTest}.)
 */
class SpaceReserverTest {

    private static final long START = 1_700_000_000_000_000_000L;

    @Test
    void shouldPrecreateTheNextFileForChronicleToTakeAtTheRoll() throws IOException {
        Path dir = TestDirs.fresh("precreate");
        SetTimeProvider time = new SetTimeProvider(START);
        try (ChronicleJournal journal = ChronicleJournal.builder(dir).rollCycle(RollCycles.FAST_HOURLY).timeProvider(time).build()) {
            // given a journal that wrote in its first file
            append(journal, 1, "c", "first hour");
            journal.commit();
            assertThat(TestDirs.queueFiles(dir)).hasSize(1);

            // then the next hour's file waits, pre-created: zeros with their blocks
            List<Path> waiting = precreated(dir);
            assertThat(waiting).hasSize(1);
            byte[] zeros = Files.readAllBytes(waiting.get(0));
            assertThat(zeros.length).isGreaterThanOrEqualTo(64 << 10);
            assertThat(zeros).containsOnly(0);
            String nextFile = waiting.get(0).getFileName().toString().replace(".precreated", ".cq4");
            assertThat(TestDirs.queueFiles(dir)).doesNotContain(nextFile);

            // when the hour is over and the journal writes on
            time.advanceMillis(TimeUnit.HOURS.toMillis(1));
            append(journal, 2, "c", "second hour");
            journal.commit();
            journal.checkpoint(2, 2);

            // then Chronicle took that file as its second one, and the one after it waits
            assertThat(TestDirs.queueFiles(dir)).hasSize(2).last().isEqualTo(nextFile);
            assertThat(precreated(dir)).hasSize(1).doesNotContain(waiting.get(0));
        }
        // and closing the journal leaves none behind
        assertThat(precreated(dir)).isEmpty();
        try (ChronicleJournal journal = ChronicleJournal.builder(dir).build()) {
            assertThat(replay(journal, 0)).extracting(Replayed::payload).containsExactly("first hour", "second hour");
        }
    }

    /** On a real full disk: a tmpfs, which the test mounts (it is skipped without the right to). */
    @ParameterizedTest(name = "fallocate {0}")
    @ValueSource(booleans = {true, false})
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldRefuseTheFirstRecordTheDiskHasNoRoomForBeforeWritingAnyOfIt(boolean fallocate) throws Exception {
        Path mountPoint = TestDirs.fresh("reserve-full-disk");
        try (Tmpfs disk = Tmpfs.mount(mountPoint, 4 << 20)) {
            Path dir = Files.createDirectory(disk.path().resolve("queue"));
            try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.binary(dir).rollCycle(RollCycles.FAST_HOURLY).build();
                 ExcerptAppender appender = queue.createAppender();
                 SpaceReserver space = new SpaceReserver(queue, dir, fallocate)) {
                // given records of 129 to 229 bytes written until the disk is full
                RecordWriter writer = new RecordWriter(space);
                byte[] channel = writer.channelBytes("c");
                UnsafeBuffer payload = new UnsafeBuffer(new byte[200]);
                space.prepare(queue.cycle());
                long written = 0;
                IOException failure = null;
                while (failure == null && written < 1_000_000) {
                    long epoch = written + 1;
                    int length = FullDiskWriterMain.payloadLength(epoch);
                    FullDiskWriterMain.fillPayload(payload, epoch, length);
                    try {
                        writer.write(appender, RecordFormat.TYPE_WRITE, epoch, written, channel, payload, 0, length);
                        written = epoch;
                    } catch (IOException e) {
                        failure = e;
                    }
                    if (written == 1) {
                        assertThat(space.fallocates()).as("allocates with fallocate").isEqualTo(fallocate);
                    }
                }

                // then the disk running out is an IOException before a record
                assertThat(failure).as("no failure after %d records on a 4 MiB disk", written).hasMessage("No space left on device");
                assertThat(written).as("records of about 180 bytes in some 3 MiB").isGreaterThan(10_000);

                // and every record before it reads back whole, and nothing of the refused one
                List<Long> epochs = RecordWriterFaultTest.epochs(queue);
                assertThat(epochs).hasSize((int) written);
                assertThat(epochs.get(epochs.size() - 1)).isEqualTo(written);
            }
            BackgroundResourceReleaser.releasePendingResources(); // Chronicle unmaps on a background thread
        }
    }

    @Test
    void shouldDeletePrecreatedFilesLeftBehindWhenItStartsWriting() throws IOException {
        // given pre-created files a journal that was killed left behind, one of them half written
        Path dir = TestDirs.fresh("precreate-leftovers");
        try (ChronicleJournal journal = ChronicleJournal.builder(dir).build()) {
            append(journal, 1, "c", "v1");
            journal.commit();
        }
        Path old = Files.write(dir.resolve("20000101-00F.precreated"), new byte[4096]);
        Path halfWritten = Files.write(dir.resolve("20000101-01F.precreated.tmp"), new byte[100]);

        // when a journal on the directory writes
        try (ChronicleJournal journal = ChronicleJournal.builder(dir).build()) {
            append(journal, 2, "c", "v2");
            journal.commit();

            // then they are gone, and only the next file it pre-created itself is there
            assertThat(old).doesNotExist();
            assertThat(halfWritten).doesNotExist();
            assertThat(precreated(dir)).hasSize(1);
            assertThat(replay(journal, 0)).extracting(Replayed::payload).containsExactly("v1", "v2");
        }
    }

    private static List<Path> precreated(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().contains(".precreated")).sorted().toList();
        }
    }
}
