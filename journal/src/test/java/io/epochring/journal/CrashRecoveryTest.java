package io.epochring.journal;

import io.epochring.Journal.Checkpoint;
import io.epochring.RecoveryReport;
import io.epochring.WriteHandle;
import io.epochring.journal.support.ChildJvm;
import io.epochring.journal.support.CrashRecoveryMain;
import io.epochring.journal.support.CrashWriterMain;
import io.epochring.journal.support.FileFlusher;
import io.epochring.journal.support.PutCodec;
import io.epochring.journal.support.RecordingDelta;
import io.epochring.journal.support.RecordingDelta.Applied;
import io.epochring.journal.support.Rings;
import io.epochring.journal.support.TestDirs;
import io.epochring.journal.support.TornRecordMain;
import io.epochring.testing.Put;
import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.epochring.DurabilityLevel.APPLIED;
import static io.epochring.DurabilityLevel.DURABLE;
import static io.epochring.DurabilityLevel.JOURNALED;
import static io.epochring.DurabilityLevel.WRITTEN;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Crash recovery with real processes: a child JVM writes with JOURNALED acknowledgements
 * and is killed with SIGKILL at a random moment; a second child is killed in the middle of
 * recovering that journal; then this JVM recovers and checks every acknowledged write is there
 * exactly once. And a kill in the middle of one record's append leaves no trace of it.
 *
 * <p>Rounds: {@code -Depochring.crash.rounds} (5 by default, 100 with {@code -Pcrash}); a failing
 * round can be replayed with {@code -Depochring.crash.seed}.
 */
class CrashRecoveryTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String[] POLICIES = {"NONE", "PER_BATCH", "INTERVAL"};

    /** An acknowledged write as the child printed it. */
    record Ack(long epoch, String key, long value) {
    }

    /** What recovering a journal gives, read with the journal alone. */
    record Reference(Checkpoint checkpoint, List<Applied> replayed, long lastEpoch) {
    }

    @Test
    void shouldRecoverEveryJournaledWriteAfterKillNineAtRandomMoments() throws Exception {
        int rounds = Integer.getInteger("epochring.crash.rounds", 5);
        long seed = Long.getLong("epochring.crash.seed", System.nanoTime());
        Random random = new Random(seed);
        long acknowledged = 0;
        long replayed = 0;
        int killedMidRecovery = 0;
        for (int round = 1; round <= rounds; round++) {
            String context = "round " + round + " of " + rounds + " (seed " + seed + ")";
            long start = System.nanoTime();
            int[] counts = runRound(random, context);
            System.out.printf("crash round %d: %d acknowledged, %d replayed, %s, %d ms%n", round, counts[0], counts[1],
                              counts[2] == 1 ? "recovery killed half-way" : "no recovery to kill", (System.nanoTime() - start) / 1_000_000);
            acknowledged += counts[0];
            replayed += counts[1];
            killedMidRecovery += counts[2];
        }
        System.out.printf("crash test: %d rounds, %d acknowledged writes all recovered (%d by replay, the rest from storage),"
                          + " %d recoveries killed half-way, seed %d%n", rounds, acknowledged, replayed, killedMidRecovery, seed);
        assertThat(acknowledged).as("the children acknowledged writes").isGreaterThan(rounds);
    }

    @Test
    void shouldNeverReplayARecordTornByAKillInTheMiddleOfItsAppend() throws Exception {
        Path dir = TestDirs.fresh("torn");
        Path journalDir = dir.resolve("journal");
        // given a process killed while one record is half written
        try (ChildJvm writer = ChildJvm.start(TornRecordMain.class, dir.resolve("torn.log"), journalDir.toString())) {
            writer.awaitLine("TORN", WAIT);
            writer.kill();
        }

        // then the half record is not there, and the next writer goes on from the last whole one
        try (ChronicleJournal journal = ChronicleJournal.builder(journalDir).build()) {
            assertThat(ChronicleJournalTest.replay(journal, 0)).extracting(ChronicleJournalTest.Replayed::epoch)
                                                               .containsExactly(1L, 2L, 3L, 4L, 5L);
            assertThat(journal.lastEpoch()).isEqualTo(5);
            ChronicleJournalTest.append(journal, 6, "a", "whole");
            journal.commit();
        }
        try (ChronicleJournal journal = ChronicleJournal.builder(journalDir).build()) {
            List<ChronicleJournalTest.Replayed> replayed = ChronicleJournalTest.replay(journal, 0);
            assertThat(replayed).extracting(ChronicleJournalTest.Replayed::epoch).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
            assertThat(replayed.get(5).payload()).isEqualTo("whole");
        }
        try (JournalInspector inspector = JournalInspector.open(journalDir)) {
            assertThat(inspector.summary().writes()).isEqualTo(6);
        }
    }

    /**
     * Chronicle creates a cycle file at its full size and then writes its header: a writer killed in
     * between leaves a newest file of zeros, or one whose header word is still marked incomplete.
     * Chronicle's writer waits for that header (10 s) holding its write lock, in each new appender,
     * so the second of the journal's appending threads timed out on a lock "held by current
     * process", and the first write failed inside Chronicle.
     */
    @ParameterizedTest
    @CsvSource({"0, false", "-2147483648, false", "-2147483648, true"}) // 0x8000_0000: the header word marked incomplete
    void shouldWriteFromTwoThreadsAtOnceAfterAWriterWasKilledCreatingACycleFile(int headerWord, boolean headerBytes) throws Exception {
        Path dir = TestDirs.fresh("unfinished-file");
        SetTimeProvider time = new SetTimeProvider(TimeUnit.SECONDS.toNanos(1_700_000_000L));
        try (ChronicleJournal journal = ChronicleJournal.builder(dir).rollCycle(TestRollCycles.TEST_SECONDLY).timeProvider(time).build()) {
            ChronicleJournalTest.append(journal, 1, "a", "v1");
            journal.commit();
            journal.checkpoint(1, 1);
        }
        // given the next second's file as a writer killed while creating it leaves it
        String name = DateTimeFormatter.ofPattern(TestRollCycles.TEST_SECONDLY.format()).withZone(ZoneOffset.UTC)
                                       .format(Instant.ofEpochSecond(1_700_000_001L)) + ".cq4";
        Path unfinished = dir.resolve(name);
        ByteBuffer header = ByteBuffer.allocate(256 << 10).order(ByteOrder.LITTLE_ENDIAN).putInt(0, headerWord);
        if (headerBytes) {
            header.put(4, "header: !SCQStore {".getBytes(StandardCharsets.US_ASCII)); // killed half-way through the header
        }
        Files.write(unfinished, header.array());

        // when a journal opened later writes and checkpoints from two threads at once, as a coordinator's
        // journal and flush threads do
        time.advanceMillis(3_000);
        try (ChronicleJournal journal = ChronicleJournal.builder(dir).rollCycle(TestRollCycles.TEST_SECONDLY).timeProvider(time).build()) {
            assertThat(journal.lastEpoch()).isEqualTo(1);
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService threads = Executors.newFixedThreadPool(2);
            try {
                long start = System.nanoTime();
                Future<?> write = threads.submit(() -> {
                    go.await();
                    ChronicleJournalTest.append(journal, 2, "a", "v2");
                    journal.commit();
                    return null;
                });
                Future<?> checkpoint = threads.submit(() -> {
                    go.await();
                    journal.checkpoint(1, 1);
                    return null;
                });
                go.countDown();
                write.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                checkpoint.get(WAIT.toSeconds(), TimeUnit.SECONDS);

                // then neither waited for the header that never comes: the file is gone, and both records are there
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            } finally {
                threads.shutdownNow();
            }
            assertThat(unfinished).doesNotExist();
            Path aside = dir.resolve(name + ChronicleJournal.SET_ASIDE_SUFFIX);
            if (headerBytes) {
                assertThat(aside).as("a file that is not all zeros is kept beside the journal").exists();
            } else {
                assertThat(aside).as("a file of zeros is deleted").doesNotExist();
            }
        }
        try (ChronicleJournal journal = ChronicleJournal.builder(dir).build()) {
            assertThat(ChronicleJournalTest.replay(journal, 0)).extracting(ChronicleJournalTest.Replayed::payload).containsExactly("v1", "v2");
            assertThat(journal.lastCheckpoint().durableEpoch()).isEqualTo(1);
        }
    }

    /**
     * Retention deletes a file and then updates Chronicle's listing of the directory (its lowest and
     * highest cycle, in {@code metadata.cq4t}): a writer killed in between leaves a listing that names
     * a file no longer there. A read-only queue never refreshes its listing, so recovery, which reads
     * through one, must not take the listing's word for which files exist.
     */
    @Test
    void shouldRecoverWhenAWriterWasKilledBetweenRetentionDeletingAFileAndUpdatingChroniclesListing() throws Exception {
        Path dir = TestDirs.fresh("stale-listing");
        SetTimeProvider time = new SetTimeProvider(TimeUnit.SECONDS.toNanos(1_700_000_000L));
        String oldest;
        try (ChronicleJournal journal = ChronicleJournal.builder(dir).rollCycle(TestRollCycles.TEST_SECONDLY).timeProvider(time).build()) {
            ChronicleJournalTest.append(journal, 1, "a", "v1");
            ChronicleJournalTest.append(journal, 2, "a", "v2");
            journal.commit();
            time.advanceMillis(1_000);
            ChronicleJournalTest.append(journal, 3, "a", "v3");
            journal.commit();
            journal.checkpoint(2, 2);
            time.advanceMillis(1_000);
            ChronicleJournalTest.append(journal, 4, "a", "v4");
            journal.commit();
            oldest = TestDirs.queueFiles(dir).get(0);
        }
        // given the oldest file (epochs 1 and 2, below the checkpoint) deleted and the listing not updated
        Files.delete(dir.resolve(oldest));

        // then a journal opened on it replays what is above the checkpoint, and goes on writing
        try (ChronicleJournal journal = ChronicleJournal.builder(dir).rollCycle(TestRollCycles.TEST_SECONDLY).timeProvider(time).build()) {
            assertThat(ChronicleJournalTest.replay(journal, 2)).extracting(ChronicleJournalTest.Replayed::payload).containsExactly("v3", "v4");
            ChronicleJournalTest.append(journal, 5, "a", "v5");
            journal.commit();
        }
        try (ChronicleJournal journal = ChronicleJournal.builder(dir).build()) {
            assertThat(ChronicleJournalTest.replay(journal, 2)).extracting(ChronicleJournalTest.Replayed::payload)
                    .containsExactly("v3", "v4", "v5");
        }
    }

    /** @return {acknowledged writes, writes recovered by replay, 1 if a recovery was killed half-way} */
    private int[] runRound(Random random, String context) throws Exception {
        Path dir = TestDirs.fresh("crash");
        Path journalDir = dir.resolve("journal");
        Path storage = dir.resolve("storage.txt");
        String policy = POLICIES[random.nextInt(POLICIES.length)];
        context += ", sync " + policy + ", " + dir;

        // given a writer killed at a random moment
        List<Ack> acks = new ArrayList<>();
        try (ChildJvm writer = ChildJvm.start(CrashWriterMain.class, dir.resolve("writer.log"), journalDir.toString(),
                                              storage.toString(), policy, String.valueOf(1 + random.nextInt(4)))) {
            writer.awaitLine("STARTED", WAIT);
            parse(writer.awaitLine("ACK", WAIT), acks); // then kill at a random moment of the steady state
            long deadline = System.nanoTime() + Duration.ofMillis(100 + random.nextInt(1400)).toNanos();
            for (long left; (left = deadline - System.nanoTime()) > 0; ) {
                String line = writer.nextLine(Duration.ofNanos(left));
                if (line != null) {
                    parse(line, acks);
                } else if (!writer.isAlive()) {
                    throw new AssertionError(context + ": the writer ended by itself; see " + writer.log());
                }
            }
            writer.kill();
            for (String line : writer.remainingLines()) { // printed before the kill: acknowledged too
                parse(line, acks);
            }
        }
        assertThat(acks).as(context + ": acknowledgements before the kill").isNotEmpty();

        // then a reader finds the journal intact, and recovery gives a definite state
        try (JournalInspector inspector = JournalInspector.open(journalDir)) {
            inspector.summary();
        }
        Reference reference = recoverWithJournalOnly(journalDir);

        // given a second process killed in the middle of recovering it
        int killedMidRecovery = 0;
        if (reference.replayed().size() > 1) {
            long holdAt = 1 + random.nextInt(reference.replayed().size() - 1);
            try (ChildJvm recovering = ChildJvm.start(CrashRecoveryMain.class, dir.resolve("recovery.log"), journalDir.toString(),
                                                      storage.toString(), String.valueOf(holdAt))) {
                recovering.awaitLine("HELD", WAIT);
                recovering.kill();
                killedMidRecovery = 1;
            }
        }

        // when this process recovers
        FileFlusher.Stored stored = FileFlusher.load(storage);
        RecordingDelta delta = new RecordingDelta();
        var ring = Rings.start(delta, new FileFlusher(storage), ChronicleJournal.builder(journalDir).build());
        try {
            RecoveryReport report = ring.recovery();
            long durable = report.checkpoint().durableEpoch();
            long last = report.lastEpoch();

            // then recovery is the same as before the half-way recovery
            assertThat(report.checkpoint()).as(context).isEqualTo(reference.checkpoint());
            assertThat(last).as(context).isEqualTo(reference.lastEpoch());
            assertThat(delta.applied()).as(context).isEqualTo(reference.replayed());
            // and it replayed each epoch above the checkpoint once, contiguously, up to the last journaled
            assertThat(delta.applied()).extracting(Applied::epoch).as(context).containsExactlyElementsOf(range(durable + 1, last));
            assertThat(stored.lastEpoch()).as(context + ": storage covers the checkpoint").isGreaterThanOrEqualTo(durable);

            // and every acknowledged write is there, at its epoch, exactly once
            Map<Long, Put> byEpoch = new java.util.HashMap<>();
            delta.applied().forEach(a -> byEpoch.put(a.epoch(), a.put()));
            Set<Long> epochs = new HashSet<>();
            for (Ack ack : acks) {
                assertThat(epochs.add(ack.epoch())).as(context + ": epoch %d acknowledged twice", ack.epoch()).isTrue();
                assertThat(ack.epoch()).as(context + ": acknowledged epoch beyond the journal").isLessThanOrEqualTo(last);
                if (ack.epoch() > durable) {
                    assertThat(byEpoch.get(ack.epoch())).as(context + ": replayed write at epoch %d", ack.epoch())
                                                        .isEqualTo(new Put(ack.key(), ack.value()));
                } else {
                    assertThat(stored.data()).as(context + ": stored write at epoch %d", ack.epoch())
                                             .containsEntry(ack.key(), ack.value());
                }
            }
            assertThat(ring.watermark(APPLIED)).as(context).isEqualTo(last);
            assertThat(ring.watermark(JOURNALED)).as(context).isEqualTo(last);
            assertThat(ring.watermark(WRITTEN)).as(context).isEqualTo(durable);
            assertThat(ring.watermark(DURABLE)).as(context).isEqualTo(durable);

            // and epochs go on from the last journaled one
            WriteHandle<Long> next = ring.channel("a").write(new Put("after-recovery", -1));
            next.await(JOURNALED, WAIT);
            assertThat(next.epoch()).as(context).isEqualTo(last + 1);
            ring.flush(true).await(DURABLE, WAIT);
        } finally {
            ring.stop();
        }
        TestDirs.deleteRecursively(dir);
        return new int[] {acks.size(), reference.replayed().size(), killedMidRecovery};
    }

    /** Recovery as the engine does it, but into a list and without starting a coordinator (nothing is written). */
    private static Reference recoverWithJournalOnly(Path journalDir) {
        PutCodec codec = new PutCodec();
        try (ChronicleJournal journal = ChronicleJournal.builder(journalDir).build()) {
            Checkpoint checkpoint = journal.lastCheckpoint();
            List<Applied> replayed = new ArrayList<>();
            journal.replay(checkpoint.durableEpoch(),
                           (epoch, channel, payload, offset, length) -> replayed.add(new Applied(epoch, codec.decode(payload, offset, length))));
            return new Reference(checkpoint, replayed, journal.lastEpoch());
        }
    }

    private static void parse(String line, List<Ack> acks) {
        String[] parts = line.split(" ");
        // The kill may cut the last line short: only a whole line is an acknowledgement.
        if (parts.length == 4 && parts[0].equals("ACK") && parts[3].matches("-?\\d+")) {
            acks.add(new Ack(Long.parseLong(parts[1]), parts[2], Long.parseLong(parts[3])));
        }
    }

    private static List<Long> range(long first, long last) {
        List<Long> epochs = new ArrayList<>();
        for (long e = first; e <= last; e++) {
            epochs.add(e);
        }
        return epochs;
    }
}
