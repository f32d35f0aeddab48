package io.epochring.bench;

import io.epochring.EpochRange;
import io.epochring.EpochRing;
import io.epochring.FlushFailedException;
import io.epochring.Flusher;
import io.epochring.RecoveryReport;
import io.epochring.ThreadingMode;
import io.epochring.bench.CounterDelta.Counter;
import io.epochring.journal.ChronicleJournal;
import io.epochring.journal.SyncPolicy;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.ErrorHandler;
import org.agrona.ExpandableArrayBuffer;
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

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Recovery: a journal of {@value #RECORDS} writes and no checkpoint (as after a crash before the
 * first durable flush) is replayed into a fresh delta. An operation is one record recovered, so
 * the score is records per second like the other throughput benchmarks; each invocation recovers
 * all {@value #RECORDS}.
 *
 * <p>Rows: {@code epochRing}: {@code start()} of a new coordinator on the journal, i.e. what a
 * restarting user waits for: finding the newest checkpoint, replaying every write above it
 * (read, checksum verified, decoded with {@link FixedSizeCodec}, applied to {@link CounterDelta}),
 * and starting the ring's threads; and {@code ceiling}: a raw Chronicle tailer reading the same
 * {@value #RECORDS} documents of the same directory once, document by document, touching each
 * record's epoch: what reading these records costs through Chronicle's tailer API alone, with no
 * check and no decoding. It is the peer replay is measured against rather than a strict bound:
 * replay opens a document only at the start of each run of records between Chronicle's own
 * documents (index arrays, a file's end) and reads the rest of the run in place, so the fixed
 * per-document cost the tailer pays for every record is paid by replay once per run.
 *
 * <p>Fixed costs: the {@code epochRing} row also pays, once per invocation, what {@code start()}
 * does besides replaying (checking every file's structure, allocating the ring's slots, starting its
 * threads); with {@value #RECORDS} records they were about a tenth of the row's time before replay
 * read in runs. They are part of what a restarting user waits for, so they stay in the row; the
 * slots are now allocated on another thread while replay runs, and that thread's start and join are
 * in the row too. So is opening the journal afresh each invocation: replay reads every byte of a
 * journal it has just opened, while the tailer's queue stays open, and mapped, for the whole trial.
 *
 * <p>The journal is written once per trial ({@link Journaled}) with {@code ChronicleJournal}
 * itself, exactly as the coordinator's journal stage appends (same records, one commit per
 * {@value #COMMIT_EVERY}), and never checkpointed.
 *
 * <p>Design note (keeping the journal replayable): {@code EpochRing.stop()} ends with a flush, a
 * sync and a journal checkpoint at the last epoch, which would leave the next invocation nothing
 * to replay. The coordinators here flush into {@link UnsyncableFlusher}, whose {@code sync()}
 * always fails with a permanent error: the timer's flushes (which do not sync) succeed, the stop's
 * sync fails, and the engine never checkpoints after a failed sync, so the journal keeps no
 * checkpoint. The expected {@link FlushFailedException} from {@code stop()} is swallowed; any other
 * failure is not. Every invocation checks that it replayed all {@value #RECORDS} records from
 * checkpoint 0, so a checkpoint that slipped through fails the run instead of timing an empty
 * replay. (Copying a pristine directory per invocation would also work, but moves ~100 MB per
 * invocation through the page cache while the next one is timed.)
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 2, jvmArgsAppend = {Jvm.AGRONA, Jvm.CHRONICLE_EXPORTS_REF, Jvm.CHRONICLE_EXPORTS_NIO_CH,
    Jvm.CHRONICLE_EXPORTS_SUN_MISC, Jvm.CHRONICLE_EXPORTS_JAVAC_FILE, Jvm.CHRONICLE_OPENS_JAVAC, Jvm.CHRONICLE_OPENS_LANG,
    Jvm.CHRONICLE_OPENS_REFLECT, Jvm.CHRONICLE_OPENS_IO, Jvm.CHRONICLE_OPENS_UTIL, Jvm.CHRONICLE_OPENS_NIO, Jvm.AGRONA_OPENS_ZIP,
    Jvm.CHRONICLE_NO_ANALYTICS, Jvm.CHRONICLE_NO_BANNER, Jvm.TMPDIR_TARGET, Jvm.HEAP_MIN, Jvm.HEAP_MAX, Jvm.HEADLESS})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 2)
@Threads(1)
@OperationsPerInvocation(ReplayThroughput.RECORDS)
public class ReplayThroughput {

    static final int RECORDS = 1_000_000;
    static final int COMMIT_EVERY = 1000;
    static final String CHANNEL = "a";

    /** The journal every invocation recovers: written once per trial, never checkpointed. */
    @State(Scope.Benchmark)
    public static class Journaled {
        @Param({"24"})
        public int payloadBytes;

        Path directory;
        FixedSizeCodec codec;

        @Setup(Level.Trial)
        public void write() {
            directory = QueueDirectories.create("replay");
            codec = new FixedSizeCodec(payloadBytes);
            ExpandableArrayBuffer payload = new ExpandableArrayBuffer(payloadBytes);
            int length = codec.encode(CounterDelta.ONE, payload, 0);
            try (ChronicleJournal journal = ChronicleJournal.builder(directory).syncPolicy(SyncPolicy.NONE).build()) {
                journal.bindCodec(codec.name(), codec.version()); // as a coordinator would: the EpochRing row recovers it
                for (long epoch = 1; epoch <= RECORDS; epoch++) {
                    journal.append(epoch, CHANNEL, payload, 0, length);
                    if (epoch % COMMIT_EVERY == 0) {
                        journal.commit();
                    }
                }
                journal.commit();
            }
        }

        @TearDown(Level.Trial)
        public void delete() {
            QueueDirectories.delete(directory);
        }
    }

    @State(Scope.Benchmark)
    public static class EpochRingState {
        EpochRing<Long, Long, Counter, Long> ring;

        @Setup(Level.Invocation)
        public void build(Journaled journaled) {
            ChronicleJournal journal = ChronicleJournal.builder(journaled.directory).syncPolicy(SyncPolicy.NONE).build();
            ring = Rings.configured(CounterDelta.withoutResults(), new UnsyncableFlusher(), ThreadingMode.SINGLE_THREAD,
                                    Rings.JOURNAL_WAIT_STRATEGY, Rings.JOURNAL_RING_SIZE, CHANNEL)
                        .journal(journal, journaled.codec)
                        .errorHandler(UnsyncableFlusher.QUIET)
                        .build();
        }

        @TearDown(Level.Invocation)
        public void stop() {
            try {
                RecoveryReport recovery = ring.recovery();
                if (recovery.replayed() != RECORDS || recovery.checkpoint().durableEpoch() != 0) {
                    throw new IllegalStateException("recovery replayed " + recovery.replayed() + " records from checkpoint "
                                                    + recovery.checkpoint() + ", expected all " + RECORDS
                                                    + " from none: the journal was checkpointed, the measurement is void");
                }
            } finally {
                try {
                    ring.stop(); // closes the journal
                } catch (FlushFailedException e) {
                    if (!(e.getCause() instanceof UnsyncableFlusher.SyncRefused)) {
                        throw e;
                    }
                }
            }
        }
    }

    @State(Scope.Benchmark)
    public static class CeilingState {
        SingleChronicleQueue queue;

        @Setup(Level.Trial)
        public void open(Journaled journaled) {
            queue = SingleChronicleQueueBuilder.binary(journaled.directory).build();
        }

        @TearDown(Level.Trial)
        public void close() {
            queue.close();
        }
    }

    @Benchmark
    public long epochRing(EpochRingState state) {
        return state.ring.start().recovery().replayed();
    }

    @Benchmark
    public long ceiling(CeilingState state) {
        long records = 0;
        long lastEpoch = 0;
        try (ExcerptTailer tailer = state.queue.createTailer()) {
            while (true) {
                try (DocumentContext dc = tailer.readingDocument()) {
                    if (!dc.isPresent()) {
                        break;
                    }
                    Bytes<?> bytes = dc.wire().bytes();
                    lastEpoch = bytes.readLong(bytes.readPosition() + RawJournalRecord.EPOCH_OFFSET);
                    records++;
                }
            }
        }
        if (records != RECORDS || lastEpoch != RECORDS) {
            throw new IllegalStateException("the tailer read " + records + " records up to epoch " + lastEpoch + ", expected "
                                            + RECORDS + ": the prepared journal is not what this benchmark wrote");
        }
        return lastEpoch;
    }

    /**
     * Accepts every flush and refuses every sync, so a coordinator stopped with it never
     * checkpoints its journal (see the class's design note).
     */
    static final class UnsyncableFlusher implements Flusher<Counter, Long> {

        /** Drops the expected failure of the stop's sync; prints anything else, like the default handler. */
        static final ErrorHandler QUIET = error -> {
            if (!(error instanceof FlushFailedException && error.getCause() instanceof SyncRefused)) {
                System.err.println("epochring-bench: " + error);
            }
        };

        private volatile long lastFlushed;

        @Override
        public Long snapshot() {
            return lastFlushed;
        }

        @Override
        public Long flush(Counter frozen, EpochRange range) {
            lastFlushed = range.last();
            return lastFlushed;
        }

        @Override
        public void sync() {
            throw new SyncRefused();
        }

        /** The permanent (not {@code TransientFlushException}) error every sync fails with; no stack trace. */
        static final class SyncRefused extends RuntimeException {
            private static final long serialVersionUID = 1L;

            SyncRefused() {
                super("this benchmark's flusher never syncs, so the journal is never checkpointed", null, false, false);
            }
        }
    }
}
