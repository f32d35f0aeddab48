package io.epochring.bench;

import io.epochring.DurabilityLevel;
import io.epochring.ThreadingMode;
import io.epochring.WriteHandle;
import io.epochring.journal.SyncPolicy;
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

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One writer keeping a window of {@code window} writes in flight: an operation submits one write,
 * after first waiting for the oldest one in the window to reach its level (once the window is
 * full), so an operation is one write that reached REPLICATED (three-node cluster) or JOURNALED
 * (one node), in the same run. Writes/s, as a service with many requests in flight would see them.
 *
 * <p>The rows, the cluster and its threads and idle strategies are those of
 * {@link ReplicatedLatency}: {@code replicated} waits on {@code ClusterWriter} futures, {@code journaled}
 * on EpochRing write handles at JOURNALED, with the same codec and payload.
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
public class ReplicatedThroughput {

    static final String CHANNEL = "a";

    @State(Scope.Benchmark)
    public static class ReplicatedState {
        @Param({AeronIdle.SLEEPING, AeronIdle.BACKOFF, AeronIdle.YIELDING})
        public String aeronIdle;
        @Param({"24"})
        public int payloadBytes;
        @Param({"256", "1024"})
        public int window;

        ReplicaCluster cluster;
        CompletableFuture<Long>[] inFlight;
        long submitted;

        @Setup(Level.Trial)
        @SuppressWarnings("unchecked")
        public void start() {
            cluster = ReplicaCluster.start("replicated-throughput", aeronIdle, payloadBytes);
            inFlight = new CompletableFuture[window];
            submitted = 0;
        }

        @TearDown(Level.Trial)
        public void stop() {
            try {
                // Every write in the window is answered before the cluster stops, so none fails as "unknown outcome".
                for (CompletableFuture<Long> future : inFlight) {
                    if (future != null) {
                        Replicated.await(future);
                    }
                }
            } finally {
                cluster.close();
            }
        }
    }

    @State(Scope.Benchmark)
    public static class JournaledState {
        @Param({"24"})
        public int payloadBytes;
        @Param({"256", "1024"})
        public int window;

        JournaledRing journaled;
        WriteHandle<Long>[] inFlight;
        long submitted;

        @Setup(Level.Trial)
        @SuppressWarnings("unchecked")
        public void start() {
            journaled = JournaledRing.start("journaled-window", SyncPolicy.NONE, ThreadingMode.SINGLE_THREAD, payloadBytes, CHANNEL);
            inFlight = new WriteHandle[window];
            submitted = 0;
        }

        @TearDown(Level.Trial)
        public void stop() {
            journaled.close();
        }
    }

    @Benchmark
    public Long replicated(ReplicatedState state) {
        int slot = (int) (state.submitted++ % state.window);
        CompletableFuture<Long> oldest = state.inFlight[slot];
        Long epoch = oldest == null ? null : Replicated.await(oldest);
        state.inFlight[slot] = state.cluster.writer.write(CounterDelta.ONE);
        return epoch;
    }

    @Benchmark
    public Long journaled(JournaledState state) {
        int slot = (int) (state.submitted++ % state.window);
        WriteHandle<Long> oldest = state.inFlight[slot];
        Long result = oldest == null ? null : oldest.await(DurabilityLevel.JOURNALED, Rings.STUCK);
        state.inFlight[slot] = state.journaled.channel.write(CounterDelta.ONE);
        return result;
    }
}
