package io.epochring.journal;

import io.epochring.Journal.ReplayHandler;
import io.epochring.JournalCorruptedException;
import io.epochring.journal.support.TestDirs;
import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.RollCycles;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Records of writes that {@code Delta.apply} rejected: journaled, chained and replayed as rejected. */
class RejectedWriteTest {

    /** What replay handed over: a write with its payload, or a rejected write (payload null). */
    record Replayed(String kind, long epoch, String channel, String payload) {

        static Replayed write(long epoch, String channel, String payload) {
            return new Replayed("write", epoch, channel, payload);
        }

        static Replayed rejected(long epoch, String channel) {
            return new Replayed("rejected", epoch, channel, null);
        }
    }

    @Test
    void shouldReplayWritesAndRejectedWritesInEpochOrderAfterReopening() {
        // given accepted and rejected writes on two channels
        Path dir = TestDirs.fresh("rejected-replay");
        try (ChronicleJournal journal = ChronicleJournal.builder(dir).build()) {
            append(journal, 1, "orders", "o1");
            appendRejected(journal, 2, "orders", "bad order");
            append(journal, 3, "quotes", "q3");
            appendRejected(journal, 4, "quotes", "bad quote");
            appendRejected(journal, 5, "orders", "worse order");
            append(journal, 6, "orders", "o6");
            journal.commit();
            assertThat(journal.stats().appends()).isEqualTo(6);
        }

        // when the journal is reopened and replayed
        try (ChronicleJournal journal = ChronicleJournal.builder(dir).build()) {
            List<Replayed> replayed = new ArrayList<>();
            long count = journal.replay(0, recorder(replayed));

            // then each comes back in its place, only the accepted ones counted as replayed
            assertThat(replayed).containsExactly(Replayed.write(1, "orders", "o1"), Replayed.rejected(2, "orders"),
                                                 Replayed.write(3, "quotes", "q3"), Replayed.rejected(4, "quotes"),
                                                 Replayed.rejected(5, "orders"), Replayed.write(6, "orders", "o6"));
            assertThat(count).isEqualTo(3);
            assertThat(journal.lastEpoch()).isEqualTo(6);
        }
    }

    @Test
    void shouldReplayOnlyRejectedWritesAboveTheCheckpoint() {
        Path dir = TestDirs.fresh("rejected-above");
        try (ChronicleJournal journal = ChronicleJournal.builder(dir).build()) {
            for (long epoch = 1; epoch <= 6; epoch++) {
                if (epoch % 2 == 0) {
                    appendRejected(journal, epoch, "a", "r" + epoch);
                } else {
                    append(journal, epoch, "a", "v" + epoch);
                }
            }
            journal.commit();
            journal.checkpoint(4, 4);
        }

        try (ChronicleJournal journal = ChronicleJournal.builder(dir).build()) {
            List<Replayed> replayed = new ArrayList<>();
            journal.replay(journal.lastCheckpoint().durableEpoch(), recorder(replayed));

            assertThat(replayed).containsExactly(Replayed.write(5, "a", "v5"), Replayed.rejected(6, "a"));
        }
    }

    @Test
    void shouldKeepARejectedWriteThatEndsTheJournalAcrossReopening() {
        // given a journal whose newest record is a rejected write
        Path dir = TestDirs.fresh("rejected-last");
        try (ChronicleJournal journal = ChronicleJournal.builder(dir).build()) {
            append(journal, 1, "a", "v1");
            appendRejected(journal, 2, "a", "r2");
            journal.commit();
        }

        // when it is reopened, the rejected write's epoch is the last one, and the next write chains to it
        try (ChronicleJournal journal = ChronicleJournal.builder(dir).build()) {
            assertThat(journal.lastEpoch()).isEqualTo(2);
            assertThatThrownBy(() -> append(journal, 2, "a", "again")).isInstanceOf(IllegalArgumentException.class)
                                                                     .hasMessageContaining("epoch 2 after epoch 2");
            append(journal, 3, "a", "v3");
            journal.commit();
        }

        // then the chain of writes holds, the rejected write included
        try (ChronicleJournal journal = ChronicleJournal.builder(dir).build()) {
            List<Replayed> replayed = new ArrayList<>();
            journal.replay(0, recorder(replayed));
            assertThat(replayed).containsExactly(Replayed.write(1, "a", "v1"), Replayed.rejected(2, "a"), Replayed.write(3, "a", "v3"));
        }
    }

