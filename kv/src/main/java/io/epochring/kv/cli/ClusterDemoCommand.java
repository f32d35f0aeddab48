package io.epochring.kv.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code epochring cluster-demo}: parses and checks the options, then runs a {@link ClusterDemoWorkload}.
 */
@Command(name = "cluster-demo", mixinStandardHelpOptions = true, sortOptions = false,
         description = {"Starts a cluster of 3 nodes on 127.0.0.1, each a JVM of its own (Aeron Cluster, and a journaled",
                        "RocksDB store whose ring applies the cluster log), writes puts through a ClusterWriter awaiting REPLICATED,",
                        "kills the leader with kill -9 half-way, and goes on with the other two. Prints the failover time (from the",
                        "kill to the first write acknowledged by the new leader), throughput before and after, REPLICATED latency,",
                        "then stops the nodes and reads every node's journal and store back: exit code 1 unless all hold the same",
                        "writes in the same order and every acknowledged write is there once, at its epoch."})
final class ClusterDemoCommand implements Callable<Integer> {

    /** Above this many writes in flight the cluster no longer recognises a write sent again to a new leader. */
    static final int MAX_IN_FLIGHT = io.epochring.cluster.ClusterWriter.MAX_IN_FLIGHT / 2;

    @Spec
    CommandSpec spec;

    @Option(names = "--writes", paramLabel = "N", converter = Converters.Count.class, defaultValue = "20000",
            description = "puts in all, the leader is killed after half of them (default: ${DEFAULT-VALUE}); accepts 20_000 or 20k")
    long writes;

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
        check(writes >= 2 && writes <= 10_000_000, "--writes must be between 2 and 10,000,000, was " + Format.count(writes));
        check(inFlight >= 1 && inFlight <= MAX_IN_FLIGHT, "--in-flight must be between 1 and " + MAX_IN_FLIGHT + ", was " + inFlight);
        check(basePort == 0 || (basePort >= 1024 && basePort <= 65535 - 15),
              "--base-port must be 0 (free ports) or between 1024 and " + (65535 - 15) + ", was " + basePort);
        ClusterDemoWorkload.Config config = new ClusterDemoWorkload.Config((int) writes, inFlight, basePort, dir, keep);
        return new ClusterDemoWorkload(config, spec.commandLine().getOut(), spec.commandLine().getErr()).run();
    }

    private void check(boolean ok, String message) {
        if (!ok) {
            throw new ParameterException(spec.commandLine(), message);
        }
    }
}
