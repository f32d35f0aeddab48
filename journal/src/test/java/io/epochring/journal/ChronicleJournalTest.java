package io.epochring.journal;

import io.epochring.Journal.Checkpoint;
import io.epochring.journal.support.TestDirs;
import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.RollCycles;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The journal through its own API, as the engine drives it: append, commit, checkpoint, replay. */
class ChronicleJournalTest {

    /** One replayed record, with its payload decoded as text. */
    record Replayed(long epoch, String channel, String payload) {
    }

    @Test
    void shouldReplayEveryAppendedWriteInEpochOrderAfterReopening() {
        Path dir = TestDirs.fresh("replay-all");
        try (ChronicleJournal journal = ChronicleJournal.builder(dir).build()) {
            assertThat(journal.lastCheckpoint()).isEqualTo(Checkpoint.NONE);
            assertThat(journal.lastEpoch()).isZero();
            for (long epoch = 1; epoch <= 10; epoch++) {
                append(journal, epoch, epoch % 2 == 0 ? "even" : "odd", "value-" + epoch);
            }
            journal.commit();
        }

        try (ChronicleJournal journal = ChronicleJournal.builder(dir).build()) {
            assertThat(journal.lastEpoch()).isEqualTo(10);
            List<Replayed> replayed = replay(journal, 0);
            assertThat(replayed).hasSize(10);
            assertThat(replayed).extracting(Replayed::epoch).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
            assertThat(replayed.get(3)).isEqualTo(new Replayed(4, "even", "value-4"));
            assertThat(replayed.get(4)).isEqualTo(new Replayed(5, "odd", "value-5"));
        }
    }

    @Test
    void shouldReplayOnlyWritesAboveTheCheckpointEvenWhenTheyPrecedeItsRecord() {
        Path dir = TestDirs.fresh("replay-above");
        try (ChronicleJournal journal = ChronicleJournal.builder(dir).build()) {
            for (long epoch = 1; epoch <= 8; epoch++) {
                append(journal, epoch, "a", "v" + epoch);
            }
            journal.commit();
            // The flush thread checkpoints epoch 5 while the journal thread is already at 8.
            journal.checkpoint(5, 5);
            append(journal, 9, "a", "v9");
            journal.commit();
        }

        try (ChronicleJournal journal = ChronicleJournal.builder(dir).build()) {
            assertThat(journal.lastCheckpoint()).isEqualTo(new Checkpoint(5, 5));
            assertThat(replay(journal, 5)).extracting(Replayed::epoch).containsExactly(6L, 7L, 8L, 9L);
            assertThat(journal.lastEpoch()).isEqualTo(9);
        }
    }

    @Test
    void shouldFindTheReplayStartByBinarySearchAcrossManyFiles() {
        Path dir = TestDirs.fresh("replay-search");
        SetTimeProvider time = new SetTimeProvider(1_700_000_000_000_000_000L);
        try (ChronicleJournal journal = ChronicleJournal.builder(dir).rollCycle(RollCycles.FAST_HOURLY).timeProvider(time).build()) {
            long epoch = 0;
            for (int file = 0; file < 6; file++) {
                for (int i = 0; i < 500; i++) {
                    append(journal, ++epoch, "c", "p" + epoch);
                    if (epoch % 97 == 0) {
                        journal.checkpoint(epoch - 50, epoch - 40);
                    }
                }
                journal.commit();
                time.advanceMillis(TimeUnit.HOURS.toMillis(1));
            }
        }
        assertThat(TestDirs.queueFiles(dir)).hasSize(6);

        try (ChronicleJournal journal = ChronicleJournal.builder(dir).build()) {
            for (long after : new long[] {0, 1, 499, 500, 501, 1234, 2999, 3000}) {
                List<Replayed> replayed = replay(journal, after);
                assertThat(replayed).as("replay after %d", after).hasSize((int) (3000 - after));
                if (!replayed.isEmpty()) {
                    assertThat(replayed.get(0).epoch()).isEqualTo(after + 1);
                    assertThat(replayed.get(0).payload()).isEqualTo("p" + (after + 1));
                }
            }
            assertThat(journal.lastCheckpoint()).isEqualTo(new Checkpoint(2910 - 50, 2910 - 40));
            assertThat(journal.lastEpoch()).isEqualTo(3000);
        }
    }

    @Test
    void shouldFindTheLastCheckpointWithoutTheHintOrChronicleMetadata() throws Exception {
        Path dir = TestDirs.fresh("no-hint");
        try (ChronicleJournal journal = ChronicleJournal.builder(dir).build()) {
            append(journal, 1, "a", "x");
            append(journal, 2, "a", "y");
            journal.commit();
            journal.checkpoint(1, 2);
            journal.checkpoint(2, 2);
        }
        Files.delete(dir.resolve("metadata.cq4t"));
        Files.delete(dir.resolve(CheckpointHint.FILE_NAME));

        try (ChronicleJournal journal = ChronicleJournal.builder(dir).build()) {
            assertThat(journal.lastCheckpoint()).isEqualTo(new Checkpoint(2, 2));
            assertThat(journal.lastEpoch()).isEqualTo(2);
            assertThat(replay(journal, 2)).isEmpty();
        }
    }

