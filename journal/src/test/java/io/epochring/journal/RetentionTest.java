package io.epochring.journal;

import io.epochring.EpochRange;
import io.epochring.FlushRetryPolicy;
import io.epochring.Journal.Checkpoint;
import io.epochring.Sink;
import io.epochring.SinkOptions;
import io.epochring.WriteHandle;
import io.epochring.journal.support.JournalLogCapture;
import io.epochring.journal.support.RecordingDelta;
import io.epochring.journal.support.Rings;
import io.epochring.journal.support.TestDirs;
import io.epochring.testing.Await;
import io.epochring.testing.MapDelta;
import io.epochring.testing.Put;
import io.epochring.testing.TestFlusher;
import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.RollCycles;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.epochring.DurabilityLevel.DURABLE;
import static io.epochring.DurabilityLevel.JOURNALED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Retention deletes only files wholly below DURABLE, and audits each deletion. */
class RetentionTest {

    private static final long HOUR = TimeUnit.HOURS.toMillis(1);
    private final SetTimeProvider time = new SetTimeProvider(1_700_000_000_000_000_000L);

    @Test
    void shouldDeleteOnlyFilesWhollyAtOrBelowTheDurableCheckpointAndAuditEachDeletion() throws IOException {
        Path dir = TestDirs.fresh("retention");
        try (JournalLogCapture log = new JournalLogCapture(); ChronicleJournal journal = journal(dir, 1)) {
            writeFile(journal, 1, 10);   // file A
            writeFile(journal, 11, 20);  // file B
            writeFile(journal, 21, 30);  // file C, the newest
            List<String> files = TestDirs.queueFiles(dir);
            assertThat(files).hasSize(3);

            // when a checkpoint covers A entirely but B only in part
            journal.checkpoint(15, 15);

            // then A goes, B (epochs 16..20 are above DURABLE) and C stay
            assertThat(TestDirs.queueFiles(dir)).containsExactly(files.get(1), files.get(2));
            assertThat(audit(dir)).hasSize(1);
            assertThat(field(audit(dir).get(0), "action")).isEqualTo("\"delete\"");
            assertThat(field(audit(dir).get(0), "file")).isEqualTo('"' + files.get(0) + '"');
            assertThat(field(audit(dir).get(0), "records")).isEqualTo("10");
            assertThat(field(audit(dir).get(0), "firstEpoch")).isEqualTo("1");
            assertThat(field(audit(dir).get(0), "lastEpoch")).isEqualTo("10");
            assertThat(field(audit(dir).get(0), "durableEpoch")).isEqualTo("15");
            assertThat(field(audit(dir).get(0), "keepNewest")).isEqualTo("1");
            assertThat(field(audit(dir).get(0), "time")).isEqualTo("\"2023-11-15T01:13:20Z\"");
            assertThat(log.at(java.util.logging.Level.INFO)).singleElement().asString()
                .contains("retention deleted 1 file(s)", "durable epoch 15", files.get(0));

            // when the checkpoint reaches B's last write, B goes too
            journal.checkpoint(20, 22);
            assertThat(TestDirs.queueFiles(dir)).containsExactly(files.get(2));
            assertThat(audit(dir)).hasSize(2);
            assertThat(field(audit(dir).get(1), "file")).isEqualTo('"' + files.get(1) + '"');
            assertThat(journal.stats().filesDeleted()).isEqualTo(2);
            assertThat(journal.stats().lastRetentionError()).isNull();
        }

        // and the journal still recovers: the checkpoint and everything above it are there
        try (ChronicleJournal journal = ChronicleJournal.builder(dir).build()) {
            assertThat(journal.lastCheckpoint()).isEqualTo(new Checkpoint(20, 22));
            assertThat(ChronicleJournalTest.replay(journal, 20)).extracting(ChronicleJournalTest.Replayed::epoch)
                                                                .containsExactly(21L, 22L, 23L, 24L, 25L, 26L, 27L, 28L, 29L, 30L);
            assertThat(journal.lastEpoch()).isEqualTo(30);
        }
        try (JournalInspector inspector = JournalInspector.open(dir)) {
            assertThat(inspector.summary().firstEpoch()).isEqualTo(21);
        }
    }

