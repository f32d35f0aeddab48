package io.epochring.bench;

import io.epochring.DurabilityLevel;
import io.epochring.ThreadingMode;
import io.epochring.journal.JournalStats;
import io.epochring.journal.SyncPolicy;
import net.openhft.chronicle.bytes.SyncMode;
import net.openhft.chronicle.queue.ExcerptAppender;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * One producer, fire-and-forget writes measured to JOURNALED with sync {@code PER_BATCH}: the
 * journal msyncs once per ring batch (group commit), so a JOURNALED write survives a machine
 * crash.
 *
 * <p>An operation is one write accepted and journaled, measured as in
 * {@link JournaledThroughput}: {@value #BATCH} writes offered, then the JOURNALED watermark polled
 * until the last one is synced. How many writes share an msync is up to the ring: the journal
 * stage syncs at the end of each batch it was handed, and the producer keeps publishing while it
 * syncs.
 *
 * <p>Rows: {@code epochRing} and {@code ceiling}: the journal's records ({@link RawJournalRecord})
 * appended straight to a Chronicle Queue opened with {@code SyncMode.SYNC}, as the journal opens
 * it, by the benchmark thread, with {@code appender.sync()} after every {@code syncEvery}
 * appends.
 *
 * <p>Design note ({@code syncEvery}): the ceiling must sync as often per write as EpochRing
 * does, i.e. every "mean ring batch" writes. The {@code epochRing} row measures that batch (the
 * journal's appends ÷ syncs) and prints it after every iteration and for the whole trial
 * ({@code DurableGroupCommit observed ring batch, ...} in JMH's output). With a core for the
 * journal thread it syncs the producer's first write alone and the rest of the 1,000 (published
 * during that msync) as a second batch: a mean of ~500, the default. When the journal thread only
 * runs once the producer waits, the batch is the whole 1,000 (README has the observed values). Read
 * the line after a run and, if it differs, rerun the ceiling with {@code -p syncEvery=<observed>}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 2, jvmArgsAppend = {Jvm.AGRONA, Jvm.CHRONICLE_EXPORTS_REF, Jvm.CHRONICLE_EXPORTS_NIO_CH,
    Jvm.CHRONICLE_EXPORTS_SUN_MISC, Jvm.CHRONICLE_EXPORTS_JAVAC_FILE, Jvm.CHRONICLE_OPENS_JAVAC, Jvm.CHRONICLE_OPENS_LANG,
    Jvm.CHRONICLE_OPENS_REFLECT, Jvm.CHRONICLE_OPENS_IO, Jvm.CHRONICLE_OPENS_UTIL, Jvm.CHRONICLE_OPENS_NIO,
    Jvm.CHRONICLE_NO_ANALYTICS, Jvm.CHRONICLE_NO_BANNER, Jvm.TMPDIR_TARGET, Jvm.HEAP_MIN, Jvm.HEAP_MAX, Jvm.HEADLESS})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 2)
@Threads(1)
@OperationsPerInvocation(DurableGroupCommit.BATCH)
public class DurableGroupCommit {

    static final int BATCH = 1000;
    static final String CHANNEL = "a";

    @State(Scope.Benchmark)
    public static class EpochRingState {
        @Param({"SINGLE_THREAD"})
        public ThreadingMode threadingMode;
        @Param({"24"})
        public int payloadBytes;

        JournaledRing journaled;
        long accepted;
        final Backoff backoff = new Backoff();
        JournalStats trialStart;
        JournalStats iterationStart;

        @Setup(Level.Trial)
        public void start() {
            journaled = JournaledRing.start("group-commit", SyncPolicy.PER_BATCH, threadingMode, payloadBytes, CHANNEL);
            accepted = 0;
            trialStart = journaled.journal.stats();
        }

        @Setup(Level.Iteration)
        public void markIteration() {
            iterationStart = journaled.journal.stats();
        }

        @TearDown(Level.Iteration)
        public void reportIteration() {
            System.out.println(observedBatch("iteration", iterationStart, journaled.journal.stats()));
        }

        @TearDown(Level.Trial)
        public void stop() {
            try {
                System.out.println(observedBatch("trial (warm-up included)", trialStart, journaled.journal.stats()));
            } finally {
                journaled.close();
            }
        }
    }

    @State(Scope.Benchmark)
    public static class CeilingState {
        /** The mean ring batch EpochRing was observed to sync (see the class's design note). */
        @Param({"500"})
        public int syncEvery;
        @Param({"24"})
        public int payloadBytes;

        RawJournalQueue raw;
        long epoch;
        int sinceSync;

        @Setup(Level.Trial)
        public void start() {
            if (syncEvery < 1) {
                throw new IllegalArgumentException("syncEvery must be >= 1, was " + syncEvery);
            }
            raw = RawJournalQueue.open("group-commit-ceiling", CHANNEL, payloadBytes, SyncMode.SYNC);
            epoch = 0;
            sinceSync = 0;
        }

        @TearDown(Level.Trial)
        public void stop() {
            raw.close();
        }
    }

    @Benchmark
    public long epochRing(EpochRingState state) {
        return state.accepted = Rings.publishAndAwait(state.journaled.ring, state.journaled.channel, state.backoff, state.accepted,
                                                      BATCH, DurabilityLevel.JOURNALED);
    }

    @Benchmark
    public long ceiling(CeilingState state) {
        ExcerptAppender appender = state.raw.appender;
        RawJournalRecord record = state.raw.record;
        int syncEvery = state.syncEvery;
        int sinceSync = state.sinceSync;
        long epoch = state.epoch;
        for (int i = 0; i < BATCH; i++) {
            record.append(appender, ++epoch);
            if (++sinceSync == syncEvery) {
                appender.sync();
                sinceSync = 0;
            }
        }
        state.sinceSync = sinceSync;
        state.epoch = epoch;
        return epoch;
    }

    /** @return the mean number of writes per journal sync between two readings of the journal's counters */
    static String observedBatch(String period, JournalStats from, JournalStats to) {
        long appends = to.appends() - from.appends();
        long syncs = to.syncs() - from.syncs();
        return String.format(Locale.ROOT, "DurableGroupCommit observed ring batch, %s: %s writes per sync (%,d appends, %,d syncs)",
                             period, syncs == 0 ? "n/a" : String.format(Locale.ROOT, "%.1f", (double) appends / syncs),
                             appends, syncs);
    }
}
