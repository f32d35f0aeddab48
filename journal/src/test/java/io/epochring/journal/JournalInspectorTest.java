package io.epochring.journal;

import io.epochring.Journal.Checkpoint;
import io.epochring.journal.support.TestDirs;
import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.RollCycles;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The read-only view of a journal: summary and records. */
class JournalInspectorTest {

    @Test
    void shouldSummariseRecordsCheckpointsAndFiles() {
        Path dir = TestDirs.fresh("inspect-summary");
        SetTimeProvider time = new SetTimeProvider(1_700_000_000_000_000_000L);
        try (ChronicleJournal journal = ChronicleJournal.builder(dir).rollCycle(RollCycles.FAST_HOURLY).timeProvider(time).build()) {
            for (long epoch = 1; epoch <= 30; epoch++) {
                ChronicleJournalTest.append(journal, epoch, "a", "value " + epoch);
                if (epoch % 10 == 0) {
                    journal.commit();
                    journal.checkpoint(epoch - 5, epoch - 2);
                    time.advanceMillis(TimeUnit.HOURS.toMillis(1));
                }
            }
        }

        try (JournalInspector inspector = JournalInspector.open(dir)) {
            JournalSummary summary = inspector.summary();
            assertThat(summary.firstEpoch()).isEqualTo(1);
            assertThat(summary.lastEpoch()).isEqualTo(30);
            assertThat(summary.writes()).isEqualTo(30);
            assertThat(summary.checkpoints()).isEqualTo(3);
            assertThat(summary.records()).isEqualTo(33);
            assertThat(summary.lastCheckpoint()).isEqualTo(new Checkpoint(25, 28));
            assertThat(summary.files()).hasSize(3);
            JournalFile second = summary.files().get(1);
            assertThat(second.records()).isEqualTo(11);
            assertThat(second.firstEpoch()).isEqualTo(11);
            assertThat(second.lastEpoch()).isEqualTo(20);
            assertThat(second.usedBytes()).isPositive().isLessThan(second.sizeBytes());
            assertThat(summary.bytes()).isEqualTo(summary.files().stream().mapToLong(JournalFile::usedBytes).sum());
        }
    }

    @Test
    void shouldListRecordsFromAnEpochWithCheckpointsInJournalOrder() {
        Path dir = TestDirs.fresh("inspect-records");
        try (ChronicleJournal journal = ChronicleJournal.builder(dir).build()) {
            for (long epoch = 1; epoch <= 100; epoch++) {
                ChronicleJournalTest.append(journal, epoch, epoch % 2 == 0 ? "even" : "odd", "v" + epoch);
                if (epoch == 50) {
                    journal.checkpoint(48, 49);
                }
            }
            journal.commit();
        }
        try (JournalInspector inspector = JournalInspector.open(dir)) {
            List<JournalEntry> entries = inspector.records(49, 4);
            assertThat(entries).extracting(JournalEntry::type)
                               .containsExactly(RecordType.WRITE, RecordType.WRITE, RecordType.CHECKPOINT, RecordType.WRITE);
            assertThat(entries).extracting(JournalEntry::epoch).containsExactly(49L, 50L, 48L, 51L);
            JournalEntry checkpoint = entries.get(2);
            assertThat(checkpoint.durableEpoch()).isEqualTo(48);
            assertThat(checkpoint.writtenEpoch()).isEqualTo(49);
            assertThat(checkpoint.channel()).isNull();
            assertThat(checkpoint.toString()).startsWith("CHECKPOINT durable=48 written=49 @ ");
            JournalEntry write = entries.get(3);
            assertThat(write.channel()).isEqualTo("odd");
            assertThat(new String(write.payload())).isEqualTo("v51");
            assertThat(write.payloadLength()).isEqualTo(3);
            assertThat(write.file()).endsWith(".cq4");
            assertThat(write.position()).isPositive();
            assertThat(write.toString()).startsWith("WRITE epoch=51 channel='odd' payload=3B @ ");

            assertThat(inspector.records(0, 1)).extracting(JournalEntry::epoch).containsExactly(1L);
            assertThat(inspector.records(100, 10)).extracting(JournalEntry::epoch).containsExactly(100L);
            assertThat(inspector.records(101, 10)).isEmpty();
            assertThatThrownBy(() -> inspector.records(1, 0)).isInstanceOf(IllegalArgumentException.class)
                                                             .hasMessageContaining("limit >= 1");
        }
    }

    @Test
    void shouldVisitRecordsOneAtATimeWithoutAnIntLimit() {
        Path dir = TestDirs.fresh("inspect-visit");
        try (ChronicleJournal journal = ChronicleJournal.builder(dir).build()) {
            for (long epoch = 1; epoch <= 10; epoch++) {
                ChronicleJournalTest.append(journal, epoch, "a", "v" + epoch);
            }
            journal.checkpoint(10, 10);
            journal.commit();
        }
        try (JournalInspector inspector = JournalInspector.open(dir)) {
            List<JournalEntry> seen = new ArrayList<>();

            assertThat(inspector.forEach(8, Long.MAX_VALUE, seen::add)).isEqualTo(4);
            assertThat(seen).extracting(JournalEntry::type).containsExactly(RecordType.WRITE, RecordType.WRITE, RecordType.WRITE,
                                                                            RecordType.CHECKPOINT);
            assertThat(seen).extracting(JournalEntry::epoch).containsExactly(8L, 9L, 10L, 10L);
            assertThat(seen).containsExactlyElementsOf(inspector.records(8, 100));
            assertThat(inspector.forEach(0, 3, entry -> { })).isEqualTo(3);
        }
    }

    @Test
    void shouldRefuseADirectoryThatIsNotAJournal() {
        Path empty = TestDirs.fresh("inspect-empty");
        assertThatThrownBy(() -> JournalInspector.open(empty)).isInstanceOf(IllegalArgumentException.class)
                                                              .hasMessageContaining("no journal in " + empty)
                                                              .hasMessageContaining("*.cq4");
        assertThatThrownBy(() -> JournalInspector.open(empty.resolve("missing"))).isInstanceOf(IllegalArgumentException.class)
                                                                               .hasMessageContaining("not a directory");
    }
}
