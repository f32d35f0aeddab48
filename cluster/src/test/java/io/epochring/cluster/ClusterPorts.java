package io.epochring.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The UDP ports of a test cluster on 127.0.0.1, five per member (client ingress, consensus, log,
 * catch-up, archive control), picked free by the system so that concurrent builds do not collide.
 */
final class ClusterPorts {

    private static final int PER_MEMBER = 5;
    private final int[] ports;

    private ClusterPorts(int[] ports) {
        this.ports = ports;
    }

    static ClusterPorts free(int members) {
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

    /** @return the ports of {@link #clusterMembers()}'s text, as a node in another process is told them */
    static ClusterPorts parse(String clusterMembers) {
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

    private String endpoint(int member, int which) {
        return "127.0.0.1:" + ports[member * PER_MEMBER + which];
    }

    String ingress(int member) {
        return endpoint(member, 0);
    }

    String archive(int member) {
        return endpoint(member, 4);
    }

    /** Aeron's member list: id,ingress,consensus,log,catchup,archive per member, separated by '|'. */
    String clusterMembers() {
        StringBuilder sb = new StringBuilder();
        for (int m = 0; m < ports.length / PER_MEMBER; m++) {
            sb.append(m).append(',').append(endpoint(m, 0)).append(',').append(endpoint(m, 1)).append(',')
              .append(endpoint(m, 2)).append(',').append(endpoint(m, 3)).append(',').append(endpoint(m, 4)).append('|');
        }
        return sb.toString();
    }

    /** The clients' ingress endpoints: id=host:port, comma-separated. */
    String ingressEndpoints() {
        StringBuilder sb = new StringBuilder();
        for (int m = 0; m < ports.length / PER_MEMBER; m++) {
            sb.append(m == 0 ? "" : ",").append(m).append('=').append(ingress(m));
        }
        return sb.toString();
    }
}
