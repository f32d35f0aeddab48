package io.epochring.journal;

import io.epochring.journal.ChronicleJournalTest.Replayed;
import io.epochring.journal.support.ChildJvm;
import io.epochring.journal.support.FullDiskWriterMain;
import io.epochring.journal.support.TestDirs;
import io.epochring.journal.support.Tmpfs;
import net.openhft.chronicle.core.io.BackgroundResourceReleaser;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Fail-stop: after a write fails, the journal writes nothing more until it is reopened. */
class WriteFailureTest {

    @Test
    void shouldRefuseEveryWriteAfterAnAppendFailedAndRecoverAfterReopening() {
        // given a journal with three committed writes
        Path dir = TestDirs.fresh("append-fault");
        InternalError fault = new InternalError("a fault occurred in an unsafe memory access operation (simulated)");
        try (ChronicleJournal journal = ChronicleJournal.builder(dir).syncPolicy(SyncPolicy.PER_BATCH).build()) {
            for (long epoch = 1; epoch <= 3; epoch++) {
                ChronicleJournalTest.append(journal, epoch, "a", "v" + epoch);
            }
            journal.commit();
            journal.checkpoint(2, 3);

            // when copying the fourth write's payload fails
            assertThatThrownBy(() -> journal.append(4, "a", failingPayload(fault), 0, 16))
                .isInstanceOf(JournalWriteFailedException.class)
                .hasCause(fault)
                .hasMessageContaining("could not write to journal " + dir)
                .hasMessageContaining("the write at epoch 4")
                .hasMessageContaining("close it and open the directory again")
                .hasMessageContaining("free space");

            // then every later append, commit and checkpoint is refused, naming that first failure
            assertRefused(() -> ChronicleJournalTest.append(journal, 4, "a", "v4"), dir, fault);
            assertRefused(() -> RejectedWriteTest.appendRejected(journal, 5, "a", "r5"), dir, fault);
            assertRefused(journal::commit, dir, fault);
            assertRefused(() -> journal.checkpoint(3, 3), dir, fault);
            assertThat(journal.stats().appends()).isEqualTo(3);
        }

        // and a new journal on the directory has the writes that were written, and carries on
        try (ChronicleJournal journal = ChronicleJournal.builder(dir).build()) {
            assertThat(ChronicleJournalTest.replay(journal, 0)).extracting(Replayed::epoch).containsExactly(1L, 2L, 3L);
            ChronicleJournalTest.append(journal, 4, "a", "v4");
            journal.commit();
            journal.checkpoint(4, 4);
            assertThat(ChronicleJournalTest.replay(journal, 0)).extracting(Replayed::payload).containsExactly("v1", "v2", "v3", "v4");
        }
    }

    @Test
    void shouldRefuseWritesOnTheJournalThreadAfterACheckpointFailed() throws Exception {
        Path dir = TestDirs.fresh("checkpoint-fault");
        try (ChronicleJournal journal = ChronicleJournal.builder(dir).build()) {
            ChronicleJournalTest.append(journal, 1, "a", "v1");
            journal.commit();
            // A checkpoint fails on the flush thread (here: its hint file cannot be written).
            closeHintFileUnderneath(journal);
            Throwable failure = catchFailure(() -> journal.checkpoint(1, 1));
            assertThat(failure).isInstanceOf(JournalWriteFailedException.class)
                               .hasMessageContaining("the checkpoint of durable epoch 1");

            assertRefused(() -> ChronicleJournalTest.append(journal, 2, "a", "v2"), dir, failure.getCause());
            assertRefused(journal::commit, dir, failure.getCause());
        }
    }

