package io.epochring.bench;

import io.epochring.DurabilityLevel;
import io.epochring.ThreadingMode;
import io.epochring.journal.SyncPolicy;
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

import java.util.concurrent.TimeUnit;

/**
 * One producer, fire-and-forget writes of a fixed-size payload, measured to JOURNALED with sync
 * {@code NONE}: appended to the Chronicle Queue journal (in the page cache, so a process crash
 * loses nothing), not forced to disk.
 *
 * <p>An operation is one write accepted <em>and journaled</em>: each invocation offers
 * {@value #BATCH} writes, then polls the JOURNALED watermark until the last of them is journaled
 * (as {@link OneToOneApplyThroughput} does for APPLIED).
 *
 * <p>Rows: {@code epochRing} (both threading modes; the journal stage encodes each write with
 * {@link FixedSizeCodec} and appends it as one record; the apply stage follows it), and
 * {@code ceiling}: the same {@value #BATCH}-record batches appended straight to a Chronicle Queue
 * by the benchmark thread, each record the journal's bytes ({@link RawJournalRecord}), with the
 * same roll cycle. Nothing that journals those records through Chronicle can be faster.
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
@OperationsPerInvocation(JournaledThroughput.BATCH)
public class JournaledThroughput {

    static final int BATCH = 1000;
    static final String CHANNEL = "a";

    @State(Scope.Benchmark)
    public static class EpochRingState {
        @Param({"SINGLE_THREAD", "THREAD_PER_STAGE"})
        public ThreadingMode threadingMode;
        @Param({"24"})
        public int payloadBytes;

        JournaledRing journaled;
        long accepted;
        final Backoff backoff = new Backoff();

        @Setup(Level.Trial)
        public void start() {
            journaled = JournaledRing.start("journaled", SyncPolicy.NONE, threadingMode, payloadBytes, CHANNEL);
            accepted = 0;
        }

        @TearDown(Level.Trial)
        public void stop() {
            journaled.close();
        }
    }

    @State(Scope.Benchmark)
    public static class CeilingState {
        @Param({"24"})
        public int payloadBytes;

        RawJournalQueue raw;
        long epoch;

        @Setup(Level.Trial)
        public void start() {
            raw = RawJournalQueue.open("journaled-ceiling", CHANNEL, payloadBytes, null);
            epoch = 0;
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
        long epoch = state.epoch;
        for (int i = 0; i < BATCH; i++) {
            record.append(appender, ++epoch);
        }
        state.epoch = epoch;
        return epoch;
    }
}