    @Test
    void shouldAlwaysKeepTheNewestFiles() throws IOException {
        Path dir = TestDirs.fresh("retention-keep");
        try (ChronicleJournal journal = journal(dir, 3)) {
            for (int file = 0; file < 5; file++) {
                writeFile(journal, file * 10 + 1, file * 10 + 10);
            }
            List<String> files = TestDirs.queueFiles(dir);
            journal.checkpoint(50, 50); // everything is durable

            assertThat(TestDirs.queueFiles(dir)).containsExactlyElementsOf(files.subList(2, 5));
            assertThat(audit(dir)).hasSize(2);
        }
    }

    @Test
    void shouldNeverDeleteTheFileHoldingTheLastCheckpointRecord() {
        Path dir = TestDirs.fresh("retention-checkpoint-file");
        try (ChronicleJournal journal = journal(dir, 1)) {
            writeFile(journal, 1, 10);           // file A
            writeFile(journal, 11, 11);          // file B
            journal.checkpoint(11, 11);          // in file B: deletes A
            List<String> files = TestDirs.queueFiles(dir);
            assertThat(files).hasSize(1);
            writeFile(journal, 12, 12);          // file C

            // B is wholly below DURABLE and not the newest, but it holds the only checkpoint record
            assertThat(journal.applyRetention()).isEmpty();
            assertThat(TestDirs.queueFiles(dir)).hasSize(2).startsWith(files.get(0));
        }
    }

    @Test
    void shouldApplyRetentionOnTheFlushThreadAsTheCoordinatorCheckpoints() throws IOException {
        Path dir = TestDirs.fresh("retention-ring");
        var ring = Rings.start(new MapDelta(), new TestFlusher(), journal(dir, 1));
        long lastEpoch = 0;
        for (int hour = 0; hour < 4; hour++) {
            WriteHandle<Long> last = null;
            for (int i = 0; i < 25; i++) {
                last = ring.channel(i % 2 == 0 ? "a" : "b").write(new Put("h" + hour + "-" + i, i));
            }
            last.await(JOURNALED, Duration.ofSeconds(30));
            lastEpoch = last.epoch();
            ring.flush(true).await(DURABLE, Duration.ofSeconds(30)); // checkpoint, then retention, on the flush thread
            time.advanceMillis(HOUR);
        }
        // each hour's checkpoint went into that hour's file, after its writes: older files went
        assertThat(TestDirs.queueFiles(dir)).hasSize(1);
        assertThat(audit(dir)).hasSize(3);
        ring.stop();

        RecordingDelta delta = new RecordingDelta();
        var recovered = Rings.start(delta, new TestFlusher(), ChronicleJournal.builder(dir).build());
        try {
            assertThat(recovered.recovery().lastEpoch()).isEqualTo(lastEpoch);
            assertThat(recovered.recovery().replayed()).isZero();
        } finally {
            recovered.stop();
        }
    }

    @Test
    void shouldKeepTheFilesALaggingSinkThatReportsItsPositionStillLacks() throws IOException {
        // given an optional sink that reports its position and is down from hour 1 on
        Path dir = TestDirs.fresh("retention-lagging-sink");
        PositionedSink archive = new PositionedSink();
        var ring = Rings.builder(new MapDelta(), new TestFlusher(), journal(dir, 1))
                        .retryPolicy(FlushRetryPolicy.none()).errorHandler(e -> { })
                        .sink("archive", archive, SinkOptions.optional()).build().start();
        long lastEpoch = 0;
        long archived = 0;
        for (int hour = 0; hour < 4; hour++) {
            WriteHandle<Long> last = null;
            for (int i = 0; i < 25; i++) {
                last = ring.channel("a").write(new Put("h" + hour + "-" + i, i));
            }
            ring.flush(true).await(DURABLE, Duration.ofSeconds(30));
            lastEpoch = last.epoch();
            if (hour == 0) {
                Await.until("the archive's first delivery", () -> archive.delivered == 25);
                archived = archive.delivered;
                archive.down = true;
            }
            time.advanceMillis(HOUR);
        }
        ring.stop();

        // then retention deleted hour 0's file, which the archive has, and kept every file holding
        // an epoch it lacks, though all are DURABLE
        assertThat(archived).isEqualTo(25);
        assertThat(TestDirs.queueFiles(dir)).hasSize(3);
        assertThat(audit(dir)).hasSize(1);

        // and when the archive is back, recovery hands it exactly the epochs it lacks, from the journal
        archive.down = false;
        var recovered = Rings.builder(new MapDelta(), new TestFlusher(), journal(dir, 1))
                             .sink("archive", archive, SinkOptions.optional()).build().start();
        try {
            assertThat(recovered.recovery().sinks()).singleElement().satisfies(p -> {
                assertThat(p.epoch()).isEqualTo(25);
                assertThat(p.reported()).isTrue();
            });
            Await.until("the archive to catch up", () -> archive.delivered == 100);
            assertThat(archive.ranges.get(0).first()).isEqualTo(1);
            assertThat(archive.ranges.stream().mapToLong(r -> r.last() - r.first() + 1).sum()).as("each epoch once").isEqualTo(lastEpoch);
            // once it caught up, the next checkpoint lets retention go on
            recovered.channel("a").write(new Put("after", 1));
            recovered.flush(true).await(DURABLE, Duration.ofSeconds(30));
            Await.until("the archive to take the last write", () -> archive.delivered == 101);
            time.advanceMillis(HOUR);
            recovered.channel("a").write(new Put("later", 1));
            recovered.flush(true).await(DURABLE, Duration.ofSeconds(30));
            assertThat(audit(dir)).hasSizeGreaterThan(1);
        } finally {
            recovered.stop();
        }
    }

