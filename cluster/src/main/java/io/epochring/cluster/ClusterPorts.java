package io.epochring.cluster;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The UDP ports of a cluster whose members all run on 127.0.0.1, five per member (client ingress,
 * consensus, log, catch-up, archive control), and the texts Aeron takes them in: the member list
 * the consensus modules are given and the ingress endpoints the clients are given.
 */
public final class ClusterPorts {

    /** Ports each member uses: client ingress, consensus, log, catch-up, archive control. */
    public static final int PER_MEMBER = 5;
    private final int[] ports;

    private ClusterPorts(int[] ports) {
        this.ports = ports;
    }

    /**
     * The range {@link #free} picks from: below the range the system hands out for binds to port 0
     * (from 32768 on Linux, 49152 on macOS and Windows).
     */
    static final int FREE_FROM = 10_000;
    static final int FREE_TO = 32_767;

    /**
     * @return ports that were free when picked (not reserved), at a random place below the system's
     *         ephemeral range, so that concurrent runs do not collide: a port from the ephemeral range
     *         could be handed to any bind to port 0 (the members' own Aeron endpoints, a client's
     *         egress, another process) between this pick and the member's bind, which then fails
     *         with "Address already in use"
     */
    public static ClusterPorts free(int members) {
        int[] ports = new int[members * PER_MEMBER];
        int span = FREE_TO - FREE_FROM + 1;
        int start = ThreadLocalRandom.current().nextInt(span);
        int found = 0;
        for (int tried = 0; tried < span && found < ports.length; tried++) {
            int port = FREE_FROM + (start + tried) % span;
            if (isFree(port)) {
                ports[found++] = port;
            }
        }
        if (found < ports.length) {
            throw new IllegalStateException("no " + ports.length + " free UDP ports on 127.0.0.1 in " + FREE_FROM + ".." + FREE_TO
                    + ": free some, or give the members a base port (ClusterPorts.from)");
        }
        return new ClusterPorts(ports);
    }

    private static boolean isFree(int port) {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
            return socket.getLocalPort() == port;
        } catch (SocketException e) {
            return false;
        }
    }

    /**
     * @return {@code members * 5} consecutive ports from {@code basePort}: member m uses
     * {@code basePort + 5m} to {@code basePort + 5m + 4}
     * @throws IllegalArgumentException when the range does not fit in 1024..65535
     */
    public static ClusterPorts from(int basePort, int members) {
        int last = basePort + members * PER_MEMBER - 1;
        if (members < 1 || basePort < 1024 || last > 65535) {
            throw new IllegalArgumentException("the ports of " + members + " members (" + basePort + ".." + last + ") must lie in "
                    + "1024..65535: choose another base port");
        }
        int[] ports = new int[members * PER_MEMBER];
        for (int i = 0; i < ports.length; i++) {
            ports[i] = basePort + i;
        }
        return new ClusterPorts(ports);
    }

    /** @return the ports of {@link #clusterMembers()}'s text, as a node in another process is told them */
    public static ClusterPorts parse(String clusterMembers) {
        List<Integer> ports = new ArrayList<>();
        for (String member : clusterMembers.split("\\|")) {
            if (member.isBlank()) {
                continue;
            }
            String[] fields = member.split(",");
            if (fields.length != PER_MEMBER + 1) {
                throw new IllegalArgumentException("a cluster member is id,ingress,consensus,log,catchup,archive; was '" + member + "'");
            }
            for (int i = 1; i <= PER_MEMBER; i++) {
                ports.add(Integer.parseInt(fields[i].substring(fields[i].lastIndexOf(':') + 1)));
            }
        }
        return new ClusterPorts(ports.stream().mapToInt(Integer::intValue).toArray());
    }

    /** @return how many members these ports are for */
    public int members() {
        return ports.length / PER_MEMBER;
    }

    private String endpoint(int member, int which) {
        return "127.0.0.1:" + ports[member * PER_MEMBER + which];
    }

    /** @return the client ingress endpoint of {@code member}, host:port */
    public String ingress(int member) {
        return endpoint(member, 0);
    }

    /** @return the archive control endpoint of {@code member}, host:port */
    public String archive(int member) {
        return endpoint(member, 4);
    }

    /** @return Aeron's member list: id,ingress,consensus,log,catchup,archive per member, separated by '|' */
    public String clusterMembers() {
        StringBuilder sb = new StringBuilder();
        for (int m = 0; m < members(); m++) {
            sb.append(m).append(',').append(endpoint(m, 0)).append(',').append(endpoint(m, 1)).append(',')
              .append(endpoint(m, 2)).append(',').append(endpoint(m, 3)).append(',').append(endpoint(m, 4)).append('|');
        }
        return sb.toString();
    }

    /** @return the clients' ingress endpoints: id=host:port, comma-separated */
    public String ingressEndpoints() {
        StringBuilder sb = new StringBuilder();
        for (int m = 0; m < members(); m++) {
            sb.append(m == 0 ? "" : ",").append(m).append('=').append(ingress(m));
        }
        return sb.toString();
    }
}
