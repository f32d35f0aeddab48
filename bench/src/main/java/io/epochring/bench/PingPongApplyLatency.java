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
 * One producer writes one counter increment and waits for it to be APPLIED, the way a caller
 * would: {@code write(w).await(APPLIED)} on EpochRing, {@code write(w).join()} on the peer. The
 * operation's time is the round trip from the producer through the apply thread and back. Each row
 * records every round trip into {@link RoundTrips}, which {@link RoundTripProfiler} reports as the
 * {@code roundTrip} result: the percentiles the report reads. JMH's own SampleTime percentiles stay
 * in the output for comparison; they over-weight rare values (see {@link RoundTrips}). The result
 * is the running count, so the handle path is measured with its real result.
 *
 * <p>{@code ceiling} is the floor of the machine and JVM the rows run on: one value through a bare
 * Disruptor ring and its empty handler, and back, waited for with the same {@link Backoff} as the
 * other benchmarks' producers.
 *
 * <p>The ring size does not matter with one write in flight, so it is fixed. With
 * {@code -Depochring.bench.pin-cores=true} the producer and the applying thread run on cores of
 * their own ({@link CorePinning}).
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 2, jvmArgsAppend = {Jvm.AGRONA, Jvm.HEAP_MIN, Jvm.HEAP_MAX, Jvm.HEADLESS})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 2)
@Threads(1)
public class PingPongApplyLatency {

    static final int RING_SIZE = 65536;
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

        EpochRing<Long, Long, Counter, Long> ring;
        Channel<Long, Long> channel;

        @Setup(Level.Trial)
        public void start() {
            ring = Rings.configured(CounterDelta.countingResults(), new NoopFlusher<>(), threadingMode, waitStrategy, RING_SIZE, CHANNEL)
                        .onThreadStart(CorePinning::pinApplyingRingThread).linger(Rings.linger(lingerMicros)).build().start();
            CorePinning.pinCurrentThread(CorePinning.PRODUCER_CORE); // after start: the coordinator's other threads stay unpinned
            channel = ring.channel(CHANNEL);
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

        @Setup(Level.Trial)
        public void start() {
            peer = Rings.peer(CounterDelta.countingResults(), RING_SIZE, () -> CorePinning.pinCurrentThread(CorePinning.APPLY_CORE), CHANNEL);
            CorePinning.pinCurrentThread(CorePinning.PRODUCER_CORE);
            channel = peer.channel(CHANNEL);
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

        CeilingRing ring;
        final Backoff backoff = new Backoff();

        @Setup(Level.Trial)
        public void start() {
            ring = new CeilingRing(RING_SIZE, WaitStrategies.create(waitStrategy), ProducerType.SINGLE,
                                   () -> CorePinning.pinCurrentThread(CorePinning.APPLY_CORE));
            CorePinning.pinCurrentThread(CorePinning.PRODUCER_CORE);
        }

        @TearDown(Level.Trial)
        public void stop() {
            ring.close();
        }
    }

    @Benchmark
    public Long epochRing(EpochRingState state) {
        long start = System.nanoTime();
        Long count = state.channel.write(CounterDelta.ONE).await(DurabilityLevel.APPLIED, Rings.STUCK);
        RoundTrips.record(start);
        return count;
    }

    @Benchmark
    public Long peer(PeerState state) {
        long start = System.nanoTime();
        Long count;
        try {
            count = state.channel.write(CounterDelta.ONE).get(Rings.STUCK.toNanos(), TimeUnit.NANOSECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the peer did not apply a write: " + e, e);
        }
        RoundTrips.record(start);
        return count;
    }

    /** The floor of this machine and JVM: one value through a bare single-producer ring and its empty handler, and back. */
    @Benchmark
    public long ceiling(CeilingState state) {
        long start = System.nanoTime();
        long value = state.ring.publishAndAwait(1, state.backoff);
        RoundTrips.record(start);
        return value;
    }
}
