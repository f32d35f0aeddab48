package io.epochring.bench;

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

import java.util.concurrent.TimeUnit;

/**
 * One producer, fire-and-forget writes of a counter increment, measured to APPLIED.
 *
 * <p>An operation is one write accepted <em>and applied</em>: each invocation offers
 * {@value #BATCH} writes (retrying with the same {@link Backoff} in every row while the queue is
 * full), then polls until the last of them is applied, so nothing is counted while merely queued.
 * Every row polls the same way (the APPLIED watermark, or the ceiling's handler sequence), so the
 * rows differ only in their pipelines.
 *
 * <p>Rows: {@code epochRing} (both threading modes), {@code peer} (the
 * {@link BlockingQueueCoordinator}, which has no wait strategy), {@code ceiling} (a bare
 * Disruptor ring with one empty handler).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 3, jvmArgsAppend = {Jvm.AGRONA, Jvm.HEAP_MIN, Jvm.HEAP_MAX, Jvm.HEADLESS})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Threads(1)
@OperationsPerInvocation(OneToOneApplyThroughput.BATCH)
public class OneToOneApplyThroughput {

    static final int BATCH = 1000;
    static final String CHANNEL = "a";

    @State(Scope.Benchmark)
    public static class EpochRingState {
        @Param({"SINGLE_THREAD", "THREAD_PER_STAGE"})
        public ThreadingMode threadingMode;
        @Param({WaitStrategies.SLEEPING, WaitStrategies.YIELDING, WaitStrategies.BUSY_SPIN, WaitStrategies.BLOCKING})
        public String waitStrategy;
        /** {@link io.epochring.EpochRingBuilder#linger} in µs: 5 is the builder's default, 0 none. */
        @Param({"5"})
        public long lingerMicros;
        @Param({"1024", "65536"})
        public int ringSize;

        EpochRing<Long, Long, Counter, Long> ring;
        Channel<Long, Long> channel;
        long accepted;
        final Backoff backoff = new Backoff();

        @Setup(Level.Trial)
        public void start() {
            ring = Rings.epochRing(CounterDelta.withoutResults(), threadingMode, waitStrategy, ringSize, lingerMicros, CHANNEL);
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
        @Param({"1024", "65536"})
        public int ringSize;

        BlockingQueueCoordinator<Long, Long, Counter, Long> peer;
        PeerChannel<Long, Long> channel;
        long accepted;
        final Backoff backoff = new Backoff();

        @Setup(Level.Trial)
        public void start() {
            peer = Rings.peer(CounterDelta.withoutResults(), ringSize, CHANNEL);
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
        @Param({WaitStrategies.SLEEPING, WaitStrategies.YIELDING, WaitStrategies.BUSY_SPIN, WaitStrategies.BLOCKING})
        public String waitStrategy;
        @Param({"1024", "65536"})
        public int ringSize;

        CeilingRing ring;
        final Backoff backoff = new Backoff();

        @Setup(Level.Trial)
        public void start() {
            ring = new CeilingRing(ringSize, WaitStrategies.create(waitStrategy));
        }

        @TearDown(Level.Trial)
        public void stop() {
            ring.close();
        }
    }

    @Benchmark
    public long epochRing(EpochRingState state) {
        return state.accepted = Rings.publishAndAwait(state.ring, state.channel, state.backoff, state.accepted, BATCH,
                                                      DurabilityLevel.APPLIED);
    }

    @Benchmark
    public long peer(PeerState state) {
        Backoff backoff = state.backoff;
        Rings.offer(state.channel, backoff, BATCH);
        long last = state.accepted += BATCH;
        backoff.reset();
        while (state.peer.watermark(DurabilityLevel.APPLIED) < last) {
            backoff.idle();
        }
        return last;
    }

    @Benchmark
    public long ceiling(CeilingState state) {
        return state.ring.publishAndAwait(BATCH, state.backoff);
    }
}
