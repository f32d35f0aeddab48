package io.epochring.journal;

import io.epochring.Journal.Checkpoint;
import io.epochring.JournalCorruptedException;
import io.epochring.journal.ChronicleJournalTest.Replayed;
import io.epochring.journal.support.TestDirs;
import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.epochring.journal.ChronicleJournalTest.append;
import static io.epochring.journal.ChronicleJournalTest.replay;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Recovery finds the newest checkpoint through {@link CheckpointHint} without reading the writes
 * twice, and whatever state a crash or damage leaves the hint in, recovers from the newest
 * checkpoint or refuses loudly; it never applies a write that is already durable.
 *
 * <p>Every test starts from the same journal: writes 1-6, checkpoint (3, 6), writes 7-10,
 * checkpoint (8, 10), writes 11-12. Recovery must report checkpoint (8, 10), last epoch 12, and
 * replay exactly 9-12.
 */
class CheckpointHintTest {

    private static final Checkpoint NEWEST = new Checkpoint(8, 10);
    private static final List<Long> ABOVE_NEWEST = List.of(9L, 10L, 11L, 12L);
    private static final int RECORDS = 14;

    @Test
    void shouldLocateTheEndByReadingOnlyTheHintedCheckpointAndTheLastRecordWhenTheHintIsSettled() {
        Path dir = journalWithTwoCheckpoints("settled");
        assertThat(CheckpointHint.read(dir)).isEqualTo(new CheckpointHint.State(true, checkpointIndexes(dir).get(1)));

        assertRecoversFromTheNewestCheckpoint(dir);
        assertThat(recordsReadLocatingTheEnd(dir)).isLessThanOrEqualTo(3);
    }

    @Test
    void shouldFindACheckpointAppendedAfterTheHintWhenACrashLeftTheHintUnsettled() {
        Path dir = journalWithTwoCheckpoints("appending");
        // A crash between appending the second checkpoint and settling the hint on it.
        rewriteHint(dir, checkpointIndexes(dir).get(0), false);

        assertRecoversFromTheNewestCheckpoint(dir);
        assertThat(recordsReadLocatingTheEnd(dir)).isGreaterThan(3);
    }

    @Test
    void shouldRefuseToReplayPastAStaleSettledHintLeaveTheHintAsItWasAndRecoverWithoutIt() throws IOException {
        Path dir = journalWithTwoCheckpoints("stale");
        rewriteHint(dir, checkpointIndexes(dir).get(0), true); // damage: settled on the older checkpoint
        byte[] staleHint = Files.readAllBytes(dir.resolve(CheckpointHint.FILE_NAME));

        List<Long> applied = new ArrayList<>();
        try (ChronicleJournal journal = ChronicleJournal.builder(dir).build()) {
            assertThat(journal.lastCheckpoint()).isEqualTo(new Checkpoint(3, 6));
            assertThatThrownBy(() -> journal.replay(3, (epoch, channel, payload, offset, length) -> applied.add(epoch)))
                .isInstanceOf(JournalCorruptedException.class)
                .hasMessageContaining("durable epoch 8")
                .hasMessageContaining("move " + dir.resolve(CheckpointHint.FILE_NAME) + " out of the journal directory")
                .hasMessageContaining("fresh delta");
            // a failed recovery never opens the journal for writing
            assertThatThrownBy(() -> journal.checkpoint(8, 10)).isInstanceOf(IllegalStateException.class)
                                                                .hasMessageContaining("recovery could not read it");
        }
        // It stopped at the newer checkpoint's record: 9 and 10 precede it in the file, 11 and 12 were never applied.
        assertThat(applied).containsExactly(4L, 5L, 6L, 7L, 8L, 9L, 10L);
        assertThat(Files.readAllBytes(dir.resolve(CheckpointHint.FILE_NAME))).isEqualTo(staleHint);

        // as the error says: without the hint, recovery reads forward to the newest checkpoint
        Files.move(dir.resolve(CheckpointHint.FILE_NAME), dir.resolveSibling(dir.getFileName() + "-stale.hint"));
        assertRecoversFromTheNewestCheckpoint(dir);
    }

    @Test
    void shouldRecoverByReadingFromTheStartWithoutAHintFile() throws IOException {
        Path dir = journalWithTwoCheckpoints("missing");
        Files.delete(dir.resolve(CheckpointHint.FILE_NAME));

        assertRecoversFromTheNewestCheckpoint(dir);
        assertThat(recordsReadLocatingTheEnd(dir)).isEqualTo(RECORDS);
    }

    @Test
    void shouldIgnoreAHintFileThatIsNotOne() throws IOException {
        Path dir = journalWithTwoCheckpoints("garbage");
        Files.write(dir.resolve(CheckpointHint.FILE_NAME), "not a hint".getBytes());

        assertThat(CheckpointHint.read(dir)).isEqualTo(CheckpointHint.State.UNKNOWN_STATE);
        assertRecoversFromTheNewestCheckpoint(dir);
    }

    @Test
    void shouldIgnoreASettledHintThatNamesAWriteRecord() {
        Path dir = journalWithTwoCheckpoints("names-a-write");
        rewriteHint(dir, checkpointIndexes(dir).get(0) + 1, true); // write 7, right after the first checkpoint

        assertRecoversFromTheNewestCheckpoint(dir);
    }