    @Test
    void shouldCountARejectedWriteInTheChainSoThatAMissingFileIsStillReported() throws Exception {
        // given three files, the middle one holding a rejected and an accepted write
        Path dir = TestDirs.fresh("rejected-chain");
        SetTimeProvider time = new SetTimeProvider(1_700_000_000_000_000_000L);
        try (ChronicleJournal journal = ChronicleJournal.builder(dir).rollCycle(RollCycles.FAST_HOURLY).timeProvider(time).build()) {
            append(journal, 1, "a", "v1");
            appendRejected(journal, 2, "a", "r2");
            time.advanceMillis(TimeUnit.HOURS.toMillis(1));
            appendRejected(journal, 3, "a", "r3");
            append(journal, 4, "a", "v4");
            time.advanceMillis(TimeUnit.HOURS.toMillis(1));
            appendRejected(journal, 5, "a", "r5");
            append(journal, 6, "a", "v6");
            journal.commit();
        }
        List<String> files = TestDirs.queueFiles(dir);
        assertThat(files).hasSize(3);

        // when the middle file is lost
        Files.delete(dir.resolve(files.get(1)));

        // then replay stops at the first record after the gap, a rejected write, and says so
        try (ChronicleJournal journal = ChronicleJournal.builder(dir).build()) {
            List<Replayed> replayed = new ArrayList<>();
            assertThatThrownBy(() -> journal.replay(0, recorder(replayed)))
                .isInstanceOf(JournalCorruptedException.class)
                .hasMessageContaining("write records are missing: this record follows epoch 4 but the last write read was epoch 2")
                .hasMessageContaining(files.get(2))
                .hasMessageContaining("epoch 5 (a rejected write)");
            assertThat(replayed).containsExactly(Replayed.write(1, "a", "v1"), Replayed.rejected(2, "a"));
        }
    }

    @Test
    void shouldListRejectedWritesInTheInspector() {
        Path dir = TestDirs.fresh("rejected-inspect");
        try (ChronicleJournal journal = ChronicleJournal.builder(dir).build()) {
            append(journal, 1, "a", "v1");
            appendRejected(journal, 2, "b", "not applied");
            journal.commit();
            journal.checkpoint(1, 2);
            append(journal, 3, "a", "v3");
            journal.commit();
        }

        try (JournalInspector inspector = JournalInspector.open(dir)) {
            JournalSummary summary = inspector.summary();
            assertThat(summary.writes()).isEqualTo(3);
            assertThat(summary.rejectedWrites()).isEqualTo(1);
            assertThat(summary.records()).isEqualTo(4);
            assertThat(summary.lastEpoch()).isEqualTo(3);

            List<JournalEntry> entries = inspector.records(0, 10);
            assertThat(entries).extracting(JournalEntry::type)
                               .containsExactly(RecordType.WRITE, RecordType.REJECTED_WRITE, RecordType.CHECKPOINT, RecordType.WRITE);
            assertThat(entries).extracting(JournalEntry::rejected).containsExactly(false, true, false, false);
            JournalEntry rejected = entries.get(1);
            assertThat(rejected.type().isWrite()).isTrue();
            assertThat(rejected.epoch()).isEqualTo(2);
            assertThat(rejected.channel()).isEqualTo("b");
            assertThat(new String(rejected.payload(), StandardCharsets.UTF_8)).isEqualTo("not applied");
            assertThat(rejected.toString()).startsWith("REJECTED_WRITE epoch=2 channel='b' payload=11B @ ");
            assertThat(inspector.records(2, 1)).extracting(JournalEntry::type).containsExactly(RecordType.REJECTED_WRITE);
        }
    }

    @Test
    void shouldReportADamagedRejectedWriteAsSuch() throws Exception {
        Path dir = TestDirs.fresh("rejected-damaged");
        try (ChronicleJournal journal = ChronicleJournal.builder(dir).build()) {
            append(journal, 1, "a", "v1");
            appendRejected(journal, 2, "a", "a rejected payload");
            append(journal, 3, "a", "v3");
            journal.commit();
        }
        JournalEntry entry;
        try (JournalInspector inspector = JournalInspector.open(dir)) {
            entry = inspector.records(2, 1).get(0);
        }
        try (FileChannel channel = FileChannel.open(dir.resolve(entry.file()), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            long inPayload = entry.position() + 30;
            channel.read(one, inPayload);
            one.put(0, (byte) (one.get(0) ^ 0x5A)).rewind();
            channel.write(one, inPayload);
        }

        try (ChronicleJournal journal = ChronicleJournal.builder(dir).build()) {
            assertThatThrownBy(() -> journal.replay(0, recorder(new ArrayList<>())))
                .isInstanceOf(JournalCorruptedException.class)
                .hasMessageContaining("checksum mismatch")
                .hasMessageContaining("epoch field 2 (unverified)");
        }
    }

    // ---- helpers --------------------------------------------------------------------------------

    static void appendRejected(ChronicleJournal journal, long epoch, String channel, String payload) {
        byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
        ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(bytes.length + 8);
        buffer.putBytes(5, bytes);
        journal.appendRejected(epoch, channel, buffer, 5, bytes.length);
    }

    private static void append(ChronicleJournal journal, long epoch, String channel, String payload) {
        ChronicleJournalTest.append(journal, epoch, channel, payload);
    }

    private static ReplayHandler recorder(List<Replayed> replayed) {
        return new ReplayHandler() {
            @Override
            public void onWrite(long epoch, String channel, DirectBuffer payload, int offset, int length) {
                replayed.add(Replayed.write(epoch, channel, ChronicleJournalTest.text(payload, offset, length)));
            }

            @Override
            public void onRejected(long epoch, String channel) {
                replayed.add(Replayed.rejected(epoch, channel));
            }
        };
    }
}
