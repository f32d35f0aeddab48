package io.epochring.bench;

import io.epochring.Channel;
import io.epochring.EpochRing;
import io.epochring.ThreadingMode;
import io.epochring.WriteHandle;
import io.epochring.bench.CounterDelta.Counter;
import io.epochring.bench.peer.BlockingQueueCoordinator;
import io.epochring.bench.peer.PeerChannel;
import io.epochring.bench.peer.PeerHandle;
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
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Two producer threads, each writing fire-and-forget counter increments to its own channel of one
 * coordinator, measured to APPLIED; the score is both threads' writes together.
 *
 * <p>An operation is one write accepted and applied. Each invocation offers {@value #BATCH} writes
 * on the thread's channel: all but the last fire-and-forget, the last with a handle (or, for the
 * ceiling, its ring sequence), then polls until that last write is applied. Per-channel FIFO means
 * the batch is then applied. (The producer cannot use the APPLIED watermark here: the other
 * thread's writes interleave, so it does not know its own epochs.) One handle per batch costs well
 * under a byte per write.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 3, jvmArgsAppend = {Jvm.AGRONA, Jvm.HEAP_MIN, Jvm.HEAP_MAX, Jvm.HEADLESS})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Threads(2)
@OperationsPerInvocation(TwoToOneApplyThroughput.BATCH)
public class TwoToOneApplyThroughput {

    static final int BATCH = 1000;
    static final String[] CHANNELS = {"a", "b"};

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
        final AtomicInteger producers = new AtomicInteger();

        @Setup(Level.Trial)
        public void start() {
            ring = Rings.epochRing(CounterDelta.withoutResults(), threadingMode, waitStrategy, ringSize, lingerMicros, CHANNELS);
            producers.set(0);
        }

        @TearDown(Level.Trial)
        public void stop() {
            ring.stop();
        }
    }

    @State(Scope.Thread)
    public static class EpochRingProducer {
        Channel<Long, Long> channel;
        final Backoff backoff = new Backoff();

        @Setup(Level.Trial)
        public void pickChannel(EpochRingState shared) {
            channel = shared.ring.channel(CHANNELS[shared.producers.getAndIncrement() % CHANNELS.length]);
        }
    }

    @State(Scope.Benchmark)
    public static class PeerState {
        @Param({"1024", "65536"})
        public int ringSize;

        BlockingQueueCoordinator<Long, Long, Counter, Long> peer;
        final AtomicInteger producers = new AtomicInteger();

        @Setup(Level.Trial)
        public void start() {
            peer = Rings.peer(CounterDelta.withoutResults(), ringSize, CHANNELS);
            producers.set(0);
        }

        @TearDown(Level.Trial)
        public void stop() {
            peer.stop();
        }
    }

    @State(Scope.Thread)
    public static class PeerProducer {
        PeerChannel<Long, Long> channel;
        final Backoff backoff = new Backoff();

        @Setup(Level.Trial)
        public void pickChannel(PeerState shared) {
            channel = shared.peer.channel(CHANNELS[shared.producers.getAndIncrement() % CHANNELS.length]);
        }
    }

    @State(Scope.Benchmark)
    public static class CeilingState {
        @Param({WaitStrategies.SLEEPING, WaitStrategies.YIELDING, WaitStrategies.BUSY_SPIN, WaitStrategies.BLOCKING})
        public String waitStrategy;
        @Param({"1024", "65536"})
        public int ringSize;

        CeilingRing ring;

        @Setup(Level.Trial)
        public void start() {
            ring = new CeilingRing(ringSize, WaitStrategies.create(waitStrategy));
        }

        @TearDown(Level.Trial)
        public void stop() {
            ring.close();
        }
    }

    @State(Scope.Thread)
    public static class CeilingProducer {
        final Backoff backoff = new Backoff();
    }

    @Benchmark
    public long epochRing(EpochRingState shared, EpochRingProducer producer) {
        Channel<Long, Long> channel = producer.channel;
        Backoff backoff = producer.backoff;
        Rings.offer(channel, backoff, BATCH - 1);
        WriteHandle<Long> last = channel.write(CounterDelta.ONE);
        backoff.reset();
        while (!last.isResolved()) {
            backoff.idle();
        }
        if (last.error() != null) {
            throw last.error();
        }
        return last.epoch();
    }

    @Benchmark
    public long peer(PeerState shared, PeerProducer producer) {
        PeerChannel<Long, Long> channel = producer.channel;
        Backoff backoff = producer.backoff;
        Rings.offer(channel, backoff, BATCH - 1);
        PeerHandle<Long> last = channel.write(CounterDelta.ONE);
        backoff.reset();
        while (!last.isDone()) {
            backoff.idle();
        }
        last.join();
        return last.epoch();
    }

    @Benchmark
    public long ceiling(CeilingState shared, CeilingProducer producer) {
        return shared.ring.publishAndAwait(BATCH, producer.backoff);
    }
}
