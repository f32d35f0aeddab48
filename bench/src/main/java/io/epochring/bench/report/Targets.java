package io.epochring.bench.report;

import java.util.List;
import java.util.Map;

/**
 * The performance targets, as ratios within one run. A benchmark's comparison rows are
 * found by method name: {@code peer} and {@code ceiling} (the journal benchmarks should name their
 * raw Chronicle Queue method {@code ceiling} too, so these lines pick them up).
 */
final class Targets {

    /**
     * EpochRing's score must be at least {@code atLeast} times the {@code against} row's, in the
     * better-is-faster sense (for a time-per-operation unit the ratio is inverted).
     */
    record Ratio(String benchmarkClass, String against, double atLeast, String label) {
    }

    /** EpochRing's latency at {@code percentile} must be at most {@code atMost} times the peer's. */
    record Latency(String benchmarkClass, double percentile, double atMost, String label) {
    }

    /** EpochRing's {@code gc.alloc.rate.norm} must be at most {@code maxBytes} per operation (one write). */
    record Allocation(String benchmarkClass, double maxBytes, String label) {
    }

    static final List<Ratio> RATIOS = List.of(
        new Ratio("OneToOneApplyThroughput", "peer", 2.0, "1. apply throughput: >= 2x the peer"),
        new Ratio("OneToOneApplyThroughput", "ceiling", 0.6, "1. apply throughput: >= 60% of the ceiling"),
        new Ratio("TwoToOneApplyThroughput", "peer", 2.0, "2. two producers: >= 2x the peer"),
        new Ratio("JournaledThroughput", "ceiling", 0.7, "4. journaled throughput: >= 70% of raw Chronicle appends"),
        new Ratio("DurableGroupCommit", "ceiling", 0.5, "5. durable group commit: >= 50% of raw append + sync"),
        new Ratio("ReplayThroughput", "ceiling", 0.5, "6. replay: >= 50% of the raw tailer"),
        new Ratio("BatchPublishThroughput", "peer", 2.0, "8. batch publish and one producer: >= 2x the peer's batch"));

    static final List<Latency> LATENCIES = List.of(
        new Latency("PingPongApplyLatency", 99.0, 0.5, "3. latency p99: <= 0.5x the peer's"),
        new Latency("PingPongApplyLatencyTunedJvm", 99.0, 0.1, "3. latency p99, JVM tuned for latency: <= 0.1x the peer's"));

    static final List<Allocation> ALLOCATIONS = List.of(
        new Allocation("OneToOneApplyThroughput", 8, "7. allocation, fire-and-forget: <= 8 B/write"),
        new Allocation("PingPongApplyLatency", 128, "7. allocation, with a handle: <= 128 B/write"),
        new Allocation("BatchPublishThroughput", 8, "7. allocation, fire-and-forget batches: <= 8 B/write"));

    /**
     * Benchmarks with no EpochRing-against-peer row, whose rows are each compared with one baseline
     * row instead: by benchmark class, the baseline's method. REPLICATED (on a cluster) is measured
     * against JOURNALED (one node), both EpochRing; there is no target, the ratio is the cost of
     * replication.
     */
    static final Map<String, String> BASELINES = Map.of("ReplicatedLatency", "journaled",
                                                        "ReplicatedThroughput", "journaled");

    private Targets() {
    }

    /**
     * @return EpochRing's advantage over {@code other}, a ratio of medians: above 1 means EpochRing
     *         is better. Medians, because on a shared VM a fork's scores can sit in one of two
     *         modes several times apart (threads placed near or far in the host's caches), and a
     *         mean over a few forks mostly says which modes the forks happened to land in.
     */
    static double advantage(JmhResult epochRing, JmhResult other) {
        boolean timePerOp = epochRing.unit() != null && epochRing.unit().endsWith("/op");
        return timePerOp ? other.median() / epochRing.median() : epochRing.median() / other.median();
    }
}