    @Test
    void shouldLeaveTheJournalUsableAfterABadArgument() {
        Path dir = TestDirs.fresh("bad-argument");
        try (ChronicleJournal journal = ChronicleJournal.builder(dir).build()) {
            ChronicleJournalTest.append(journal, 5, "a", "v5");
            // Nothing is written for these, so nothing can be half written.
            assertThatThrownBy(() -> ChronicleJournalTest.append(journal, 5, "a", "again")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> ChronicleJournalTest.append(journal, 6, "x".repeat(70_000), "v6"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("channel name is 70000 bytes");
            assertThatThrownBy(() -> journal.append(6, "a", new UnsafeBuffer(new byte[4]), 2, 8))
                .isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> journal.checkpoint(7, 6)).isInstanceOf(IllegalArgumentException.class);

            ChronicleJournalTest.append(journal, 6, "a", "v6");
            journal.commit();
            journal.checkpoint(6, 6);
            assertThat(ChronicleJournalTest.replay(journal, 0)).extracting(Replayed::epoch).containsExactly(5L, 6L);
        }
    }

    /**
     * A real full disk: a 4 MiB tmpfs, a filler file taking part of it, and a journal appending 1 KB
     * writes in batches of ten until the disk is full. Chronicle writes through a memory-mapped
     * file, where the kernel would answer a write to a page it cannot allocate with SIGBUS (an
     * {@link InternalError} from the JVM); the journal allocates its blocks ahead with ordinary file
     * writes, so the full disk is an {@link IOException} from one of those, before a record is begun.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldStopAtAFullDiskAndRecoverEveryCommittedWriteOnceThereIsSpace() throws Exception {
        Path mountPoint = TestDirs.fresh("full-disk");
        try (Tmpfs disk = Tmpfs.mount(mountPoint, 4 << 20)) {
            Path dir = Files.createDirectory(disk.path().resolve("journal"));
            Path filler = disk.path().resolve("filler");
            Tmpfs.fill(filler, 512 << 10);

            // given a journal appending until the disk is full
            long committed = 0;
            long appended = 0;
            Throwable failure = null;
            try (ChronicleJournal journal = ChronicleJournal.builder(dir).syncPolicy(SyncPolicy.PER_BATCH).build()) {
                // The loop allocates nothing, so that a fault is raised in the journal's code, not here.
                UnsafeBuffer payload = new UnsafeBuffer(new byte[PAYLOAD_LENGTH]);
                for (long epoch = 1; failure == null && epoch <= 20_000; epoch++) {
                    fillPayload(payload, epoch);
                    try {
                        journal.append(epoch, "c", payload, 0, PAYLOAD_LENGTH);
                        appended = epoch;
                        if (epoch % 10 == 0) {
                            journal.commit();
                            committed = epoch;
                        }
                    } catch (RuntimeException | Error e) {
                        failure = e;
                    }
                }

                // then the full disk surfaces as an exception from append or commit
                assertThat(failure).as("no write failed after %d writes of 1 KB on a 4 MiB disk", appended).isNotNull();
                assertThat(failure).isInstanceOf(JournalWriteFailedException.class)
                                   .hasMessageContaining("could not write to journal " + dir)
                                   .hasMessageContaining("no disk space could be reserved for the record of the write at epoch " + (appended + 1))
                                   .hasMessageContaining("every record before it is complete")
                                   .cause().isInstanceOf(IOException.class).hasMessageContaining("No space left on device");
                assertThat(committed).isPositive();

                // and even with space again, the journal refuses to write on until it is reopened
                Files.delete(filler);
                Throwable first = failure.getCause();
                long next = appended + 1;
                assertRefused(() -> journal.append(next, "c", payload, 0, PAYLOAD_LENGTH), dir, first);
                assertRefused(journal::commit, dir, first);
                assertRefused(() -> journal.checkpoint(1, 1), dir, first);
            }

            // when the journal is reopened
            try (ChronicleJournal journal = ChronicleJournal.builder(dir).build()) {
                List<byte[]> payloads = new ArrayList<>();
                List<Long> epochs = new ArrayList<>();
                journal.replay(0, (epoch, channel, buffer, offset, length) -> {
                    epochs.add(epoch);
                    byte[] bytes = new byte[length];
                    buffer.getBytes(offset, bytes);
                    payloads.add(bytes);
                });

                // then every committed write is there, in order and intact (with perhaps some appended after the last commit)
                assertThat((long) epochs.size()).isBetween(committed, appended + 1);
                UnsafeBuffer expected = new UnsafeBuffer(new byte[PAYLOAD_LENGTH]);
                for (int i = 0; i < epochs.size(); i++) {
                    assertThat(epochs.get(i)).isEqualTo(i + 1);
                    fillPayload(expected, i + 1);
                    assertThat(payloads.get(i)).as("payload of epoch %d", i + 1).isEqualTo(expected.byteArray());
                }

                // and the journal carries on
                long last = journal.lastEpoch();
                ChronicleJournalTest.append(journal, last + 1, "c", "after the disk was freed");
                journal.commit();
                journal.checkpoint(last + 1, last + 1);
                assertThat(ChronicleJournalTest.replay(journal, last)).extracting(Replayed::payload).containsExactly("after the disk was freed");
            }
            // Chronicle unmaps closed files on a background thread: let it finish before unmounting.
            BackgroundResourceReleaser.releasePendingResources();
        }
    }

    /**
     * The same with records of 129 to 229 bytes, like a key-value store's, written by a JVM of its own
     * with assertions off as in production (see {@link FullDiskWriterMain}): the record being written
     * when the disk fills usually straddles a page boundary, and a copy into a page the disk has no
     * room for must never leave a complete record with zeros in it. Each round has a filler of
     * another size, so the disk fills at another place in a record.
     */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shouldLeaveEveryAppendedRecordIntactWhenTheDiskFillsInTheMiddleOfARecord() throws Exception {
        for (int round = 0; round < 3; round++) {
            Path mountPoint = TestDirs.fresh("full-disk-small-records");
            try (Tmpfs disk = Tmpfs.mount(mountPoint, 4 << 20)) {
                Path dir = Files.createDirectory(disk.path().resolve("journal"));
                Path filler = disk.path().resolve("filler");
                Tmpfs.fill(filler, (512 << 10) + round * 1357);

                // given a journal that appended small writes until the disk was full
                String result;
                String failure;
                try (ChildJvm writer = ChildJvm.start(FullDiskWriterMain.class, mountPoint.resolveSibling(mountPoint.getFileName() + ".log"),
                                                      dir.toString())) {
                    result = writer.awaitLine("RESULT ", Duration.ofSeconds(60));
                    failure = writer.awaitLine("FAILURE ", Duration.ofSeconds(10));
                }
                String[] counts = result.split(" ");
                long appended = Long.parseLong(counts[1]);
                long committed = Long.parseLong(counts[2]);
                String context = "round " + round + ": " + result + ", " + failure;
                assertThat(failure).as(context).startsWith("FAILURE " + JournalWriteFailedException.class.getName());
                assertThat(committed).as(context).isPositive();
                Files.delete(filler);

                // when the journal is reopened, then every write appended before the failure is there and intact
                try (ChronicleJournal journal = ChronicleJournal.builder(dir).build()) {
                    List<Long> epochs = new ArrayList<>();
                    journal.replay(0, (epoch, channel, buffer, offset, length) -> {
                        int expectedLength = FullDiskWriterMain.payloadLength(epoch);
                        assertThat(length).as("%s: payload length of epoch %d", context, epoch).isEqualTo(expectedLength);
                        UnsafeBuffer expected = new UnsafeBuffer(new byte[expectedLength]);
                        FullDiskWriterMain.fillPayload(expected, epoch, expectedLength);
                        byte[] bytes = new byte[length];
                        buffer.getBytes(offset, bytes);
                        assertThat(bytes).as("%s: payload of epoch %d", context, epoch).isEqualTo(expected.byteArray());
                        epochs.add(epoch);
                    });
                    assertThat((long) epochs.size()).as(context).isBetween(committed, appended);
                    for (int i = 0; i < epochs.size(); i++) {
                        assertThat(epochs.get(i)).as(context).isEqualTo(i + 1);
                    }

                    // and the journal carries on
                    long last = journal.lastEpoch();
                    ChronicleJournalTest.append(journal, last + 1, "c", "after the disk was freed");
                    journal.commit();
                    assertThat(ChronicleJournalTest.replay(journal, last)).extracting(Replayed::payload)
                                                                          .containsExactly("after the disk was freed");
                }
                // and the full disk was found before the record that did not fit was begun
                assertThat(failure).as(context).contains("no disk space could be reserved for the record of the write at epoch " + (appended + 1))
                                   .contains("CAUSE java.io.IOException: No space left on device");
                BackgroundResourceReleaser.releasePendingResources();
            }
        }
    }

    @Test
    void shouldReleaseChroniclesWriteLockLeftTakenByAFailedWriteWhenClosing() {
        Path dir = TestDirs.fresh("lock-left");
        try (ChronicleJournal journal = ChronicleJournal.builder(dir).build()) {
            ChronicleJournalTest.append(journal, 1, "a", "v1");
            journal.commit();
            // What an Error inside Chronicle's writingDocument() leaves behind: a document begun and
            // never completed, and Chronicle's write lock taken by this process.
            try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.binary(dir).build()) {
                queue.createAppender().writingDocument().wire().bytes().write(new byte[] {1, 2, 3});
            }
            assertThatThrownBy(() -> journal.append(2, "a", failingPayload(new InternalError("simulated")), 0, 8))
                .isInstanceOf(JournalWriteFailedException.class);
        }

        // Chronicle would make the next writer in this process wait for the lock, then give up.
        long start = System.nanoTime();
        try (ChronicleJournal journal = ChronicleJournal.builder(dir).build()) {
            ChronicleJournalTest.append(journal, 2, "a", "v2");
            journal.commit();
            assertThat(ChronicleJournalTest.replay(journal, 0)).extracting(Replayed::payload).containsExactly("v1", "v2");
        }
        assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(5));
    }

    // ---- helpers --------------------------------------------------------------------------------

    private static final int PAYLOAD_LENGTH = 1000;

    /** A payload that differs for every epoch and in every 8 bytes, so a garbled one is noticed. */
    private static void fillPayload(UnsafeBuffer payload, long epoch) {
        for (int i = 0; i + Long.BYTES <= PAYLOAD_LENGTH; i += Long.BYTES) {
            payload.putLong(i, epoch * 1_000_003L + i);
        }
    }

    private static UnsafeBuffer failingPayload(Error fault) {
        return new UnsafeBuffer(new byte[16]) {
            @Override
            public void getBytes(int index, byte[] dst, int offset, int length) {
                throw fault;
            }
        };
    }

    private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, Path dir, Throwable firstFailure) {
        assertThatThrownBy(call).isInstanceOf(JournalWriteFailedException.class)
                                .hasCause(firstFailure)
                                .hasMessageContaining("journal " + dir + " refuses writes: an earlier write to it failed")
                                .hasMessageContaining("close it and open the directory again (recovery reads up to the last complete record)")
                                .hasMessageContaining("free space, permissions")
                                .satisfies(e -> assertThat(((JournalWriteFailedException) e).directory()).isEqualTo(dir));
    }

    private static Throwable catchFailure(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException | Error e) {
            return e;
        }
        throw new AssertionError("expected a failure");
    }

    /** Closes the journal's checkpoint hint file underneath it, so that its next write fails; the journal has begun writing. */
    private static void closeHintFileUnderneath(ChronicleJournal journal) throws ReflectiveOperationException {
        Field writeSide = ChronicleJournal.class.getDeclaredField("writeSide");
        writeSide.setAccessible(true);
        Object side = writeSide.get(journal);
        Method hint = side.getClass().getDeclaredMethod("hint");
        hint.setAccessible(true);
        ((CheckpointHint) hint.invoke(side)).close();
    }
}
