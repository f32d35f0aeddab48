package io.epochring.journal;

import io.epochring.JournalLoss;
import io.epochring.JournalLossException;
import io.epochring.journal.support.JournalLogCapture;
import io.epochring.journal.support.PutCodec;
import io.epochring.journal.support.Rings;
import io.epochring.journal.support.TestDirs;
import io.epochring.testing.MapDelta;
import io.epochring.testing.Put;
import io.epochring.testing.TestFlusher;
import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.RollCycles;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.epochring.DurabilityLevel.APPLIED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A Chronicle journal that lost a file is refused by its end marker, with nothing on disk changed,
 * until the loss is accepted; then the loss is recorded in the journal as a LOST record, and the
 * next start neither refuses it again nor reuses a lost epoch.
 */
class JournalLossTest {

    private final PutCodec codec = new PutCodec();
    private final SetTimeProvider time = new SetTimeProvider(1_700_000_000_000_000_000L);

    @Test
    void shouldRefuseAJournalThatLostItsNewestFileAndChangeNothing() {
        // given writes 1..5 in one file and 6..10 in the next, and the newer file lost
        Path dir = TestDirs.fresh("loss-refused");
        writeTwoFiles(dir);
        deleteNewestFile(dir);
        Map<String, String> before = hashes(dir);

        // when a coordinator starts on it
        ChronicleJournal journal = journal(dir);
        var ring = Rings.builder(new MapDelta(), new TestFlusher(), journal).build();

        // then it is refused with both ends and the count, and every file is as it was
        assertThatThrownBy(ring::start)
            .isInstanceOfSatisfying(JournalLossException.class, e -> {
                assertThat(e.loss().journalEnd()).isEqualTo(5);
                assertThat(e.loss().expectedEnd()).isEqualTo(10);
                assertThat(e.loss().lostWrites()).isEqualTo(5);
            })
            .hasMessageContaining("its end marker says epochs up to 10 were journaled, but its records end at epoch 5")
            .hasMessageContaining(dir.toString());
        ring.stop();
        assertThat(hashes(dir)).isEqualTo(before);
    }

    @Test
    void shouldRecordAnAcceptedLossSoTheNextStartNeitherRefusesItNorReusesItsEpochs() {
        // given the journal of the test above
        Path dir = TestDirs.fresh("loss-accepted");
        writeTwoFiles(dir);
        deleteNewestFile(dir);

        // when the loss is accepted
        MapDelta delta = new MapDelta();
        JournalLogCapture log = new JournalLogCapture();
        var ring = Rings.builder(delta, new TestFlusher(), journal(dir)).acceptJournalLoss(true).build().start();
        JournalLoss loss = ring.recovery().loss();
        ring.stop();
        log.close();
        assertThat(log.at(java.util.logging.Level.WARNING)).singleElement().asString().contains("recorded epochs 6..10 as lost, as asked", "continue after 10");

        // then what was left came back, the loss was reported and recorded
        assertThat(loss.journalEnd()).isEqualTo(5);
        assertThat(loss.expectedEnd()).isEqualTo(10);
        assertThat(loss.lostWrites()).isEqualTo(5);
        assertThat(ring.recovery().replayed()).isEqualTo(5);
        try (JournalInspector inspector = JournalInspector.open(dir)) {
            List<JournalEntry> lost = inspector.records(0, 100).stream().filter(e -> e.type() == RecordType.LOST).toList();
            assertThat(lost).hasSize(1);
            assertThat(lost.get(0).previousEpoch()).isEqualTo(5);
            assertThat(lost.get(0).epoch()).isEqualTo(10);
            assertThat(inspector.summary().writes()).isEqualTo(5);
        }

        // and the next start finds no loss and goes on after epoch 10
        var next = Rings.start(new MapDelta(), new TestFlusher(), journal(dir));
        try {
            assertThat(next.recovery().loss().any()).isFalse();
            var write = next.channel("a").write(new Put("k", 11));
            write.await(APPLIED);
            assertThat(write.epoch()).isEqualTo(11);
        } finally {
            next.stop();
        }
    }

    @Test
    void shouldNotCallItALossWhenOnlyTheEndMarkerIsGone() {
        Path dir = TestDirs.fresh("loss-no-marker");
        writeTwoFiles(dir);
        assertThat(EndMarker.read(dir)).isPresent();
        try {
            Files.delete(dir.resolve(EndMarker.FILE_NAME));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }

        var ring = Rings.start(new MapDelta(), new TestFlusher(), journal(dir));
        try {
            assertThat(ring.recovery().loss().any()).isFalse();
            assertThat(ring.recovery().replayed()).isEqualTo(10);
        } finally {
            ring.stop();
        }
        assertThat(EndMarker.read(dir)).as("recreated by the writer").isPresent();
    }

    private void writeTwoFiles(Path dir) {
        try (ChronicleJournal journal = journal(dir)) {
            journal.bindCodec(codec.name(), codec.version()); // as a coordinator would: the tests recover it with one
            for (long epoch = 1; epoch <= 10; epoch++) {
                if (epoch == 6) {
                    time.advanceMillis(TimeUnit.HOURS.toMillis(1));
                }
                ExpandableArrayBuffer buffer = new ExpandableArrayBuffer();
                int length = codec.encode(new Put("k" + epoch, epoch), buffer, 0);
                journal.append(epoch, "a", buffer, 0, length);
                journal.commit();
            }
        }
        assertThat(TestDirs.queueFiles(dir)).hasSize(2);
    }

    /** The test's clock for every journal: reopening with the system clock would make Chronicle look through years of hourly cycles. */
    private ChronicleJournal journal(Path dir) {
        return ChronicleJournal.builder(dir).rollCycle(RollCycles.FAST_HOURLY).timeProvider(time).build();
    }

    private static void deleteNewestFile(Path dir) {
        List<String> files = TestDirs.queueFiles(dir);
        try {
            Files.delete(dir.resolve(files.get(files.size() - 1)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the journal's record files, checkpoint hint and end marker by name, with a digest of their bytes */
    private static Map<String, String> hashes(Path dir) {
        Map<String, String> hashes = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (name.endsWith(".cq4") || name.equals(EndMarker.FILE_NAME) || name.equals(CheckpointHint.FILE_NAME)) {
                    hashes.put(name,
                               HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file))));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return hashes;
    }
}