    @Test
    void shouldCountACheckpointedEpochBeyondTheLastWriteAsTheLastEpoch() {
        // A write the codec could not encode has an epoch but no record; storage may still cover it.
        Path dir = TestDirs.fresh("last-epoch");
        try (ChronicleJournal journal = ChronicleJournal.builder(dir).build()) {
            append(journal, 1, "a", "x");
            journal.commit();
            journal.checkpoint(2, 2);
        }
        try (ChronicleJournal journal = ChronicleJournal.builder(dir).build()) {
            assertThat(journal.lastEpoch()).isEqualTo(2);
            append(journal, 3, "a", "z");
            journal.commit();
        }
        try (ChronicleJournal journal = ChronicleJournal.builder(dir).build()) {
            assertThat(replay(journal, 0)).extracting(Replayed::epoch).containsExactly(1L, 3L);
        }
    }

    @Test
    void shouldRefuseAnAppendWhoseEpochDoesNotIncrease() {
        try (ChronicleJournal journal = ChronicleJournal.builder(TestDirs.fresh("epoch-order")).build()) {
            append(journal, 5, "a", "x");
            assertThatThrownBy(() -> append(journal, 5, "a", "y"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("epoch 5 after epoch 5");
        }
    }

    @Test
    void shouldRefuseACheckpointThatGoesBackwards() {
        try (ChronicleJournal journal = ChronicleJournal.builder(TestDirs.fresh("checkpoint-order")).build()) {
            journal.checkpoint(4, 6);
            assertThatThrownBy(() -> journal.checkpoint(3, 6)).isInstanceOf(IllegalArgumentException.class)
                                                                .hasMessageContaining("durable must not go back");
            assertThatThrownBy(() -> journal.checkpoint(7, 6)).isInstanceOf(IllegalArgumentException.class)
                                                                .hasMessageContaining("durable <= written");
        }
    }

    @Test
    void shouldTakeCheckpointsFromAnotherThreadThanAppends() throws Exception {
        Path dir = TestDirs.fresh("threads");
        try (ChronicleJournal journal = ChronicleJournal.builder(dir).build()) {
            Thread journalThread = new Thread(() -> {
                for (long epoch = 1; epoch <= 1000; epoch++) {
                    append(journal, epoch, "a", "v" + epoch);
                    journal.commit();
                }
            });
            Thread flushThread = new Thread(() -> {
                for (long epoch = 1; epoch <= 100; epoch++) {
                    journal.checkpoint(epoch, epoch);
                }
            });
            journalThread.start();
            flushThread.start();
            journalThread.join();
            flushThread.join();
            // And a third thread may take over checkpointing (calls never overlap).
            Thread later = new Thread(() -> journal.checkpoint(500, 500));
            later.start();
            later.join();
            assertThat(journal.stats().checkpoints()).isEqualTo(101);
        }
        try (ChronicleJournal journal = ChronicleJournal.builder(dir).build()) {
            assertThat(journal.lastCheckpoint()).isEqualTo(new Checkpoint(500, 500));
            assertThat(replay(journal, 500)).hasSize(500);
        }
    }

    @Test
    void shouldAppendWithoutAllocatingPerWrite() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(64);
        int length = buffer.putStringWithoutLengthAscii(0, "a payload of a typical size, 40 bytes..");
        String channel = "orders";
        try (ChronicleJournal journal = ChronicleJournal.builder(TestDirs.fresh("allocation")).build()) {
            long epoch = 0;
            for (int i = 0; i < 200_000; i++) { // warm up: JIT, first chunk mappings, the channel name cache
                journal.append(++epoch, channel, buffer, 0, length);
                if (i % 100 == 0) {
                    journal.commit();
                }
            }
            long before = threads.getCurrentThreadAllocatedBytes();
            int writes = 100_000;
            for (int i = 0; i < writes; i++) {
                journal.append(++epoch, channel, buffer, 0, length);
                if (i % 100 == 0) {
                    journal.commit();
                }
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertThat(allocated / (double) writes).as("bytes allocated per append (%d in all)", allocated).isLessThan(1.0);
        }
    }

    static void append(ChronicleJournal journal, long epoch, String channel, String payload) {
        byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
        ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(bytes.length + 8);
        buffer.putBytes(3, bytes);
        journal.append(epoch, channel, buffer, 3, bytes.length);
    }

    static List<Replayed> replay(ChronicleJournal journal, long after) {
        List<Replayed> replayed = new ArrayList<>();
        journal.replay(after, (epoch, channel, payload, offset, length) -> replayed.add(new Replayed(epoch, channel, text(payload, offset, length))));
        return replayed;
    }

    static String text(DirectBuffer buffer, int offset, int length) {
        byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
