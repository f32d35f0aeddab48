package io.epochring.journal;

import io.epochring.AwaitTimeoutException;
import io.epochring.EpochRange;
import io.epochring.EpochRing;
import io.epochring.Journal.Checkpoint;
import io.epochring.RecoveryReport;
import io.epochring.RecoveryReport.TargetPosition;
import io.epochring.ThreadingMode;
import io.epochring.WriteHandle;
import io.epochring.journal.support.ChildJvm;
import io.epochring.journal.support.CountingDelta;
import io.epochring.journal.support.CountingRings;
import io.epochring.journal.support.CountingRings.Setup;
import io.epochring.journal.support.CountingRings.Targets;
import io.epochring.journal.support.CountingStore;
import io.epochring.journal.support.CountingStore.Stored;
import io.epochring.journal.support.ExactlyOnceRecoveryMain;
import io.epochring.journal.support.ExactlyOnceWriterMain;
import io.epochring.journal.support.Increment;
import io.epochring.journal.support.JournalContents;
import io.epochring.journal.support.JournalContents.Record;
import io.epochring.journal.support.KillPoints;
import io.epochring.journal.support.TestDirs;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

import static io.epochring.DurabilityLevel.DURABLE;
import static io.epochring.DurabilityLevel.JOURNALED;
import static io.epochring.journal.support.CountingRings.CHANNELS;
import static io.epochring.journal.support.CountingRings.channel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The recovery contract with non-idempotent state, with real processes: producers in a child JVM
 * add 1 to their own key; the delta sums increments, and storage, a required sink and an optional
 * sink each add the sums they receive to their totals, persisting totals, the epoch ranges they
 * received and their position in one atomic rename, and reporting that position at start. A
 * write handed to a target twice is counted twice, so after a {@code kill -9} aimed at a phase
 * (inside a ring batch, a flush, between flush and sync, between sync and checkpoint, a sink's
 * delivery, or the replay of a later recovery) and recovery in this JVM, each target must have
 * received every journaled epoch exactly once, and every acknowledged write must be counted once.
 *
 * <p>Rounds: {@code -Depochring.exactlyonce.rounds} (4 by default, 200 with {@code -Pcrash}); each
 * round's set-up and kill points follow from {@code -Depochring.crash.seed} and the round number,
 * and {@code -Depochring.exactlyonce.only=N} runs round N alone.
 */
class ExactlyOnceCrashTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final List<String> WRITER_POINTS = List.of(
        "apply", "flush-before-rename", "flush-after-rename", "sync-begin", "sync-end",
        "sink-required-before-rename", "sink-required-after-rename", "sink-optional-before-rename", "sink-optional-after-rename");
    /** A writer killed at a random point, then a recovering process killed while it applies replayed writes. */
    private static final String RECOVERY = "recovery-apply";
    private static final String[] POLICIES = {"NONE", "PER_BATCH", "INTERVAL"};
    private static final String HUNG = "did not end within";
    /** Uncaught throws of this JVM's threads during the current round: a coordinator thread that dies wedges it. */
    private static final Queue<String> DIED = new ConcurrentLinkedQueue<>();

    /** An accepted write the child acknowledged as JOURNALED. */
    record Ack(long epoch, String key, long seq) {
    }

    /** What the in-process recovery saw. */
    record Recovery(RecoveryReport report, CountingDelta delta) {
    }

    /** Lines the children of one round printed. */
    static final class Printed {
        final List<Ack> acks = new ArrayList<>();
        final List<String> died = new ArrayList<>();
        long maxDurable;
        String passed;

        void parse(String line) {
            String[] parts = line.split(" ");
            // The kill may cut the last line short: only a whole line counts.
            if (parts.length == 4 && parts[0].equals("ACK") && parts[3].matches("\\d+")) {
                acks.add(new Ack(Long.parseLong(parts[1]), parts[2], Long.parseLong(parts[3])));
            } else if (parts.length == 2 && parts[0].equals("DURABLE") && parts[1].matches("\\d+")) {
                maxDurable = Math.max(maxDurable, Long.parseLong(parts[1]));
            } else if (parts.length == 2 && parts[0].equals("PASSED")) {
                passed = parts[1];
            } else if (parts[0].equals("DIED")) {
                died.add(line.substring("DIED ".length()));
            }
        }

        /** @throws AssertionError when a thread of the child died of an uncaught throw */
        void requireNoDeath(String where, ChildJvm child) {
            if (!died.isEmpty()) {
                throw new AssertionError(where + ": a thread of the child died: " + died + "; see " + child.log());
            }
        }

        long acked(String key) {
            return acks.stream().filter(a -> a.key().equals(key)).count();
        }
    }

    @Test
    void shouldCountEveryJournaledIncrementExactlyOnceInStorageAndEverySinkAfterKillNine() throws Exception {
        int rounds = Integer.getInteger("epochring.exactlyonce.rounds", 4);
        int only = Integer.getInteger("epochring.exactlyonce.only", 0);
        long seed = Long.getLong("epochring.crash.seed", System.nanoTime());
        List<String> phases = new ArrayList<>(WRITER_POINTS);
        phases.add(RECOVERY);
        Collections.shuffle(phases, new Random(seed)); // every phase once in each run of phases.size() rounds
        System.out.printf("exactly-once crash test: %d rounds, seed %d%n", rounds, seed);
        Map<String, Integer> perPhase = new TreeMap<>();
        List<String> failed = new ArrayList<>();
        AssertionError first = null;
        Thread.UncaughtExceptionHandler previous = recordDeaths();
        try {
            for (int round = 1; round <= rounds; round++) {
                if (only != 0 && round != only) {
                    continue;
                }
                String phase = phases.get((round - 1) % phases.size());
                String context = "round " + round + " of " + rounds + " (seed " + seed + ", replay with -Depochring.crash.seed=" + seed
                                 + " -Depochring.exactlyonce.rounds=" + rounds + " -Depochring.exactlyonce.only=" + round + ")";
                long start = System.nanoTime();
                String summary;
                boolean hung = false;
                try {
                    summary = runRound(new Random(seed * 1_000_003 + round), phase, context);
                } catch (AssertionError e) {
                    // Rounds are independent (a fresh directory each): go on, so one run shows every phase that fails.
                    first = first == null ? e : first;
                    failed.add("round " + round + " (" + phase + ")");
                    summary = "FAILED " + e.getMessage();
                    hung = e.getMessage() != null && e.getMessage().contains(HUNG);
                }
                System.out.printf("exactly-once round %d/%d (seed %d): %s; %d ms%n", round, rounds, seed, summary,
                                  (System.nanoTime() - start) / 1_000_000);
                perPhase.merge(phase, 1, Integer::sum);
                if (hung) {
                    break; // the hung coordinator's threads still run: later rounds would measure nothing
                }
            }
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(previous);
        }
        System.out.printf("exactly-once crash test: rounds per phase %s, %d failed %s, seed %d%n", perPhase, failed.size(), failed, seed);
        if (first != null) {
            throw new AssertionError(failed.size() + " round(s) failed: " + failed + " (seed " + seed + "); the first: " + first.getMessage(),
                                     first);
        }
    }

    private String runRound(Random random, String phase, String context) throws Exception {
        Path dir = TestDirs.fresh("exactly-once");
        Setup setup = randomSetup(random);
        String where = context + ", phase " + phase + ", " + setup + ", " + dir;
        Printed printed = new Printed();
        List<String> kills = new ArrayList<>();

        // given one or two writers, each killed at a phase; the last one at this round's phase
        int writers = phase.equals(RECOVERY) || random.nextInt(10) >= 3 ? 1 : 2;
        JournalContents journal = null;
        for (int w = 1; w <= writers; w++) {
            String point = w == writers && !phase.equals(RECOVERY) ? phase : WRITER_POINTS.get(random.nextInt(WRITER_POINTS.size()));
            kills.add(killWriter(dir, setup, w, point, random, journal, printed, where));
            journal = readJournal(dir, where);
            checkAfterKill(dir, journal, printed, where + ", after writer " + w + " was killed");
        }
        // and maybe a recovering process killed while it applies replayed writes
        if (phase.equals(RECOVERY)) {
            kills.add(killRecovery(dir, setup, random, journal, where));
            journal = readJournal(dir, where);
            checkAfterKill(dir, journal, printed, where + ", after the recovering process was killed");
        }
        Stored storage = CountingStore.load(CountingRings.storageFile(dir));
        Stored required = CountingStore.load(CountingRings.sinkFile(dir, "required"));
        Stored optional = CountingStore.load(CountingRings.sinkFile(dir, "optional"));
        JournalContents before = journal;
        long last = before.records().size();
        String positions = String.format("journal last %d, checkpoint %d, storage %d, required %d, optional %d", last,
                                         journal.checkpoint().durableEpoch(), storage.position(), required.position(), optional.position());
        where += ", before recovery " + positions;

        // when this process recovers, writes once more, flushes with a sync and stops
        String recovering = where;
        DIED.clear();
        Recovery recovery = within(WAIT.multipliedBy(3), where, () -> recover(dir, setup, before, recovering));
        assertThat(DIED).as(where + ": threads that died while this process recovered").isEmpty();

        // and after a clean stop every target received every epoch exactly once: totals count each accepted write once
        JournalContents after = readJournal(dir, where);
        String end = where + ", after recovery and stop";
        checkJournal(after, printed, end);
        assertThat(after.records()).as(end + ": journaled writes").hasSize((int) last + 1);
        assertThat(after.checkpoint().durableEpoch()).as(end + ": the checkpoint covers every write").isEqualTo(last + 1);
        for (String target : List.of("storage", "required", "optional")) {
            Stored stored = CountingStore.load(target.equals("storage") ? CountingRings.storageFile(dir) : CountingRings.sinkFile(dir, target));
            checkTarget(target, stored, after, end);
            assertThat(stored.position()).as(end + ": " + target + "'s position").isEqualTo(last + 1);
            for (int c = 0; c < CHANNELS; c++) {
                assertThat(stored.total(channel(c))).as(end + ": %s's total of %s against its acknowledged writes", target, channel(c))
                                                    .isGreaterThanOrEqualTo(printed.acked(channel(c)));
            }
        }
        // and the recovery report named where each target stood
        checkReport(recovery, before, storage, required, optional, where);
        TestDirs.deleteRecursively(dir);

        RecoveryReport report = recovery.report();
        long refused = journal.records().stream().filter(r -> r.rejected() || r.write().amount() > CountingDelta.LIMIT).count();
        return String.format("phase %s; killed %s; before recovery %s; recovery replayed %d, skipped %d rejected; acknowledged %d of %d"
                             + " journaled writes (%d refused), DURABLE seen %d; %s", phase, String.join(", then ", kills), positions,
                             report.replayed(), report.rejected(), printed.acks.size(), last, refused, printed.maxDurable, setup);
    }

    /**
     * Recovers in this JVM, writes once more (its epoch must follow the last journaled one), flushes
     * with a sync and stops.
     *
     * @return the recovery report and the recovered delta, for {@link #checkReport}
     */
    private static Recovery recover(Path dir, Setup setup, JournalContents journal, String where) {
        long last = journal.records().size();
        CountingDelta delta = new CountingDelta(KillPoints.none());
        EpochRing<Increment, Long, Map<String, Long>, Map<String, Long>> ring =
            CountingRings.builder(setup, delta, Targets.open(dir, KillPoints.none(), 0), CountingRings.journal(setup, dir)).build().start();
        RecoveryReport report = ring.recovery();
        Throwable failure = null;
        try {
            // epochs go on from the last journaled one
            String key = null;
            for (int c = 0; c < CHANNELS && key == null; c++) {
                key = ExactlyOnceWriterMain.refused(journal.channel(channel(c)).size()) ? null : channel(c);
            }
            assertThat(key).as(where + ": a channel whose next write is accepted").isNotNull();
            WriteHandle<Long> next = ring.channel(key).write(ExactlyOnceWriterMain.write(key, journal.channel(key).size()));
            next.await(JOURNALED, WAIT);
            assertThat(next.epoch()).as(where + ": the first write after recovery").isEqualTo(last + 1);
            awaitDurable(ring.flush(true), where);
        } catch (RuntimeException | Error e) {
            failure = e;
            throw e;
        } finally {
            try {
                // stop(Duration) returns even when the coordinator is wedged, so later rounds still run
                ring.stop(DIED.isEmpty() ? WAIT : Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                if (failure == null) {
                    throw e;
                }
                if (e != failure) { // stop() reports the same fault the failed wait threw
                    failure.addSuppressed(e);
                }
            }
        }
        return new Recovery(report, delta);
    }

    /**
     * The report names where each target stood (recovery replayed from the lowest of them), and
     * no write the journal records as rejected was applied again.
     */
    private static void checkReport(Recovery recovery, JournalContents journal, Stored storage, Stored required, Stored optional,
                                    String where) {
        RecoveryReport report = recovery.report();
        long last = journal.records().size();
        long lowest = Math.min(storage.position(), Math.min(required.position(), optional.position()));
        assertThat(report.checkpoint()).as(where + ": the checkpoint recovery started from").isEqualTo(journal.checkpoint());
        assertThat(report.lastEpoch()).as(where + ": the last journaled epoch").isEqualTo(last);
        assertThat(report.storage()).as(where + ": storage's position").isEqualTo(new TargetPosition("storage", storage.position(), true));
        assertThat(report.sinks()).as(where + ": the sinks' positions, in configuration order")
                                  .extracting(TargetPosition::epoch, TargetPosition::reported)
                                  .containsExactly(tuple(required.position(), true), tuple(optional.position(), true));
        assertThat(report.sinks().get(0).target()).as(where + ": the first sink's name").contains("required");
        assertThat(report.sinks().get(1).target()).as(where + ": the second sink's name").contains("optional");
        assertThat(report.replayed()).as(where + ": writes replayed above the lowest position").isEqualTo(journal.writesAbove(lowest));
        assertThat(report.rejected()).as(where + ": rejected writes skipped above the lowest position").isEqualTo(journal.rejectedAbove(lowest));
        for (Record record : journal.records()) {
            if (record.rejected()) {
                assertThat(recovery.delta().applyCalled(record.epoch()))
                    .as(where + ": epoch %d was rejected when first written, yet recovery applied it again", record.epoch()).isFalse();
            }
        }
    }

    /** Waits for DURABLE, but fails at once when a thread died meanwhile: its coordinator may never get there. */
    private static void awaitDurable(WriteHandle<?> handle, String where) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            try {
                handle.await(DURABLE, Duration.ofMillis(200));
                return;
            } catch (AwaitTimeoutException e) {
                if (!DIED.isEmpty() || System.nanoTime() - deadline > 0) {
                    throw new AssertionError(where + ": flush(true) did not reach DURABLE" + died(), e);
                }
            }
        }
    }

    /** @return how the kill went, for the round's line */
    private String killWriter(Path dir, Setup setup, int writer, String point, Random random, JournalContents journal,
                              Printed printed, String where) throws Exception {
        long occurrence = point.equals("apply") ? 500 + random.nextInt(20_000) : 1 + random.nextInt(point.startsWith("sync") ? 8 : 20);
        long extraMillis = random.nextBoolean() ? 0 : 1 + random.nextInt(20);
        List<String> firstSeqs = new ArrayList<>();
        for (int c = 0; c < CHANNELS; c++) {
            firstSeqs.add(String.valueOf(journal == null ? 0 : journal.channel(channel(c)).size()));
        }
        printed.passed = null;
        try (ChildJvm child = ChildJvm.start(ExactlyOnceWriterMain.class, dir.resolve("writer-" + writer + ".log"), dir.toString(),
                                             setup.toString(), point, String.valueOf(occurrence), String.join(",", firstSeqs))) {
            String marker = "PHASE " + point;
            readUntil(child, marker::equals, printed, where + ", writer " + writer);
            readFor(child, Duration.ofMillis(extraMillis), printed, where + ", writer " + writer);
            child.kill();
            for (String line : child.remainingLines()) { // printed before the kill: acknowledged too
                printed.parse(line);
            }
            printed.requireNoDeath(where + ", writer " + writer, child);
        }
        return String.format("writer %d at %s #%d +%d ms (%s)", writer, point, occurrence, extraMillis,
                             point.equals(printed.passed) ? "after its pause" : "inside its pause");
    }

    private String killRecovery(Path dir, Setup setup, Random random, JournalContents journal, String where) throws Exception {
        long lowest = Math.min(CountingStore.load(CountingRings.storageFile(dir)).position(),
                               Math.min(CountingStore.load(CountingRings.sinkFile(dir, "required")).position(),
                                        CountingStore.load(CountingRings.sinkFile(dir, "optional")).position()));
        long replays = journal.writesAbove(lowest);
        long holdAt = 1 + (long) (random.nextDouble() * Math.max(1, replays));
        try (ChildJvm child = ChildJvm.start(ExactlyOnceRecoveryMain.class, dir.resolve("recovery.log"), dir.toString(), setup.toString(),
                                             String.valueOf(holdAt))) {
            String line = readUntil(child, l -> l.startsWith("HELD") || l.startsWith("RECOVERED"), new Printed(), where + ", recovery");
            child.kill();
            return String.format("recovery at apply %d of %d (%s)", holdAt, replays, line.startsWith("HELD") ? "held there" : "it ended first");
        }
    }

    /**
     * What must hold right after a kill, before anything recovers: the journal is whole and in
     * order, every acknowledged write is in it, no DURABLE was reported beyond the newest
     * checkpoint, storage and the required sink hold at least that checkpoint, and each target
     * received every epoch up to its position exactly once.
     */
    private static void checkAfterKill(Path dir, JournalContents journal, Printed printed, String where) {
        checkJournal(journal, printed, where);
        Checkpoint checkpoint = journal.checkpoint();
        assertThat(printed.maxDurable).as(where + ": DURABLE the child reported against the newest checkpoint " + checkpoint)
                                      .isLessThanOrEqualTo(checkpoint.durableEpoch());
        Stored storage = CountingStore.load(CountingRings.storageFile(dir));
        Stored required = CountingStore.load(CountingRings.sinkFile(dir, "required"));
        assertThat(storage.position()).as(where + ": storage's position against the checkpoint " + checkpoint)
                                      .isGreaterThanOrEqualTo(checkpoint.durableEpoch());
        assertThat(required.position()).as(where + ": the required sink's position against the checkpoint " + checkpoint)
                                       .isGreaterThanOrEqualTo(checkpoint.durableEpoch());
        checkTarget("storage", storage, journal, where);
        checkTarget("required", required, journal, where);
        checkTarget("optional", CountingStore.load(CountingRings.sinkFile(dir, "optional")), journal, where);
    }

    /** Each channel's records are its producer's writes 0, 1, 2, ... in order; each acknowledgement names its record. */
    private static void checkJournal(JournalContents journal, Printed printed, String where) {
        assertThat(journal.lastEpoch()).as(where + ": the journal's last epoch is its last write record").isEqualTo(journal.records().size());
        for (int c = 0; c < CHANNELS; c++) {
            List<Record> records = journal.channel(channel(c));
            for (int seq = 0; seq < records.size(); seq++) {
                Record record = records.get(seq);
                if (record.rejected()) {
                    assertThat(ExactlyOnceWriterMain.refused(seq))
                        .as(where + ": epoch %d is recorded as rejected, but it is write %d of %s, which the delta accepts", record.epoch(), seq,
                            channel(c)).isTrue();
                } else {
                    assertThat(record.write()).as(where + ": the journal holds %s's writes in order (epoch %d)", channel(c), record.epoch())
                                              .isEqualTo(ExactlyOnceWriterMain.write(channel(c), seq));
                }
            }
        }
        for (Ack ack : printed.acks) {
            Record record = journal.at(ack.epoch());
            assertThat(record).as(where + ": acknowledged epoch %d is in the journal", ack.epoch()).isNotNull();
            assertThat(record.write()).as(where + ": the record at acknowledged epoch %d", ack.epoch())
                                      .isEqualTo(ExactlyOnceWriterMain.write(ack.key(), ack.seq()));
        }
    }

    /**
     * The target's ranges run contiguously from epoch 1 to its position (each epoch received
     * exactly once), its position is journaled, and each key's total is the sum of the accepted
     * increments the journal holds up to that position.
     */
    private static void checkTarget(String target, Stored stored, JournalContents journal, String where) {
        long next = 1;
        List<EpochRange> ranges = stored.ranges();
        for (int i = 0; i < ranges.size(); i++) {
            EpochRange range = ranges.get(i);
            assertThat(range.first()).as(where + ": %s received %s after epochs 1..%d (every epoch exactly once, in order); its ranges"
                                         + " %d to %d of %d: %s", target, range, next - 1, Math.max(0, i - 3), i, ranges.size(),
                                         ranges.subList(Math.max(0, i - 3), Math.min(ranges.size(), i + 2))).isEqualTo(next);
            next = range.last() + 1;
        }
        assertThat(stored.position()).as(where + ": %s's position is the end of its last range", target).isEqualTo(next - 1);
        assertThat(stored.position()).as(where + ": %s's position is journaled", target).isLessThanOrEqualTo(journal.records().size());
        for (String key : stored.totals().keySet()) {
            assertThat(key).as(where + ": %s's keys", target).matches("t[0-" + (CHANNELS - 1) + "]");
        }
        for (int c = 0; c < CHANNELS; c++) {
            long expected = journal.acceptedTotal(channel(c), stored.position());
            assertThat(stored.total(channel(c))).as(where + ": %s's total of %s, against the %d accepted increments journaled up to its position %d"
                                                    + " (more: counted twice; fewer: lost)", target, channel(c), expected, stored.position())
                                                .isEqualTo(expected);
        }
    }

    /**
     * Runs {@code work} on a thread of its own and waits at most {@code timeout}: the last guard,
     * should recovery or {@code stop(Duration)} itself hang, so a wedged coordinator fails the round
     * instead of the build. On a timeout the failure names the seed and shows where the
     * coordinator's threads stood; anything {@code work} throws comes back as an assertion that
     * names the round.
     */
    private static <T> T within(Duration timeout, String where, Callable<T> work) throws InterruptedException {
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "exactly-once-recovery");
            thread.setDaemon(true);
            return thread;
        });
        try {
            return executor.submit(work).get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AssertionError error) {
                if (!DIED.isEmpty()) {
                    error.addSuppressed(new AssertionError(died()));
                }
                throw error;
            }
            throw new AssertionError(where + ": " + e.getCause() + died(), e.getCause());
        } catch (TimeoutException e) {
            StringBuilder threads = new StringBuilder();
            Thread.getAllStackTraces().forEach((thread, stack) -> {
                if (thread.getName().startsWith("epochring-") || thread.getName().equals("exactly-once-recovery")) {
                    threads.append("\n  ").append(thread.getName()).append(' ').append(thread.getState());
                    for (int i = 0; i < Math.min(8, stack.length); i++) {
                        threads.append("\n      at ").append(stack[i]);
                    }
                }
            });
            throw new AssertionError(where + ": recovery, one write, flush(true) and stop() " + HUNG + " " + timeout
                                     + "; the coordinator's threads:" + threads + died());
        } finally {
            executor.shutdownNow();
        }
    }

    /** Records (and prints, as the JVM would) every thread that dies of an uncaught throw; @return the handler it replaced */
    private static Thread.UncaughtExceptionHandler recordDeaths() {
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> {
            StringBuilder death = new StringBuilder(thread.getName()).append(" died of ").append(e);
            for (StackTraceElement frame : e.getStackTrace()) {
                death.append("\n      at ").append(frame);
            }
            DIED.add(death.toString());
            System.err.println("Exception in thread \"" + thread.getName() + "\" " + death);
        });
        return previous;
    }

    private static String died() {
        return DIED.isEmpty() ? "" : "; threads that died: " + String.join("; ", DIED);
    }

    private static JournalContents readJournal(Path dir, String where) {
        try {
            return JournalContents.read(CountingRings.journalDir(dir));
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError(where + ": reading the journal: " + e, e);
        }
    }

    /** @return the first line matching {@code wanted}, having parsed every line up to it */
    private static String readUntil(ChildJvm child, Predicate<String> wanted, Printed printed, String where) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            String line = left <= 0 ? null : child.nextLine(Duration.ofNanos(left));
            if (line == null) {
                throw new AssertionError(where + ": the child did not reach its kill point within " + WAIT + " (alive: " + child.isAlive()
                                         + "); see " + child.log());
            }
            printed.parse(line);
            printed.requireNoDeath(where, child);
            if (wanted.test(line)) {
                return line;
            }
        }
    }

    /** Parses the child's lines for {@code duration}: the extra delay before a kill. */
    private static void readFor(ChildJvm child, Duration duration, Printed printed, String where) throws InterruptedException {
        long deadline = System.nanoTime() + duration.toNanos();
        for (long left; (left = deadline - System.nanoTime()) > 0; ) {
            String line = child.nextLine(Duration.ofNanos(left));
            if (line != null) {
                printed.parse(line);
                printed.requireNoDeath(where, child);
            } else if (!child.isAlive()) {
                throw new AssertionError(where + ": the child ended by itself; see " + child.log());
            }
        }
    }

    private static Setup randomSetup(Random random) {
        return new Setup(POLICIES[random.nextInt(POLICIES.length)], random.nextInt(4) == 0,
                         random.nextInt(3) == 0 ? ThreadingMode.THREAD_PER_STAGE : ThreadingMode.SINGLE_THREAD,
                         new int[] {5, 10, 20, 50}[random.nextInt(4)], random.nextBoolean(), 20 + random.nextInt(80),
                         new int[] {0, 1, 5}[random.nextInt(3)], new int[] {0, 0, 500, 2000}[random.nextInt(4)], 1 + random.nextInt(CHANNELS));
    }
}
