package io.epochring.journal;

import io.epochring.journal.ChronicleJournalTest.Replayed;
import io.epochring.journal.support.TestDirs;
import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.RollCycles;
import org.junit.jupiter.api.Test;

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
 * The journal's files get their disk blocks before Chronicle writes into them: the next cycle's file
 * is pre-created for Chronicle to take at the roll, and none is left behind. (That a full disk then
 * fails a write before its record is begun is in {@link WriteFailureTest}, on a real full disk.)
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