    /** An in-memory sink that reports what it delivered, and refuses deltas while down (dropped: it is optional). */
    private static final class PositionedSink implements Sink<Map<String, Long>> {
        final List<EpochRange> ranges = new CopyOnWriteArrayList<>();
        volatile long delivered;
        volatile boolean down;

        @Override
        public void accept(List<SinkDelta<Map<String, Long>>> deltas) {
            if (down) {
                throw new IllegalStateException("the archive is down");
            }
            for (SinkDelta<Map<String, Long>> delta : deltas) {
                ranges.add(delta.range());
                delivered = delta.range().last();
            }
        }

        @Override
        public OptionalLong deliveredEpoch() {
            return OptionalLong.of(delivered);
        }
    }

    @Test
    void shouldApplyRetentionOnRequestWithTheCheckpointFoundAtOpen() throws IOException {
        Path dir = TestDirs.fresh("retention-on-request");
        try (ChronicleJournal journal = ChronicleJournal.builder(dir).rollCycle(RollCycles.FAST_HOURLY).timeProvider(time).build()) {
            writeFile(journal, 1, 10);
            writeFile(journal, 11, 20);
            journal.checkpoint(20, 20);
            writeFile(journal, 21, 21);
        }
        assertThat(TestDirs.queueFiles(dir)).hasSize(3);
        try (ChronicleJournal journal = journal(dir, 1)) {
            assertThat(journal.applyRetention()).hasSize(1);
        }
        assertThat(TestDirs.queueFiles(dir)).hasSize(2);
        assertThat(audit(dir)).hasSize(1);
    }

    @Test
    void shouldDeleteNothingWhenRetentionIsOff() {
        Path dir = TestDirs.fresh("retention-off");
        try (ChronicleJournal journal = ChronicleJournal.builder(dir).rollCycle(RollCycles.FAST_HOURLY).timeProvider(time).build()) {
            writeFile(journal, 1, 10);
            writeFile(journal, 11, 20);
            journal.checkpoint(20, 20);
            assertThat(TestDirs.queueFiles(dir)).hasSize(2);
            assertThatThrownBy(journal::applyRetention).isInstanceOf(IllegalStateException.class)
                                                       .hasMessageContaining("retention is off")
                                                       .hasMessageContaining("retainFiles(n)");
        }
        assertThat(Files.exists(dir.resolve(RetentionSweeper.AUDIT_FILE))).isFalse();
    }

    private ChronicleJournal journal(Path dir, int keep) {
        return ChronicleJournal.builder(dir).rollCycle(RollCycles.FAST_HOURLY).timeProvider(time).retainFiles(keep).build();
    }

    /** Moves the clock to the next hour and appends writes {@code first..last}: a new file. */
    private void writeFile(ChronicleJournal journal, long first, long last) {
        time.advanceMillis(HOUR);
        for (long epoch = first; epoch <= last; epoch++) {
            ChronicleJournalTest.append(journal, epoch, "a", "v" + epoch);
        }
        journal.commit();
    }

    private static List<String> audit(Path dir) throws IOException {
        return Files.readAllLines(dir.resolve(RetentionSweeper.AUDIT_FILE));
    }

    private static String field(String jsonLine, String name) {
        Matcher matcher = Pattern.compile("\"" + name + "\":(\"[^\"]*\"|-?\\d+)").matcher(jsonLine);
        assertThat(matcher.find()).as("field %s in %s", name, jsonLine).isTrue();
        return matcher.group(1);
    }
}
