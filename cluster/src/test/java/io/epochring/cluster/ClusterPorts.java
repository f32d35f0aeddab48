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
