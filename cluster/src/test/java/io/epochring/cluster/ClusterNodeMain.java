package io.epochring.cluster;

import io.aeron.cluster.service.Cluster;
import io.epochring.DurabilityLevel;
import io.epochring.journal.support.FileFlusher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One cluster node in a process of its own, run until it is killed: a {@link ClusterNode} under a
 * directory, with storage in a file there ({@link FileFlusher}, which survives {@code kill -9}), so a
 * restart on the same directory recovers the ring's journal and storage and then the cluster log.
 *
 * <p>Arguments: member id, node directory, the cluster's members (see {@link ClusterPorts#clusterMembers()}).
 *
 * <p>It reports on stdout, one line each, whenever something changes (checked every 5 ms):
 * <pre>
 *  WAITING ...                  a restart waits for the killed run's Aeron mark files to go stale (10 s)
 *  STARTED &lt;pid&gt;               the cluster parts are up (the service may still be catching up)
 *  ROLE &lt;LEADER|FOLLOWER|CANDIDATE&gt;  the service's role, also once after STARTED
 *  JOURNALED &lt;epoch&gt;           the ring's JOURNALED watermark: what this node keeps through kill -9
 *  FAILED &lt;message&gt;            the service stopped applying the log (then the process exits with 2)
 * </pre>
 * Errors the Aeron parts report go to stderr.
 */
public final class ClusterNodeMain {

    private static final long REPORT_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(5);

    private ClusterNodeMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: ClusterNodeMain <member id> <node directory> <cluster members>");
            System.exit(64);
        }
        int memberId = Integer.parseInt(args[0]);
        Path dir = Files.createDirectories(Path.of(args[1]));
        ClusterPorts ports = ClusterPorts.parse(args[2]);
        ChildNode.awaitStaleMarkFiles(dir, ClusterNodeMain::report);
        ClusterNode node = new ClusterNode(memberId, dir, ports, ports.ingressEndpoints(),
                                           new FileFlusher(dir.resolve("storage.txt"))).start();
        report("STARTED " + ProcessHandle.current().pid());

        // Reports are polled rather than pushed from the service's callbacks, so the service stays as in production.
        Cluster.Role role = null;
        long journaled = -1;
        int errorsReported = 0;
        while (true) {
            List<Throwable> errors = node.errors();
            for (; errorsReported < errors.size(); errorsReported++) {
                System.err.println("Aeron error on node " + memberId + ":");
                errors.get(errorsReported).printStackTrace();
            }
            Optional<ClusterStateException> failure = node.service().failure();
            if (failure.isPresent()) {
                report("FAILED " + failure.get().getMessage().replace('\n', ' '));
                System.exit(2);
            }
            Cluster.Role nowRole = node.service().role();
            if (nowRole != role) {
                role = nowRole;
                report("ROLE " + role);
            }
            long nowJournaled = node.ring().watermark(DurabilityLevel.JOURNALED);
            if (nowJournaled != journaled) {
                journaled = nowJournaled;
                report("JOURNALED " + journaled);
            }
            LockSupport.parkNanos(REPORT_INTERVAL_NS);
        }
    }

    private static void report(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
