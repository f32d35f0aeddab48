package io.epochring.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

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

    /** @return ports picked free by the system, so that concurrent runs do not collide (free now, not reserved) */
    public static ClusterPorts free(int members) {
        List<DatagramSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[members * PER_MEMBER];
            for (int i = 0; i < ports.length; i++) {
                DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return new ClusterPorts(ports);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            sockets.forEach(DatagramSocket::close);
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
