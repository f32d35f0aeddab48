package io.epochring.bench;

import io.aeron.cluster.client.AeronCluster;
import io.aeron.cluster.service.Cluster;
import io.epochring.cluster.ClusterWriter;
import org.agrona.CloseHelper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
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
    /** Five UDP ports per member: client ingress, consensus, log, catch-up, archive control. */
    private static final int PORTS_PER_MEMBER = 5;

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
     * leader and connects a writer.
     */
    static ReplicaCluster start(String name, String idle, int payloadBytes) {
        Path directory = QueueDirectories.create(name);
        List<ReplicaNode> nodes = new ArrayList<>();
        try {
            int[] ports = freePorts(MEMBERS * PORTS_PER_MEMBER);
            String members = members(ports);
            for (int m = 0; m < MEMBERS; m++) {
                nodes.add(ReplicaNode.start(m, directory.resolve("node" + m), members, endpoint(ports, m, 4), idle, payloadBytes));
            }
            ReplicaNode client = awaitFollowerOfElectedLeader(nodes);
            ClusterWriter<Long> writer = ClusterWriter.connect(new AeronCluster.Context()
                    .aeronDirectoryName(client.aeronDirectoryName())
                    .ingressChannel("aeron:udp")
                    .ingressEndpoints(ingressEndpoints(ports))
                    .egressChannel("aeron:udp?endpoint=127.0.0.1:0")
                    .messageTimeoutNs(ELECTION_TIMEOUT.toNanos()), new FixedSizeCodec(payloadBytes));
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

    /** Ports picked free by the system (bound, then released), so concurrent runs do not collide. */
    private static int[] freePorts(int count) {
        List<DatagramSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("could not find free UDP ports on 127.0.0.1 for the benchmark cluster (" + e + ")", e);
        } finally {
            sockets.forEach(DatagramSocket::close);
        }
    }

    private static String endpoint(int[] ports, int member, int which) {
        return "127.0.0.1:" + ports[member * PORTS_PER_MEMBER + which];
    }

    /** Aeron's member list: id,ingress,consensus,log,catchup,archive per member, separated by '|'. */
    private static String members(int[] ports) {
        StringBuilder s = new StringBuilder();
        for (int m = 0; m < MEMBERS; m++) {
            s.append(m);
            for (int which = 0; which < PORTS_PER_MEMBER; which++) {
                s.append(',').append(endpoint(ports, m, which));
            }
            s.append('|');
        }
        return s.toString();
    }

    /** The clients' ingress endpoints: id=host:port, comma-separated. */
    private static String ingressEndpoints(int[] ports) {
        StringBuilder s = new StringBuilder();
        for (int m = 0; m < MEMBERS; m++) {
            s.append(m == 0 ? "" : ",").append(m).append('=').append(endpoint(ports, m, 0));
        }
        return s.toString();
    }
}