    @Test
    void shouldSettleANewJournalAsHavingNoCheckpointSoItsFirstRecoveryIsOnePass() {
        Path dir = TestDirs.fresh("new-journal");
        try (ChronicleJournal journal = ChronicleJournal.builder(dir).build()) {
            for (long epoch = 1; epoch <= 5; epoch++) {
                append(journal, epoch, "a", "v" + epoch);
            }
            journal.commit();
        }
        assertThat(CheckpointHint.read(dir)).isEqualTo(new CheckpointHint.State(true, CheckpointHint.NO_CHECKPOINT));

        try (ChronicleJournal journal = ChronicleJournal.builder(dir).build()) {
            assertThat(journal.lastCheckpoint()).isEqualTo(Checkpoint.NONE);
            assertThat(journal.lastEpoch()).isEqualTo(5);
            assertThat(journal.tail().recordsRead()).isEqualTo(1);
            assertThat(replay(journal, 0)).extracting(Replayed::epoch).containsExactly(1L, 2L, 3L, 4L, 5L);
        }
    }

    @Test
    void shouldFindTheNewestWriteBehindAnEmptyNewestFileWhenTheHintIsSettled() {
        Path dir = TestDirs.fresh("hint-empty-newest-file");
        SetTimeProvider time = new SetTimeProvider(1_700_000_000_000_000_000L);
        try (ChronicleJournal journal = ChronicleJournal.builder(dir).rollCycle(RollCycles.FAST_HOURLY).timeProvider(time).build()) {
            for (long epoch = 1; epoch <= 7; epoch++) {
                append(journal, epoch, "a", "v" + epoch);
                if (epoch == 5) {
                    journal.checkpoint(3, 5);
                }
            }
            journal.commit();
        }
        // A rolled, empty newest file (as a writer that rolled and died before its first record leaves).
        time.advanceMillis(TimeUnit.HOURS.toMillis(1));
        try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.binary(dir).rollCycle(RollCycles.FAST_HOURLY).timeProvider(time).build()) {
            queue.closeStore(queue.storeForCycle(queue.cycle(), queue.epoch(), true, null));
        }
        assertThat(TestDirs.queueFiles(dir)).hasSize(2);
        assertThat(CheckpointHint.read(dir).settled()).isTrue();

        try (ChronicleJournal journal = ChronicleJournal.builder(dir).timeProvider(time).build()) {
            assertThat(journal.lastCheckpoint()).isEqualTo(new Checkpoint(3, 5));
            assertThat(journal.lastEpoch()).isEqualTo(7);
            assertThat(replay(journal, 3)).extracting(Replayed::epoch).containsExactly(4L, 5L, 6L, 7L);
            append(journal, 8, "a", "v8"); // chains to 7: a wrong last epoch would make the journal read as corrupt
            journal.commit();
        }
        try (ChronicleJournal journal = ChronicleJournal.builder(dir).timeProvider(time).build()) {
            assertThat(replay(journal, 3)).extracting(Replayed::epoch).containsExactly(4L, 5L, 6L, 7L, 8L);
        }
    }

    // ---- helpers --------------------------------------------------------------------------------

    private static Path journalWithTwoCheckpoints(String name) {
        Path dir = TestDirs.fresh("hint-" + name);
        try (ChronicleJournal journal = ChronicleJournal.builder(dir).build()) {
            for (long epoch = 1; epoch <= 12; epoch++) {
                append(journal, epoch, "a", "v" + epoch);
                if (epoch == 6) {
                    journal.checkpoint(3, 6);
                } else if (epoch == 10) {
                    journal.checkpoint(8, 10);
                }
            }
            journal.commit();
        }
        return dir;
    }

    private static void assertRecoversFromTheNewestCheckpoint(Path dir) {
        try (ChronicleJournal journal = ChronicleJournal.builder(dir).build()) {
            assertThat(journal.lastCheckpoint()).isEqualTo(NEWEST);
            assertThat(journal.lastEpoch()).isEqualTo(12);
            List<Replayed> replayed = replay(journal, journal.lastCheckpoint().durableEpoch());
            assertThat(replayed).extracting(Replayed::epoch).containsExactlyElementsOf(ABOVE_NEWEST);
            assertThat(replayed.get(0).payload()).isEqualTo("v9");
        }
    }

    private static long recordsReadLocatingTheEnd(Path dir) {
        try (ChronicleJournal journal = ChronicleJournal.builder(dir).build()) {
            return journal.tail().recordsRead();
        }
    }

    private static List<Long> checkpointIndexes(Path dir) {
        try (JournalInspector inspector = JournalInspector.open(dir)) {
            return inspector.records(0, Integer.MAX_VALUE).stream()
                            .filter(entry -> entry.type() == RecordType.CHECKPOINT)
                            .map(JournalEntry::index)
                            .toList();
        }
    }

    private static void rewriteHint(Path dir, long index, boolean settled) {
        try (CheckpointHint hint = CheckpointHint.openForWriting(dir, false, false)) {
            hint.settled(index);
            if (!settled) {
                hint.appending();
            }
        }
    }
}
