package io.epochring.kv.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code epochring cluster-demo}: parses and checks the options, then runs a {@link ClusterDemoWorkload}.
 */
@Command(name = "cluster-demo", mixinStandardHelpOptions = true, sortOptions = false,
         description = {"Starts a cluster of 3 nodes on 127.0.0.1, each a JVM of its own (Aeron Cluster, and a journaled",
                        "RocksDB store whose ring applies the cluster log), writes puts through a ClusterWriter awaiting REPLICATED,",
                        "kills the leader with kill -9 half-way, and goes on with the other two. Once a new leader acknowledged a",
                        "write it restarts the killed node on its directory, which catches up while the writes go on. Prints the",
                        "failover time (from the kill to the first write acknowledged by the new leader), the catch-up time (from",
                        "the restart until the node journaled the acknowledged epochs), throughput before and after, REPLICATED",
                        "latency, then stops the nodes and reads every node's journal and store back: exit code 1 unless all three",
                        "hold the same writes in the same order and every acknowledged write is there once, at its epoch."})
final class ClusterDemoCommand implements Callable<Integer> {

    /** Above this many writes in flight the cluster no longer recognises a write sent again to a new leader. */
    static final int MAX_IN_FLIGHT = io.epochring.cluster.ClusterWriter.MAX_IN_FLIGHT / 2;

    @Spec
    CommandSpec spec;

    /** Puts in all when neither {@code --writes} nor {@code --duration} is given. */
    static final long DEFAULT_WRITES = 20_000;
    static final Duration MIN_DURATION = Duration.ofSeconds(2);
    static final Duration MAX_DURATION = Duration.ofMinutes(10);

    @Option(names = "--writes", paramLabel = "N", converter = Converters.Count.class,
            description = "puts in all, the leader is killed after half of them (default: 20,000); accepts 20_000 or 20k")
    Long writes;

    @Option(names = "--duration", paramLabel = "DURATION", converter = Converters.Time.class,
            description = "instead of --writes: write for this long (2s to 10m, e.g. 30s, 2m), the leader is killed at half time")
    Duration duration;

    @Option(names = "--in-flight", paramLabel = "N", defaultValue = "32",
            description = "writes awaiting REPLICATED at a time, 1 to " + MAX_IN_FLIGHT + " (default: ${DEFAULT-VALUE})")
    int inFlight;

    @Option(names = "--base-port", paramLabel = "PORT", defaultValue = "0",
            description = "first of the 15 consecutive UDP ports the nodes use on 127.0.0.1 (5 per node); 0 picks free ports"
                          + " (default: ${DEFAULT-VALUE})")
    int basePort;

    @Option(names = "--dir", paramLabel = "DIR", description = "directory for the nodes' data, new or empty (default: a temporary directory)")
    Path dir;

    @Option(names = "--keep", description = "keep the temporary directory at the end (each node's store is under node<N>/store)")
    boolean keep;

    @Mixin
    VerboseOption verbose;

    @Override
    public Integer call() throws Exception {
        check(writes == null || duration == null, "--writes and --duration both say how long to write: give one of them");
        long count = writes == null ? (duration == null ? DEFAULT_WRITES : 0) : writes;
        check(duration != null || (count >= 2 && count <= ClusterDemoWrites.MAX_WRITES),
              "--writes must be between 2 and " + Format.count(ClusterDemoWrites.MAX_WRITES) + ", was " + Format.count(count));
        check(duration == null || (duration.compareTo(MIN_DURATION) >= 0 && duration.compareTo(MAX_DURATION) <= 0),
              "--duration must be between " + Format.duration(MIN_DURATION) + " and " + Format.duration(MAX_DURATION) + ", was "
              + (duration == null ? "" : Format.duration(duration)));
        check(inFlight >= 1 && inFlight <= MAX_IN_FLIGHT, "--in-flight must be between 1 and " + MAX_IN_FLIGHT + ", was " + inFlight);
        check(basePort == 0 || (basePort >= 1024 && basePort <= 65535 - 15),
              "--base-port must be 0 (free ports) or between 1024 and " + (65535 - 15) + ", was " + basePort);
        ClusterDemoWorkload.Config config = new ClusterDemoWorkload.Config((int) count, duration, inFlight, basePort, dir, keep);
        return new ClusterDemoWorkload(config, spec.commandLine().getOut(), spec.commandLine().getErr()).run();
    }

    private void check(boolean ok, String message) {
        if (!ok) {
            throw new ParameterException(spec.commandLine(), message);
        }
    }
}
