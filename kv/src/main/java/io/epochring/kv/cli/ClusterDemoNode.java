package io.epochring.kv.cli;

import io.aeron.cluster.service.Cluster;
import io.epochring.DurabilityLevel;
import io.epochring.cluster.ChildNode;
import io.epochring.cluster.ClusterMember;
import io.epochring.cluster.ClusterPorts;
import io.epochring.cluster.ClusterStateException;
import io.epochring.cluster.EpochRingClusteredService;
import io.epochring.kv.KvCodec;
import io.epochring.kv.KvOptions;
import io.epochring.kv.KvStore;
import io.epochring.kv.KvWrite;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One node of {@code epochring cluster-demo}, in a JVM of its own: a {@link KvStore} (journal and
 * RocksDB under {@code <node dir>/store}) whose ring applies the cluster log through an
 * {@link EpochRingClusteredService}, and the Aeron parts of a {@link ClusterMember} under the node
 * directory. {@link ClusterDemoProcess} starts it, and starts it again on the same directory after
 * a {@code kill -9} (then the store recovers its journal and the cluster log catches it up); it is
 * not meant to be run by hand.
 *
 * <p>Arguments: member id, node directory, the cluster's members ({@link ClusterPorts#clusterMembers()}).
 *
 * <p>It reports on stdout, one line each, whenever something changes (checked every 5 ms):
 * <pre>
 *  WAITING ...                  a restart waits for the killed run's Aeron mark files to be 10 s old
 *  STARTED &lt;pid&gt;               the store and the cluster parts are up
 *  ROLE &lt;LEADER|FOLLOWER|CANDIDATE&gt;  the service's role
 *  JOURNALED &lt;epoch&gt;           the ring's JOURNALED watermark; the first, before WAITING and STARTED, is what
 *                               the store recovered from its own journal
 *  FAILED &lt;message&gt;            the node cannot go on (then the process exits with 2)
 *  STOPPED                      after a line STOP (or the end) on stdin: the cluster parts and the store are closed
 * </pre>
 * Errors the Aeron parts report go to stderr. The end of stdin stops the node too, so that a
 * node never outlives the tool that started it.
 */
final class ClusterDemoNode {

    /** The line on stdin that stops the node. */
    static final String STOP = "STOP";

    private static final long REPORT_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final PrintStream OUT = new PrintStream(System.out, true, StandardCharsets.UTF_8);

    private static volatile boolean stopRequested;

    private ClusterDemoNode() {
    }

    /** Runs the node until STOP or the end of stdin; exits with 0 after a clean stop, 2 when the node failed. */
    public static void main(String[] args) {
        if (args.length != 3) {
            System.err.println("usage: ClusterDemoNode <member id> <node directory> <cluster members>");
            System.exit(EpochRingCli.USAGE);
        }
        try {
            run(Integer.parseInt(args[0]), Path.of(args[1]), ClusterPorts.parse(args[2]));
            System.exit(EpochRingCli.OK);
        } catch (Throwable e) {
            report("FAILED " + EpochRingCli.oneLine(e));
            e.printStackTrace();
            System.exit(EpochRingCli.USAGE);
        }
    }

    private static void run(int memberId, Path dir, ClusterPorts ports) throws IOException {
        Files.createDirectories(dir);
        Thread stdin = new Thread(ClusterDemoNode::awaitStop, "stdin");
        stdin.setDaemon(true);
        stdin.start();
        Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
        try (KvStore store = KvStore.open(dir.resolve("store"), KvOptions.builder().name("node" + memberId).build())) {
            // What the store recovered from its own journal, before the cluster log brings more: a restart's starting point.
            report("JOURNALED " + store.watermark(DurabilityLevel.JOURNALED));
            // A restart after kill -9: Aeron refuses the directory until the killed process's mark files are 10 s old.
            // The store opens (and recovers its journal) first, so that its seconds are spent during that wait.
            ChildNode.awaitStaleMarkFiles(dir, ClusterDemoNode::report);
            EpochRingClusteredService<KvWrite> service = new EpochRingClusteredService<>(store.ring(), KvOptions.DEFAULT_CHANNEL,
                                                                                          KvCodec.INSTANCE);
            try (ClusterMember member = ClusterMember.launch(memberId, dir, ports, service, errors::add)) {
                report("STARTED " + ProcessHandle.current().pid());
                reportUntilStopped(memberId, store, service, errors);
            }
        }
        report("STOPPED");
    }

    /** Reports are polled rather than pushed from the service's callbacks, so the service stays as in production. */
    private static void reportUntilStopped(int memberId, KvStore store, EpochRingClusteredService<KvWrite> service,
                                           Queue<Throwable> errors) {
        Cluster.Role role = null;
        long journaled = -1;
        while (!stopRequested) {
            for (Throwable error; (error = errors.poll()) != null; ) {
                System.err.println("Aeron error on node " + memberId + ":");
                error.printStackTrace();
            }
            Optional<ClusterStateException> failure = service.failure();
            if (failure.isPresent()) {
                throw failure.get();
            }
            Cluster.Role nowRole = service.role();
            if (nowRole != null && nowRole != role) {
                role = nowRole;
                report("ROLE " + role);
            }
            long nowJournaled = store.watermark(DurabilityLevel.JOURNALED);
            if (nowJournaled != journaled) {
                journaled = nowJournaled;
                report("JOURNALED " + journaled);
            }
            LockSupport.parkNanos(REPORT_INTERVAL_NS);
        }
    }

    private static void awaitStop() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.strip().equals(STOP)) {
                    break;
                }
            }
        } catch (IOException e) {
            // stdin gone: the tool that started this node is gone too
        }
        stopRequested = true;
    }

    private static void report(String line) {
        OUT.println(line);
        OUT.flush();
    }
}
