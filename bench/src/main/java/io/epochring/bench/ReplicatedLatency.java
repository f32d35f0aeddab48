package io.epochring.bench;

import io.epochring.DurabilityLevel;
import io.epochring.ThreadingMode;
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

import java.util.concurrent.TimeUnit;

/**
 * One writer, one write in flight: the time from submitting a write to being told it reached its
 * level, REPLICATED on a three-node cluster against JOURNALED on one node, in the same run. Each
 * row records every round trip into {@link RoundTrips} ({@link RoundTripProfiler} reports their
 * p50, p99, p99.9 and max); JMH's SampleTime percentiles stay in the output beside them.
 *
 * <p>Rows:
 * <ul>
 * <li>{@code replicated}: {@code ClusterWriter.write(w).get()} on three Aeron Cluster nodes in this
 *     JVM on 127.0.0.1 ({@link ReplicaCluster}): the write goes through a follower's media driver to
 *     the leader, into the cluster log, to the followers' logs (each recorded by its archive) until a
 *     majority has it, to the leader's service, which hands it to its ring and replies with its
 *     epoch, which the writer's egress poller (inside {@code ClusterWriter}) picks up; it idles
 *     with the same strategy as the nodes' agents.</li>
 * <li>{@code journaled}: {@code channel.write(w).await(JOURNALED)} on one EpochRing with a Chronicle
 *     journal (sync {@code NONE}, {@link JournaledRing}), the same codec ({@link FixedSizeCodec}) and
 *     payload. Neither side forces anything to disk: the cluster's archives do not sync either
 *     ({@code Archive.Context.fileSyncLevel} 0).</li>
 * </ul>
 *
 * <p>Threads and idle strategies: the media drivers run {@code ThreadingMode.SHARED} and the
 * archives {@code ArchiveThreadingMode.SHARED}, so each node has four Aeron agent threads (driver,
 * archive, consensus module, service container), twelve in all, on the two cores the benchmarks
 * were run on. {@code aeronIdle} picks their idle strategy, and the writer's egress poller's
 * ({@link AeronIdle}): {@code sleeping}
 * ({@code SleepingMillisIdleStrategy(1)}, as the cluster module's tests), {@code backoff} (Agrona's
 * {@code BackoffIdleStrategy} defaults) or {@code yielding}. The nodes' rings wait with Disruptor's
 * sleeping strategy, the JOURNALED row's ring with the journal benchmarks' yielding one
 * ({@link Rings#JOURNAL_WAIT_STRATEGY}).
 *
 * <p>Which idle strategy on two cores: all three run without starving the machine for good. The
 * sleeping one adds about a millisecond per hop (p50 7.9 ms in the committed run); backoff gave a
 * p50 of 2.1 ms; yielding the lowest, 0.56 ms, though twelve yielding agents take turns on the two
 * cores (a one-fork trial of an earlier version had a 41 ms p50 with it). The tails swap between
 * runs, so run all three and compare p50s.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 2, jvmArgsAppend = {Jvm.AGRONA, Jvm.CHRONICLE_EXPORTS_REF, Jvm.CHRONICLE_EXPORTS_NIO_CH,
    Jvm.CHRONICLE_EXPORTS_SUN_MISC, Jvm.CHRONICLE_EXPORTS_JAVAC_FILE, Jvm.CHRONICLE_OPENS_JAVAC, Jvm.CHRONICLE_OPENS_LANG,
    Jvm.CHRONICLE_OPENS_REFLECT, Jvm.CHRONICLE_OPENS_IO, Jvm.CHRONICLE_OPENS_UTIL, Jvm.CHRONICLE_OPENS_NIO,
    Jvm.CHRONICLE_NO_ANALYTICS, Jvm.CHRONICLE_NO_BANNER, Jvm.TMPDIR_TARGET, Jvm.HEAP_MIN, Jvm.HEAP_MAX, Jvm.HEADLESS})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 2)
@Threads(1)
public class ReplicatedLatency {

    static final String CHANNEL = "a";

    @State(Scope.Benchmark)
    public static class ReplicatedState {
        @Param({AeronIdle.SLEEPING, AeronIdle.BACKOFF, AeronIdle.YIELDING})
        public String aeronIdle;
        @Param({"24"})
        public int payloadBytes;

        ReplicaCluster cluster;

        @Setup(Level.Trial)
        public void start() {
            cluster = ReplicaCluster.start("replicated-latency", aeronIdle, payloadBytes);
        }

        @TearDown(Level.Trial)
        public void stop() {
            cluster.close();
        }
    }

    @State(Scope.Benchmark)
    public static class JournaledState {
        @Param({"24"})
        public int payloadBytes;

        JournaledRing journaled;

        @Setup(Level.Trial)
        public void start() {
            journaled = JournaledRing.start("journaled-latency", SyncPolicy.NONE, ThreadingMode.SINGLE_THREAD, payloadBytes, CHANNEL);
        }

        @TearDown(Level.Trial)
        public void stop() {
            journaled.close();
        }
    }

    @Benchmark
    public Long replicated(ReplicatedState state) {
        long start = System.nanoTime();
        Long epoch = Replicated.await(state.cluster.writer.write(CounterDelta.ONE));
        RoundTrips.record(start);
        return epoch;
    }

    @Benchmark
    public Long journaled(JournaledState state) {
        long start = System.nanoTime();
        Long count = state.journaled.channel.write(CounterDelta.ONE).await(DurabilityLevel.JOURNALED, Rings.STUCK);
        RoundTrips.record(start);
        return count;
    }
}
