package io.epochring.bench;

import com.lmax.disruptor.dsl.ProducerType;
import io.epochring.Channel;
import io.epochring.DurabilityLevel;
import io.epochring.EpochRing;
import io.epochring.ThreadingMode;
import io.epochring.bench.CounterDelta.Counter;
import io.epochring.bench.peer.BlockingQueueCoordinator;
import io.epochring.bench.peer.PeerChannel;
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

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * One producer, fire-and-forget writes of a counter increment in batches of {@code batch}, measured
 * to APPLIED: the batch publish against single writes (batch 1) and against the peer's and the
 * bare ring's batch counterparts.
 *
 * <p>An operation is one write accepted <em>and applied</em>: each invocation offers
 * {@value #WRITES} writes as {@code WRITES / batch} batches (each accepted whole, retrying with
 * the same {@link Backoff} in every row while there is no room), then polls until the last is
 * applied, as {@link OneToOneApplyThroughput} does.
 *
 * <p>Rows: {@code epochRing} ({@code Channel.tryPublishAll}: one permit claim and one claim of
 * {@code batch} ring slots), {@code peer} ({@code PeerChannel.tryPublishAll}: one permit
 * acquisition, then the writes queued in order and drained with {@code drainTo}), {@code ceiling}
 * (a bare Disruptor ring, one {@code tryNext(batch)} and one {@code publish(lo, hi)}, one empty
 * handler).
 *
 * <p>{@code producers}: {@code MULTI} is the default coordinator and a multi-producer ceiling (every
 * claim a CAS); {@code SINGLE} is a coordinator built with {@code singleProducer(true)} and a
 * single-producer ceiling (claims without atomic instructions). The peer has no such mode: its
 * {@code ArrayBlockingQueue} takes a lock either way. With {@code batch} 1 the rows are single
 * writes, so {@code SINGLE} there is the single-producer mode's per-write throughput.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 3, jvmArgsAppend = {Jvm.AGRONA, Jvm.HEAP_MIN, Jvm.HEAP_MAX, Jvm.HEADLESS})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Threads(1)
@OperationsPerInvocation(BatchPublishThroughput.WRITES)
public class BatchPublishThroughput {

    /** Writes per invocation: a multiple of every batch size. */
    static final int WRITES = 4096;
    static final String CHANNEL = "a";

    /** The batch sizes and the values every row publishes. */
    @State(Scope.Benchmark)
    public static class Batch {
        @Param({"1", "16", "256"})
        public int batch;
        @Param({"65536"})
        public int ringSize;

        final Long[] writes = new Long[256];
        final Backoff backoff = new Backoff();

        @Setup(Level.Trial)
        public void fill() {
            Arrays.fill(writes, CounterDelta.ONE);
        }
    }

    @State(Scope.Benchmark)
    public static class EpochRingState {
        @Param({"SINGLE_THREAD"})
        public ThreadingMode threadingMode;
        @Param({WaitStrategies.SLEEPING})
        public String waitStrategy;
        @Param({"MULTI", "SINGLE"})
        public ProducerType producers;
        /** {@link io.epochring.EpochRingBuilder#linger} in µs: 5 is the builder's default, 0 none. */
        @Param({"5"})
        public long lingerMicros;

        EpochRing<Long, Long, Counter, Long> ring;
        Channel<Long, Long> channel;
        long accepted;

        @Setup(Level.Trial)
        public void start(Batch batch) {
            ring = Rings.configured(CounterDelta.withoutResults(), new NoopFlusher<>(), threadingMode, waitStrategy, batch.ringSize, CHANNEL)
                        .singleProducer(producers == ProducerType.SINGLE).linger(Rings.linger(lingerMicros)).build().start();
            channel = ring.channel(CHANNEL);
            accepted = 0;
        }

        @TearDown(Level.Trial)
        public void stop() {
            ring.stop();
        }
    }

    @State(Scope.Benchmark)
    public static class PeerState {
        BlockingQueueCoordinator<Long, Long, Counter, Long> peer;
        PeerChannel<Long, Long> channel;
        long accepted;

        @Setup(Level.Trial)
        public void start(Batch batch) {
            peer = Rings.peer(CounterDelta.withoutResults(), batch.ringSize, CHANNEL);
            channel = peer.channel(CHANNEL);
            accepted = 0;
        }

        @TearDown(Level.Trial)
        public void stop() {
            peer.stop();
        }
    }

    @State(Scope.Benchmark)
    public static class CeilingState {
        @Param({WaitStrategies.SLEEPING})
        public String waitStrategy;
        @Param({"MULTI", "SINGLE"})
        public ProducerType producers;

        CeilingRing ring;

        @Setup(Level.Trial)
        public void start(Batch batch) {
            ring = new CeilingRing(batch.ringSize, WaitStrategies.create(waitStrategy), producers);
        }

        @TearDown(Level.Trial)
        public void stop() {
            ring.close();
        }
    }

    @Benchmark
    public long epochRing(Batch batch, EpochRingState state) {
        Backoff backoff = batch.backoff;
        for (int sent = 0; sent < WRITES; sent += batch.batch) {
            backoff.reset();
            while (!state.channel.tryPublishAll(batch.writes, 0, batch.batch)) {
                backoff.idle();
            }
        }
        long last = state.accepted += WRITES;
        backoff.reset();
        while (state.ring.watermark(DurabilityLevel.APPLIED) < last) {
            backoff.idle();
        }
        return last;
    }

    @Benchmark
    public long peer(Batch batch, PeerState state) {
        Backoff backoff = batch.backoff;
        for (int sent = 0; sent < WRITES; sent += batch.batch) {
            backoff.reset();
            while (!state.channel.tryPublishAll(batch.writes, 0, batch.batch)) {
                backoff.idle();
            }
        }
        long last = state.accepted += WRITES;
        backoff.reset();
        while (state.peer.watermark(DurabilityLevel.APPLIED) < last) {
            backoff.idle();
        }
        return last;
    }

    @Benchmark
    public long ceiling(Batch batch, CeilingState state) {
        Backoff backoff = batch.backoff;
        long last = -1;
        for (int sent = 0; sent < WRITES; sent += batch.batch) {
            backoff.reset();
            while ((last = state.ring.tryPublishBatch(batch.batch)) < 0) {
                backoff.idle();
            }
        }
        state.ring.awaitProcessed(last, backoff);
        return last;
    }
}
