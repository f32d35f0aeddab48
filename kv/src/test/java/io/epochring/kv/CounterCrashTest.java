package io.epochring.kv;

import io.epochring.DurabilityLevel;
import io.epochring.RecoveryReport;
import io.epochring.journal.JournalEntry;
import io.epochring.journal.JournalInspector;
import io.epochring.journal.JournalSummary;
import io.epochring.journal.RecordType;
import io.epochring.journal.support.ChildJvm;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kill -9 of a store in the middle of counting ({@link CounterCrashMain}), at a random number of
 * acknowledgements or at a chosen point of a flush: before RocksDB is written, after RocksDB has
 * it but before the coordinator knows, after a sync before its checkpoint is recorded. A counter
 * is not idempotent, so reopening must give each add exactly once: each thread's counter equals
 * the number of its adds in the journal (read independently with {@link JournalInspector}), is at
 * least the number the child acknowledged as JOURNALED and at most that plus the adds it had in
 * flight, and every acknowledged add is in the journal. Then one more add, a clean close, a reopen:
 * the counters still hold. Each round is a fresh store that lives, is killed and is recovered
 * twice, with its own flush cadence, sync-every-flush setting and journal sync policy.
 *
 * <p>Rounds: {@code -Depochring.crash.rounds} (3 by default, 200 with {@code -Pcrash}). Round
 * {@code r} runs with seed {@code s + r - 1}, where {@code s} is {@code -Depochring.crash.seed}
 * (random when not given) and is printed with each round; odd seeds sync RocksDB at every flush,
 * even ones never do, which keeps RocksDB ahead of the journal's checkpoint: recovery must not
 * replay what RocksDB already holds.
 */
class CounterCrashTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int LIVES = 2;
    private static final String[] POLICIES = {"NONE", "PER_BATCH", "INTERVAL"};

    /** Where a child is killed: after a number of acknowledgements, or at a flusher marker. */
    private enum Kill { ACKS, FLUSH, FLUSHED, SYNCED }

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void shouldCountEveryJournaledAddExactlyOnceAfterKillMinusNine() throws Exception {
        int rounds = Integer.getInteger("epochring.crash.rounds", 3);
        long firstSeed = Long.getLong("epochring.crash.seed", System.nanoTime() & 0xff_ffffL);
        int rocksAhead = 0;
        int unsyncedRounds = 0;
        long acknowledged = 0;
        for (int round = 1; round <= rounds; round++) {
            long seed = firstSeed + round - 1;
            Round r = new Round(round + " of " + rounds, seed, dir.resolve("round-" + round));
            unsyncedRounds += r.syncEveryFlush ? 0 : 1;
            for (int life = 1; life <= LIVES; life++) {
                Life result = r.live(life);
                rocksAhead += result.rocksAhead ? 1 : 0;
                acknowledged += result.acks;
            }
            deleteTree(r.dir); // kept when a round fails, for a post-mortem
        }
        System.out.printf("counter crash test: %d rounds from seed %d, %d adds acknowledged, each counted once; RocksDB ahead of"
                          + " the checkpoint in %d recoveries%n", rounds, firstSeed, acknowledged, rocksAhead);
        if (unsyncedRounds > 0) {
            assertThat(rocksAhead).as("recoveries where RocksDB held epochs above the journal's checkpoint (first seed %d)", firstSeed)
                                  .isPositive();
        }
    }

    /** What one life of a round showed. */
    private record Life(long acks, boolean rocksAhead) {
    }

    /** One store, its settings drawn from the seed, killed and recovered {@link #LIVES} times. */
    private static final class Round {
        final String round;
        final long seed;
        final Path dir;
        final Path store;
        final boolean syncEveryFlush;
        final String journalSync;
        final int threads;
        final int window;
        final int flushMillis;
        final SplittableRandom random;
        /** Each thread's exact counter after the last recovery. */
        final long[] counters;

        Round(String round, long seed, Path dir) {
            this.round = round;
            this.seed = seed;
            this.dir = dir;
            this.store = dir.resolve("store");
            this.random = new SplittableRandom(seed);
            this.syncEveryFlush = (seed & 1) == 1;
            this.journalSync = POLICIES[random.nextInt(POLICIES.length)];
            this.threads = random.nextInt(2, 5);
            this.window = random.nextInt(1, 5);
            this.flushMillis = random.nextInt(5, 31);
            this.counters = new long[threads];
        }

        Life live(int life) throws Exception {
            Kill kill = Kill.values()[(int) Math.floorMod(seed + life - 1, (long) Kill.values().length)];
            if (kill == Kill.SYNCED && !syncEveryFlush) {
                kill = Kill.FLUSHED; // without a sync per flush there is none to stop at
            }
            int killAt = kill == Kill.ACKS ? random.nextInt(100, 1_000) : random.nextInt(2, 7);
            String context = String.format("round %s life %d (seed %d: sync every flush %s, journal sync %s, %d threads, window %d,"
                                           + " flush every %d ms, kill at %s %d)", round, life, seed, syncEveryFlush, journalSync,
                                           threads, window, flushMillis, kill, killAt);

            // given a child counting, killed at a random number of acks or at a point of a flush
            Files.createDirectories(dir);
            Acks seen = new Acks(threads, counters, context);
            Path log = dir.resolve("child-" + life + ".log");
            String killedAt;
            long started = System.nanoTime();
            try (ChildJvm child = ChildJvm.start(CounterCrashMain.class, dir.resolve("child-" + life + ".err"), store.toString(),
                                                 log.toString(), String.valueOf(threads), String.valueOf(window), String.valueOf(syncEveryFlush),
                                                 journalSync, String.valueOf(flushMillis),
                                                 kill == Kill.ACKS ? "NONE" : kill.name(), String.valueOf(killAt))) {
                killedAt = runUntilKill(child, kill, killAt, seen, context, started);
                child.kill();
                for (String line : child.remainingLines()) {
                    seen.parse(line);
                }
            }
            long killed = System.nanoTime();
            // everything logged before the kill was acknowledged; stdout may have lost its last lines
            Acks acks = new Acks(threads, counters, context);
            Files.readAllLines(log).forEach(acks::parse);
            assertThat(acks.total()).as("%s: the log holds every acknowledgement stdout showed", context).isGreaterThanOrEqualTo(seen.total());
            if (acks.total() > seen.total()) {
                System.out.printf("round %s life %d: stdout lost the last %d of %d acknowledgements%n", round, life,
                                  acks.total() - seen.total(), acks.total());
            }

            // when the journal is read on its own, and the store is opened again
            JournalCount journal = JournalCount.read(store.resolve("journal"), threads);
            long[] recovered = new long[threads];
            RecoveryReport recovery;
            try (KvStore reopened = KvStore.open(store, options())) {
                recovery = reopened.recovery();
                for (int t = 0; t < threads; t++) {
                    recovered[t] = reopened.counter(CounterCrashMain.key(t));
                }
                String report = String.format("%s, killed %s after %d acks: recovery %s, checkpoint %d, journal last %d, replayed %d;"
                                              + " counters %s, journal adds %s, acked %s", context, killedAt, acks.total(), recovery.storage(),
                                              recovery.checkpoint().durableEpoch(), recovery.lastEpoch(), recovery.replayed(),
                                              Arrays.toString(recovered), Arrays.toString(journal.adds), Arrays.toString(acks.acked));

                // then every journaled add is counted once, acknowledged or not, and none twice
                assertThat(recovery.storage().reported()).as(report).isTrue();
                assertThat(recovery.rejected()).as(report).isZero();
                assertThat(journal.rejected).as(report).isZero();
                assertThat(recovery.lastEpoch()).as(report).isEqualTo(journal.lastEpoch);
                for (int t = 0; t < threads; t++) {
                    assertThat(recovered[t]).as("thread %d counter = its adds in the journal; %s", t, report).isEqualTo(journal.adds[t]);
                    assertThat(recovered[t]).as("thread %d counter >= before + acknowledged; %s", t, report)
                                            .isGreaterThanOrEqualTo(counters[t] + acks.acked[t]);
                    assertThat(recovered[t]).as("thread %d counter <= before + acknowledged + in flight; %s", t, report)
                                            .isLessThanOrEqualTo(counters[t] + acks.acked[t] + window);
                    Set<Long> missing = new HashSet<>(acks.epochs.get(t));
                    missing.removeAll(journal.epochs.get(t));
                    assertThat(missing).as("thread %d acknowledged adds missing from the journal; %s", t, report).isEmpty();
                }
                System.out.println(report + ": ok");

                // and one more add after the recovery is counted once through a clean close
                for (int t = 0; t < threads; t++) {
                    long value = reopened.add(CounterCrashMain.key(t), 1).await(DurabilityLevel.JOURNALED, WAIT);
                    assertThat(value).as("thread %d add after recovery; %s", t, report).isEqualTo(recovered[t] + 1);
                }
            }
            try (KvStore again = KvStore.open(store, options())) {
                assertThat(again.recovery().replayed()).as("%s: nothing left to replay after a clean close", context).isZero();
                for (int t = 0; t < threads; t++) {
                    counters[t] = again.counter(CounterCrashMain.key(t));
                    assertThat(counters[t]).as("thread %d after a clean close; %s", t, context).isEqualTo(recovered[t] + 1);
                }
            }
            System.out.printf("round %s life %d: child ran %d ms, checks took %d ms%n", round, life, (killed - started) / 1_000_000,
                              (System.nanoTime() - killed) / 1_000_000);
            boolean rocksAhead = recovery.storage().epoch() > recovery.checkpoint().durableEpoch();
            return new Life(acks.total(), rocksAhead);
        }

        /** @return what the kill landed on */
        private String runUntilKill(ChildJvm child, Kill kill, int killAt, Acks acks, String context, long started)
            throws InterruptedException {
            long deadline = started + WAIT.toNanos();
            String lastFlushStep = "before the first flush";
            for (long left; (left = deadline - System.nanoTime()) > 0; ) {
                String line = child.nextLine(Duration.ofNanos(left));
                if (line == null) {
                    break;
                }
                acks.parse(line);
                if (line.startsWith("FLUSH") || line.startsWith("SYNC")) {
                    lastFlushStep = "after " + line.substring(0, line.length() - 2);
                }
                if (line.startsWith("FAILED")) {
                    throw new AssertionError(context + ": the child failed: " + line + "; see " + child.log());
                }
                if (line.startsWith("READY")) {
                    System.out.printf("round %s: child ready after %d ms%n", round, (System.nanoTime() - started) / 1_000_000);
                }
                if (kill == Kill.ACKS ? acks.total() >= killAt : line.startsWith("PAUSED")) {
                    return kill == Kill.ACKS ? "at random (" + lastFlushStep + ")" : "at " + line.substring(0, line.length() - 2);
                }
            }
            throw new AssertionError(context + ": the child " + (child.isAlive() ? "did not get there within " + WAIT : "ended by itself")
                                     + "; see " + child.log());
        }

        private KvOptions options() {
            KvOptions.Builder options = KvOptions.builder().syncEveryFlush(syncEveryFlush).journalSync(CounterCrashMain.policy(journalSync))
                                                 .flushInterval(Duration.ofMillis(flushMillis));
            for (int t = 0; t < threads; t++) {
                options.channel(CounterCrashMain.channel(t), 64);
            }
            return options.build();
        }
    }

    /** The child's acknowledgements, checked as they come: per thread in order, each add's value one more. */
    private static final class Acks {
        final long[] acked;
        final List<Set<Long>> epochs = new ArrayList<>();
        private final long[] before;
        private final String context;

        Acks(int threads, long[] before, String context) {
            this.acked = new long[threads];
            this.before = before;
            this.context = context;
            for (int t = 0; t < threads; t++) {
                epochs.add(new HashSet<>());
            }
        }

        void parse(String line) {
            String[] f = line.split(" ");
            if (!f[0].equals("ACK") || f.length != 6 || !f[5].equals(".")) {
                return; // another report, or a line cut short by the kill
            }
            int t = Integer.parseInt(f[1]);
            long seq = Long.parseLong(f[2]);
            long value = Long.parseLong(f[4]);
            assertThat(seq).as("%s: thread %d acknowledges in order", context, t).isEqualTo(acked[t] + 1);
            assertThat(value).as("%s: thread %d add %d returned the counter before it plus one", context, t, seq).isEqualTo(before[t] + seq);
            acked[t] = seq;
            epochs.get(t).add(Long.parseLong(f[3]));
        }

        long total() {
            return Arrays.stream(acked).sum();
        }
    }

    /** The adds in a journal, per thread, read without the store. */
    private static final class JournalCount {
        final long[] adds;
        final List<Set<Long>> epochs = new ArrayList<>();
        long rejected;
        long lastEpoch;

        private JournalCount(int threads) {
            adds = new long[threads];
            for (int t = 0; t < threads; t++) {
                epochs.add(new HashSet<>());
            }
        }

        static JournalCount read(Path journal, int threads) {
            JournalCount count = new JournalCount(threads);
            try (JournalInspector inspector = JournalInspector.open(journal)) {
                JournalSummary summary = inspector.summary();
                count.lastEpoch = summary.lastEpoch();
                for (JournalEntry entry : inspector.records(0, Integer.MAX_VALUE)) {
                    if (entry.type() == RecordType.REJECTED_WRITE) {
                        count.rejected++;
                    } else if (entry.type() == RecordType.WRITE) {
                        KvWrite write = KvCodec.INSTANCE.decode(new UnsafeBuffer(entry.payload()), 0, entry.payloadLength());
                        assertThat(write.isAdd()).as("journal record at epoch %d", entry.epoch()).isTrue();
                        int t = thread(write.key(), threads);
                        count.adds[t] += write.amount();
                        count.epochs.get(t).add(entry.epoch());
                    }
                }
            }
            return count;
        }

        private static int thread(byte[] key, int threads) {
            for (int t = 0; t < threads; t++) {
                if (Arrays.equals(key, CounterCrashMain.key(t))) {
                    return t;
                }
            }
            throw new AssertionError("the journal holds an add to an unknown key " + KvWrite.printable(key));
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
