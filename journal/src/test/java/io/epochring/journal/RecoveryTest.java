package io.epochring.journal;

import io.epochring.DurabilityLevel;
import io.epochring.EpochRing;
import io.epochring.Journal.Checkpoint;
import io.epochring.JournalCorruptedException;
import io.epochring.RecoveryReport;
import io.epochring.ThreadingMode;
import io.epochring.WriteCodec;
import io.epochring.WriteHandle;
import io.epochring.journal.support.Outages;
import io.epochring.journal.support.PutCodec;
import io.epochring.journal.support.RecordingDelta;
import io.epochring.journal.support.Rings;
import io.epochring.journal.support.TestDirs;
import io.epochring.testing.MapDelta;
import io.epochring.testing.Put;
import io.epochring.testing.TestFlusher;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.epochring.DurabilityLevel.APPLIED;
import static io.epochring.DurabilityLevel.DURABLE;
import static io.epochring.DurabilityLevel.JOURNALED;
import static io.epochring.DurabilityLevel.WRITTEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Journaling and recovery in one process, through a running coordinator: every write journaled
 * with its epoch and channel before JOURNALED, one commit per ring batch, replay above the durable
 * checkpoint after a clean stop, a flush failure or a recovery that died half-way.
 */
class RecoveryTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private final PutCodec codec = new PutCodec();

    @Test
    void shouldJournalEveryWriteWithItsEpochAndChannelBeforeItReportsJournaled() {
        Path dir = TestDirs.fresh("journaled");
        var ring = Rings.start(new MapDelta(), new TestFlusher(), ChronicleJournal.builder(dir).build());
        try (JournalInspector inspector = JournalInspector.open(dir)) {
            for (int i = 1; i <= 100; i++) {
                String channel = i % 3 == 0 ? "b" : "a";
                WriteHandle<Long> handle = ring.channel(channel).write(new Put("k" + i, i * 10L));
                handle.await(JOURNALED, WAIT);

                // Once JOURNALED, a reader alongside the writer finds the record: epoch, channel, bytes.
                List<JournalEntry> entries = inspector.records(handle.epoch(), 1);
                assertThat(entries).hasSize(1);
                JournalEntry entry = entries.get(0);
                assertThat(entry.type()).isEqualTo(RecordType.WRITE);
                assertThat(entry.epoch()).isEqualTo(handle.epoch()).isEqualTo(i);
                assertThat(entry.channel()).isEqualTo(channel);
                assertThat(decode(entry)).isEqualTo(new Put("k" + i, i * 10L));
            }
        } finally {
            ring.stop();
        }
    }

    @Test
    void shouldCommitTheJournalOncePerRingBatch() throws Exception {
        Path dir = TestDirs.fresh("batched");
        RecordingDelta delta = new RecordingDelta().holdAt(1);
        ChronicleJournal journal = ChronicleJournal.builder(dir).build();
        var ring = Rings.start(delta, new TestFlusher(), journal);
        try {
            // given the pipeline is held inside the apply of the first write
            WriteHandle<Long> first = ring.channel("a").write(new Put("first", 1));
            assertThat(delta.awaitHeld(30)).isTrue();
            // when 49 more writes queue up behind it, then the pipeline goes on
            List<WriteHandle<Long>> rest = new ArrayList<>();
            for (int i = 2; i <= 50; i++) {
                rest.add(ring.channel(i % 2 == 0 ? "a" : "b").write(new Put("k" + i, i)));
            }
            delta.release();
            rest.get(rest.size() - 1).await(JOURNALED, WAIT);
            first.await(JOURNALED, WAIT);

            // then the 49 were appended as one batch: one commit for them, one for the first
            JournalStats stats = journal.stats();
            assertThat(stats.appends()).isEqualTo(50);
            assertThat(stats.commits()).isEqualTo(2);
            assertThat(ring.watermark(JOURNALED)).isEqualTo(50);
        } finally {
            delta.release();
            ring.stop();
        }
    }

    @Test
    void shouldJournalAndRecoverFromConcurrentProducersWithAThreadPerStage() throws Exception {
        Path dir = TestDirs.fresh("thread-per-stage");
        TestFlusher flusher = new TestFlusher();
        var ring = Rings.builder(new MapDelta(), flusher, ChronicleJournal.builder(dir).build())
                        .threadingMode(ThreadingMode.THREAD_PER_STAGE).build().start();
        // given two producers on two channels, the journal stage on a thread of its own
        List<Thread> producers = new ArrayList<>();
        for (String channel : List.of("a", "b")) {
            Thread producer = new Thread(() -> {
                WriteHandle<Long> last = null;
                for (int i = 0; i < 5_000; i++) {
                    last = ring.channel(channel).write(new Put(channel + i, i));
                }
                last.await(JOURNALED, WAIT);
            });
            producer.start();
            producers.add(producer);
        }
        for (Thread producer : producers) {
            producer.join();
        }
        assertThat(ring.watermark(JOURNALED)).isEqualTo(10_000);
        Outages.stopWithoutCheckpoint(ring, flusher);

        // then recovery replays them all, each once, in epoch order, with each channel's order kept
        RecordingDelta delta = new RecordingDelta();
        var recovered = Rings.start(delta, new TestFlusher(), ChronicleJournal.builder(dir).build());
        try {
            assertThat(delta.applied()).extracting(RecordingDelta.Applied::epoch).containsExactlyElementsOf(range(1, 10_000));
            for (String channel : List.of("a", "b")) {
                assertThat(delta.applied()).extracting(a -> a.put().key()).filteredOn(key -> key.startsWith(channel))
                                           .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 5_000)
                                                                                                .mapToObj(i -> channel + i).toList());
            }
        } finally {
            recovered.stop();
        }
    }

    @Test
    void shouldComeBackWithNothingToReplayAfterACleanStop() {
        Path dir = TestDirs.fresh("clean-stop");
        var ring = Rings.start(new MapDelta(), new TestFlusher(), ChronicleJournal.builder(dir).build());
        for (int i = 1; i <= 20; i++) {
            ring.channel("a").write(new Put("k" + i, i));
        }
        ring.channel("b").write(new Put("last", 21)).await(JOURNALED, WAIT);
        ring.stop(); // flushes, syncs storage and checkpoints epoch 21

        MapDelta delta = new MapDelta();
        var again = Rings.start(delta, new TestFlusher(), ChronicleJournal.builder(dir).build());
        try {
            RecoveryReport report = again.recovery();
            assertThat(report.checkpoint()).isEqualTo(new Checkpoint(21, 21));
            assertThat(report.replayed()).isZero();
            assertThat(report.lastEpoch()).isEqualTo(21);
            assertThat(delta.view()).isEmpty();
            for (DurabilityLevel level : DurabilityLevel.values()) {
                assertThat(again.watermark(level)).as(level.name()).isEqualTo(21);
            }
            assertThat(again.channel("a").write(new Put("next", 22)).await(JOURNALED, WAIT)).isNotNull();
            assertThat(again.watermark(JOURNALED)).isEqualTo(22);
        } finally {
            again.stop();
        }
    }

    @Test
    void shouldReplayJournaledWritesAboveTheDurableCheckpointAfterAFlushFailure() {
        Path dir = TestDirs.fresh("replay-after-failure");
        TestFlusher flusher = new TestFlusher();
        var ring = Rings.start(new MapDelta(), flusher, ChronicleJournal.builder(dir).build());
        // given epochs 1..10 are durable
        for (int i = 1; i <= 10; i++) {
            ring.channel("a").write(new Put("durable-" + i, i));
        }
        ring.flush(true).await(DURABLE, WAIT);
        // and epochs 11..30 are only journaled when storage fails for good
        Map<Long, Put> journaledOnly = new HashMap<>();
        for (int i = 11; i <= 30; i++) {
            Put put = new Put("journaled-" + i, i);
            WriteHandle<Long> handle = ring.channel(i % 2 == 0 ? "a" : "b").write(put);
            handle.await(JOURNALED, WAIT);
            journaledOnly.put(handle.epoch(), put);
        }
        Outages.stopWithoutCheckpoint(ring, flusher);

        // when a new coordinator starts on the journal with a fresh delta
        RecordingDelta delta = new RecordingDelta();
        var recovered = Rings.start(delta, new TestFlusher(), ChronicleJournal.builder(dir).build());
        try {
            // then every journaled write above the checkpoint is back, in epoch order, and only those
            RecoveryReport report = recovered.recovery();
            assertThat(report.checkpoint()).isEqualTo(new Checkpoint(10, 10));
            assertThat(report.replayed()).isEqualTo(20);
            assertThat(report.lastEpoch()).isEqualTo(30);
            assertThat(delta.applied()).extracting(RecordingDelta.Applied::epoch).containsExactlyElementsOf(range(11, 30));
            delta.applied().forEach(a -> assertThat(a.put()).isEqualTo(journaledOnly.get(a.epoch())));
            assertThat(delta.view()).hasSize(20).containsEntry("journaled-11", 11L).doesNotContainKey("durable-10");
            // and the watermarks are consistent: APPLIED/JOURNALED at the last epoch, WRITTEN/DURABLE at the checkpoint
            assertThat(recovered.watermark(APPLIED)).isEqualTo(30);
            assertThat(recovered.watermark(JOURNALED)).isEqualTo(30);
            assertThat(recovered.watermark(WRITTEN)).isEqualTo(10);
            assertThat(recovered.watermark(DURABLE)).isEqualTo(10);
            // and the replay was not journaled again: the journal still holds 30 writes
            assertThat(journalWrites(dir)).isEqualTo(30);
            // and epochs continue after the last journaled one
            WriteHandle<Long> next = recovered.channel("a").write(new Put("after", 31));
            next.await(JOURNALED, WAIT);
            assertThat(next.epoch()).isEqualTo(31);
            recovered.flush(true).await(DURABLE, WAIT);
        } finally {
            recovered.stop();
        }
    }

    @Test
    void shouldRecoverTheSameStateAfterARecoveryThatDiedHalfWay() {
        Path dir = TestDirs.fresh("recover-twice");
        TestFlusher flusher = new TestFlusher();
        var ring = Rings.start(new MapDelta(), flusher, ChronicleJournal.builder(dir).build());
        for (int i = 1; i <= 5; i++) {
            ring.channel("a").write(new Put("k" + i, i));
        }
        ring.flush(true).await(DURABLE, WAIT);
        Map<String, Long> expected = new HashMap<>();
        WriteHandle<Long> last = null;
        for (int i = 6; i <= 40; i++) {
            Put put = new Put("k" + (i % 12), i); // keys repeat: the last write per key must win
            last = ring.channel(i % 2 == 0 ? "a" : "b").write(put);
            expected.put(put.key(), put.value());
        }
        last.await(JOURNALED, WAIT);
        Outages.stopWithoutCheckpoint(ring, flusher);

        // given a recovery that dies in the middle of the replay (its codec throws on the 8th record)
        var dying = EpochRing.builder(new MapDelta(), new TestFlusher())
                             .journal(ChronicleJournal.builder(dir).build(), new DyingCodec(8))
                             .build();
        assertThatThrownBy(dying::start).isInstanceOf(JournalCorruptedException.class)
                                        .hasMessageContaining("simulated crash")
                                        .hasMessageContaining("at epoch 13")
                                        .hasMessageContaining(".cq4"); // the record's file, added by the journal

        // when recovery runs again
        RecordingDelta delta = new RecordingDelta();
        var recovered = Rings.start(delta, new TestFlusher(), ChronicleJournal.builder(dir).build());
        try {
            // then the state is what one clean recovery gives: nothing lost, nothing applied twice
            RecoveryReport report = recovered.recovery();
            assertThat(report.checkpoint()).isEqualTo(new Checkpoint(5, 5));
            assertThat(report.replayed()).isEqualTo(35);
            assertThat(report.lastEpoch()).isEqualTo(40);
            assertThat(delta.applied()).extracting(RecordingDelta.Applied::epoch).containsExactlyElementsOf(range(6, 40));
            assertThat(delta.view()).isEqualTo(expected);
            assertThat(recovered.watermark(JOURNALED)).isEqualTo(40);
            assertThat(recovered.watermark(DURABLE)).isEqualTo(5);
            assertThat(journalWrites(dir)).isEqualTo(40);
        } finally {
            recovered.stop();
        }
    }

    private static long journalWrites(Path dir) {
        try (JournalInspector inspector = JournalInspector.open(dir)) {
            return inspector.summary().writes();
        }
    }

    private Put decode(JournalEntry entry) {
        byte[] payload = entry.payload();
        return codec.decode(new UnsafeBuffer(payload), 0, payload.length);
    }

    private static List<Long> range(long first, long last) {
        List<Long> epochs = new ArrayList<>();
        for (long e = first; e <= last; e++) {
            epochs.add(e);
        }
        return epochs;
    }

    /** A codec whose decode dies at the n-th call: a stand-in for a crash in the middle of replay. */
    private static final class DyingCodec implements WriteCodec<Put> {
        private final PutCodec codec = new PutCodec();
        private final int dieAt;
        private int calls;

        DyingCodec(int dieAt) {
            this.dieAt = dieAt;
        }

        /** The put codec's bytes, so the journal's codec identity: it is the same encoding. */
        @Override
        public String name() {
            return codec.name();
        }

        @Override
        public Put decode(DirectBuffer buffer, int offset, int length) {
            if (++calls == dieAt) {
                throw new IllegalStateException("simulated crash in the middle of recovery");
            }
            return codec.decode(buffer, offset, length);
        }

        @Override
        public int encode(Put write, MutableDirectBuffer buffer, int offset) {
            return codec.encode(write, buffer, offset);
        }
    }
}
