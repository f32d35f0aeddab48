package io.epochring.bench;

import io.aeron.cluster.client.AeronCluster;
import io.aeron.cluster.service.Cluster;
import io.epochring.cluster.ClusterPorts;
import io.epochring.cluster.ClusterWriter;
import org.agrona.CloseHelper;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The replication benchmarks' cluster: three {@link ReplicaNode}s in this JVM on 127.0.0.1, in a
 * fresh directory, and one {@link ClusterWriter} connected to them once they elected a leader.
 * Closing it closes the writer, the nodes, and deletes the directory.
 *
 * <p>The writer goes through a follower's media driver, as a client on another machine would go
 * through its own: its writes and the leader's replies cross the network stack between two
 * drivers, on loopback here.
 */
final class ReplicaCluster implements AutoCloseable {

    static final int MEMBERS = 3;
    /** How long setup waits for a leader; an election of three fresh nodes takes well under a second here. */
    static final Duration ELECTION_TIMEOUT = Duration.ofSeconds(60);

    final ClusterWriter<Long> writer;
    private final List<ReplicaNode> nodes;
    private final Path directory;

    private ReplicaCluster(Path directory, List<ReplicaNode> nodes, ClusterWriter<Long> writer) {
        this.directory = directory;
        this.nodes = nodes;
        this.writer = writer;
    }

    /**
     * Starts three nodes whose Aeron agents idle with {@code idle} ({@link AeronIdle}), waits for a
     * leader and connects a writer whose egress poller idles the same way.
     */
    static ReplicaCluster start(String name, String idle, int payloadBytes) {
        Path directory = QueueDirectories.create(name);
        List<ReplicaNode> nodes = new ArrayList<>();
        try {
            ClusterPorts ports = ClusterPorts.free(MEMBERS);
            for (int m = 0; m < MEMBERS; m++) {
                nodes.add(ReplicaNode.start(m, directory.resolve("node" + m), ports, idle, payloadBytes));
            }
            ReplicaNode client = awaitFollowerOfElectedLeader(nodes);
            // The writer's egress poller idles as the nodes' agents do: it is one more hop of the same path.
            ClusterWriter<Long> writer = ClusterWriter.builder(new FixedSizeCodec(payloadBytes))
                    .pollIdle(AeronIdle.supplier(idle).get())
                    .connect(new AeronCluster.Context()
                    .aeronDirectoryName(client.aeronDirectoryName())
                    .ingressChannel("aeron:udp")
                    .ingressEndpoints(ports.ingressEndpoints())
                    .egressChannel("aeron:udp?endpoint=127.0.0.1:0")
                    .messageTimeoutNs(ELECTION_TIMEOUT.toNanos()));
            return new ReplicaCluster(directory, nodes, writer);
        } catch (RuntimeException | Error e) {
            closeAll(nodes);
            QueueDirectories.delete(directory);
            throw e;
        }
    }

    /** Waits (parking, setup only) until one node is the leader; @return another node. */
    private static ReplicaNode awaitFollowerOfElectedLeader(List<ReplicaNode> nodes) {
        long deadline = System.nanoTime() + ELECTION_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            for (ReplicaNode node : nodes) {
                if (node.service().role() == Cluster.Role.LEADER) {
                    return nodes.stream().filter(n -> n != node).findFirst().orElseThrow();
                }
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        List<Throwable> errors = nodes.stream().flatMap(n -> n.errors().stream()).toList();
        throw new IllegalStateException("the benchmark cluster elected no leader within " + ELECTION_TIMEOUT
                                        + "; Aeron reported " + (errors.isEmpty() ? "no errors" : errors));
    }

    @Override
    public void close() {
        try {
            CloseHelper.close(writer);
            closeAll(nodes);
        } finally {
            QueueDirectories.delete(directory);
        }
    }

    private static void closeAll(List<ReplicaNode> nodes) {
        CloseHelper.closeAll(nodes);
    }
}
