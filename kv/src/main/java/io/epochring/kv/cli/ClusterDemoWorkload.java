package io.epochring.kv.cli;

import io.aeron.cluster.client.AeronCluster;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.epochring.cluster.ClusterMember;
import io.epochring.cluster.ClusterPorts;
import io.epochring.cluster.ClusterWriter;
import io.epochring.kv.KvCodec;
import io.epochring.kv.KvWrite;
import org.HdrHistogram.Histogram;
import org.agrona.CloseHelper;
import org.agrona.concurrent.BackoffIdleStrategy;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Runs {@code epochring cluster-demo}: three {@link ClusterDemoNode}s in child JVMs, one
 * {@link ClusterWriter} in this JVM (with its own media driver) keeping up to {@code --in-flight}
 * puts awaiting REPLICATED, a {@code kill -9} of the leader once half the puts were submitted (or
 * half the {@code --duration} went by), then the rest on the two survivors while the killed node,
 * restarted on its directory once the failover is measured ({@link ClusterDemoRestart}), catches
 * up; a wait until it journaled the last acknowledged epoch, a clean stop of all three, and
 * {@link ClusterDemoVerification} of every node's journal and store.
 */
final class ClusterDemoWorkload {

    private static final String WHY_EMPTY = "the cluster demo starts new nodes, so it needs a new or empty directory";

    /** The options, checked: either {@code writes} (above 0) or {@code duration} (not null). */
    record Config(int writes, Duration duration, int inFlight, int basePort, Path dir, boolean keep) {

        /** @return whether the leader is to be killed before write {@code i}, {@code elapsedNs} after the first */
        boolean killDue(int i, long elapsedNs) {
            return duration == null ? i >= writes / 2 : elapsedNs >= duration.toNanos() / 2;
        }

        /** @return whether write {@code i}, {@code elapsedNs} after the first, is one too many */
        boolean done(int i, long elapsedNs) {
            return duration == null ? i >= writes : elapsedNs >= duration.toNanos() || i >= ClusterDemoWrites.MAX_WRITES;
        }

        String describe() {
            return duration == null ? Format.count(writes) + " puts" : "puts for " + Format.duration(duration);
        }
    }

    static final int NODES = 3;
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final long MAX_LATENCY_NS = TimeUnit.MINUTES.toNanos(10);

    private final Config config;
    private final PrintWriter out;
    private final PrintWriter err;
    private final List<ClusterDemoProcess> nodes = new CopyOnWriteArrayList<>();

    ClusterDemoWorkload(Config config, PrintWriter out, PrintWriter err) {
        this.config = config;
        this.out = out;
        this.err = err;
    }

    /** @return OK when the verification passed, FAILURE otherwise */
    int run() throws Exception {
        boolean temporary = config.dir() == null;
        Path dir = temporary ? Files.createTempDirectory("epochring-cluster-demo-") : StoreDirectory.prepareEmpty(config.dir(), WHY_EMPTY);
        boolean keep = config.keep() || !temporary;
        // Ctrl-C: the nodes would stop by themselves at the end of their stdin; this also removes a temporary directory.
        Thread interrupted = new Thread(() -> {
            nodes.forEach(ClusterDemoProcess::close);
            if (!keep) {
                delete(dir);
            }
        }, "epochring-cluster-demo-shutdown");
        Runtime.getRuntime().addShutdownHook(interrupted);
        try {
            out.println(String.format(Locale.ROOT, "EpochRing cluster demo: %d nodes on 127.0.0.1, each a JVM of its own; %s awaiting"
                                      + " REPLICATED, %d in flight; kill -9 of the leader %s, then its restart", NODES, config.describe(),
                                      config.inFlight(), config.duration() == null ? "after half" : "at half time"));
            out.println("  data        " + dir + " (node<N>/store: journal + RocksDB; node<N>/archive: the cluster log)");
            out.flush();
            return runIn(dir);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(interrupted);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: the hook does the rest
            }
            nodes.forEach(ClusterDemoProcess::close);
            if (keep) {
                out.println("  kept        " + dir + "  (try: epochring inspect --dir " + dir.resolve("node0").resolve("store") + " --limit 10)");
            } else {
                delete(dir);
            }
            out.flush();
        }
    }

    private int runIn(Path dir) throws Exception {
        ClusterPorts ports = config.basePort() == 0 ? ClusterPorts.free(NODES) : ClusterPorts.from(config.basePort(), NODES);
        long startingNs = System.nanoTime();
        for (int m = 0; m < NODES; m++) {
            nodes.add(ClusterDemoProcess.start(m, dir.resolve("node" + m), ports.clusterMembers()));
        }
        await("the nodes to start and elect a leader", () -> nodes.stream().allMatch(ClusterDemoProcess::started) && leader() != null);
        out.println("  nodes       " + describeNodes() + ", up in " + Format.seconds(System.nanoTime() - startingNs));
        out.println("              client ingress " + ports.ingressEndpoints());
        out.flush();

        ClusterDemoWrites writes = new ClusterDemoWrites();
        Kill kill = new Kill();
        long endNs;
        try (MediaDriver client = MediaDriver.launch(new MediaDriver.Context()
                .aeronDirectoryName(dir.resolve("client-aeron").toString())
                .threadingMode(ThreadingMode.SHARED)
                .sharedIdleStrategy(new BackoffIdleStrategy())
                .termBufferSparseFile(true)
                .publicationTermBufferLength(256 * 1024)
                .ipcTermBufferLength(256 * 1024)
                .dirDeleteOnStart(true)
                .dirDeleteOnShutdown(true));
             ClusterWriter<KvWrite> writer = ClusterWriter.connect(new AeronCluster.Context()
                     .aeronDirectoryName(client.aeronDirectoryName())
                     .ingressChannel("aeron:udp")
                     .ingressEndpoints(ports.ingressEndpoints())
                     .egressChannel("aeron:udp?endpoint=127.0.0.1:0")
                     .messageTimeoutNs(WAIT.toNanos()), KvCodec.INSTANCE, new BackoffIdleStrategy())) {
            write(writer, writes, ports.clusterMembers(), kill);
            endNs = lastAcknowledgement(writes);
            long lastEpoch = writes.maxEpoch();
            awaitCatchUp(kill.restart, lastEpoch);
            await("every node to journal the same last epoch, at least " + lastEpoch, () -> {
                long first = nodes.get(0).journaled();
                return first >= lastEpoch && nodes.stream().allMatch(n -> n.journaled() == first);
            });
            kill.resent = writer.resentWrites();
            kill.newLeader = writer.leaderMemberId();
        } finally {
            if (kill.restart != null) {
                kill.restart.close();
            }
        }
        // All at once: each node's stop is mostly its store's flush and close, which need not wait for the others'.
        nodes.forEach(ClusterDemoProcess::requestStop);
        for (ClusterDemoProcess node : nodes) {
            node.awaitStopped(WAIT.toSeconds());
        }

        printRun(writes, kill, endNs);
        List<ClusterDemoVerification.Node> verified = nodes.stream()
                .map(n -> new ClusterDemoVerification.Node(n.memberId(), n.dir(), n.memberId() == kill.memberId)).toList();
        ClusterDemoVerification.Result result = ClusterDemoVerification.verify(verified, writes);
        for (int l = 0; l < result.lines().size(); l++) {
            out.println((l == 0 ? "  verify      " : "              ") + result.lines().get(l));
        }
        for (String problem : result.problems()) {
            out.println("              problem: " + problem);
        }
        out.println("  result      " + (result.ok() ? "OK" : "FAILED: the nodes do not hold what the writer was told"));
        out.flush();
        return result.ok() ? EpochRingCli.OK : EpochRingCli.FAILURE;
    }

    /** The leader's kill and its restart: who, when, and what the writer had seen by then. */
    private static final class Kill {
        int memberId = -1;
        long pid;
        long atNs;
        int acknowledgedBefore;
        long leaderChangesBefore;
        long resent;
        int newLeader = -1;
        ClusterDemoProcess killed;
        ClusterDemoRestart restart;

        boolean done() {
            return killed != null;
        }
    }

    /**
     * Submits the writes, keeping {@code --in-flight} awaiting REPLICATED; kills the leader half-way, and
     * restarts it once a new leader has acknowledged a write (the failover is then measured), so that it
     * catches up while the rest of the writes go on.
     */
    private void write(ClusterWriter<KvWrite> writer, ClusterDemoWrites writes, String clusterMembers, Kill kill) throws Exception {
        Semaphore window = new Semaphore(config.inFlight());
        long firstNs = System.nanoTime();
        for (int i = 0; !config.done(i, System.nanoTime() - firstNs); i++) {
            if (!kill.done() && config.killDue(i, System.nanoTime() - firstNs)) {
                killLeader(writer, writes, kill);
            }
            if (kill.done() && kill.restart == null && writes.maxAcknowledgedLeaderChanges() > kill.leaderChangesBefore) {
                restart(kill, clusterMembers, writes);
            }
            if (!window.tryAcquire(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("no write was answered for " + WAIT.toSeconds() + " s: the cluster has no leader;"
                                                + " see the node.err files under the data directory (--keep keeps them)");
            }
            int index = i;
            writes.submitted(i, System.nanoTime());
            writer.write(ClusterDemoWrites.write(i)).whenComplete((epoch, error) -> {
                writes.completed(index, epoch, error, writer.leaderChanges());
                window.release();
            });
        }
        // Every permit back: every write has its answer (failed writes are outcomes, recorded as they complete).
        if (!window.tryAcquire(config.inFlight(), WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(writer.pendingWrites() + " writes had no answer " + WAIT.toSeconds() + " s after the last"
                                            + " was sent; see the node.err files under the data directory (--keep keeps them)");
        }
        if (!kill.done()) {
            throw new IllegalStateException("the writes ended before the leader was killed; give more --writes or a longer --duration");
        }
        if (kill.restart == null) {
            // So few writes that the last answers came before a new leader's: the failover happened all the same.
            restart(kill, clusterMembers, writes);
        }
        kill.restart.writesEnded();
    }

    private void killLeader(ClusterWriter<KvWrite> writer, ClusterDemoWrites writes, Kill kill) throws InterruptedException {
        // A kill while a journal creates its first files can leave Chronicle's metadata file empty, and the journal unreadable.
        await("every node to journal its first write", () -> nodes.stream().allMatch(n -> n.journaled() >= 1));
        await("the writer and the nodes to agree on the leader",
              () -> leader() != null && writer.leaderMemberId() == leader().memberId());
        ClusterDemoProcess leader = leader();
        kill.memberId = leader.memberId();
        kill.pid = leader.pid();
        kill.acknowledgedBefore = writes.acknowledgedSoFar();
        kill.leaderChangesBefore = writer.leaderChanges();
        kill.atNs = System.nanoTime();
        leader.kill();
        kill.killed = leader;
    }

    /** Starts the killed node again on its directory, in its place in the list of nodes. */
    private void restart(Kill kill, String clusterMembers, ClusterDemoWrites writes) throws IOException {
        kill.restart = ClusterDemoRestart.start(kill.killed, kill.atNs, clusterMembers, writes);
        nodes.set(nodes.indexOf(kill.killed), kill.restart.node());
    }

    /** Waits until the restarted node journaled {@code lastEpoch}, the highest acknowledged, and has said so. */
    private void awaitCatchUp(ClusterDemoRestart restart, long lastEpoch) {
        ClusterDemoProcess node = restart.node();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!restart.caughtUp() || node.journaled() < lastEpoch) {
            if (node.problem() != null) {
                throw new IllegalStateException("the restarted " + node.problem());
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("node " + node.memberId() + ", restarted on its directory, journaled epoch "
                                                + Format.count(Math.max(node.journaled(), 0)) + " but not the last acknowledged, "
                                                + Format.count(lastEpoch) + ", within " + WAIT.toSeconds() + " s: it did not catch up; see "
                                                + node.dir().resolve("node.err") + " and node.log there (--keep keeps them)");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    private void printRun(ClusterDemoWrites writes, Kill kill, long endNs) {
        long firstNs = writes.submittedNs(0);
        // An answer the old leader sent just before the kill may arrive after it: only one received after the writer moved counts.
        long firstNewLeaderNs = Long.MAX_VALUE;
        long before = 0;
        for (int i = 0; i < writes.count(); i++) {
            if (writes.outcome(i) != ClusterDemoWrites.Outcome.ACKNOWLEDGED) {
                continue;
            }
            if (writes.completedNs(i) < kill.atNs) {
                before++;
            } else if (writes.leaderChanges(i) > kill.leaderChangesBefore) {
                firstNewLeaderNs = Math.min(firstNewLeaderNs, writes.completedNs(i));
            }
        }
        out.println("  kill -9     leader node " + kill.memberId + " (pid " + kill.pid + ") after " + Format.count(kill.acknowledgedBefore)
                    + " acknowledged writes; the other two go on");
        if (firstNewLeaderNs == Long.MAX_VALUE) {
            out.println("  failover    no write was acknowledged by a new leader");
            printRestart(kill);
        } else {
            out.println("  failover    " + Format.millis(firstNewLeaderNs - kill.atNs) + " from the kill to the first write acknowledged by the"
                        + " new leader, node " + kill.newLeader);
            out.println("              (followers wait " + Format.duration(ClusterMember.LEADER_HEARTBEAT_TIMEOUT) + " without heartbeats"
                        + " before they elect one); " + Format.count(kill.resent) + " writes in flight sent again to it");
            printRestart(kill);
            long after = 0;
            for (int i = 0; i < writes.count(); i++) {
                if (writes.outcome(i) == ClusterDemoWrites.Outcome.ACKNOWLEDGED && writes.completedNs(i) >= firstNewLeaderNs) {
                    after++;
                }
            }
            out.println("  throughput  before the kill    " + Format.count(before) + " writes in " + Format.seconds(kill.atNs - firstNs) + " = "
                        + Format.rate(before, kill.atNs - firstNs) + " writes/s");
            out.println("              after the failover " + Format.count(after) + " writes in " + Format.seconds(endNs - firstNewLeaderNs)
                        + " = " + Format.rate(after, endNs - firstNewLeaderNs) + " writes/s");
        }
        printLatency(writes, kill, firstNewLeaderNs);
        out.println("  outcomes    " + Format.count(writes.count(ClusterDemoWrites.Outcome.ACKNOWLEDGED)) + " acknowledged REPLICATED, "
                    + Format.count(writes.count(ClusterDemoWrites.Outcome.UNKNOWN)) + " unknown outcome, "
                    + Format.count(writes.count(ClusterDemoWrites.Outcome.NOT_SENT)) + " not sent (refused while no leader was reachable)");
        out.flush();
    }

    private void printRestart(Kill kill) {
        for (String line : kill.restart.describe()) {
            out.println(line);
        }
    }

    /** All acknowledged writes, and those not in flight across the failover (which wait for the election). */
    private void printLatency(ClusterDemoWrites writes, Kill kill, long firstNewLeaderNs) {
        Histogram all = new Histogram(MAX_LATENCY_NS, 3);
        Histogram steady = new Histogram(MAX_LATENCY_NS, 3);
        for (int i = 0; i < writes.count(); i++) {
            if (writes.outcome(i) != ClusterDemoWrites.Outcome.ACKNOWLEDGED) {
                continue;
            }
            long latency = Math.min(writes.completedNs(i) - writes.submittedNs(i), MAX_LATENCY_NS);
            all.recordValue(latency);
            if (writes.completedNs(i) < kill.atNs || writes.submittedNs(i) >= firstNewLeaderNs) {
                steady.recordValue(latency);
            }
        }
        out.println("  latency     us from submit to REPLICATED (acknowledged by the leader's service), " + config.inFlight()
                    + " in flight");
        out.println(String.format(Locale.ROOT, "              %-22s %9s %9s %9s %9s %9s", "writes", "count", "p50", "p99", "p99.9", "max"));
        row("all", all);
        row("not across the kill", steady);
    }

    private void row(String name, Histogram h) {
        out.println(String.format(Locale.ROOT, "              %-22s %9s %9s %9s %9s %9s", name, Format.count(h.getTotalCount()),
                                  Format.micros(h.getValueAtPercentile(50)), Format.micros(h.getValueAtPercentile(99)),
                                  Format.micros(h.getValueAtPercentile(99.9)), Format.micros(h.getMaxValue())));
    }

    /** @return when the last acknowledgement came */
    private static long lastAcknowledgement(ClusterDemoWrites writes) {
        long last = 0;
        for (int i = 0; i < writes.count(); i++) {
            if (writes.outcome(i) == ClusterDemoWrites.Outcome.ACKNOWLEDGED) {
                last = Math.max(last, writes.completedNs(i));
            }
        }
        return last;
    }

    private String describeNodes() {
        StringBuilder sb = new StringBuilder();
        for (ClusterDemoProcess node : nodes) {
            sb.append(sb.length() == 0 ? "" : ", ").append("node ").append(node.memberId()).append(" pid ").append(node.pid())
              .append(node.isLeader() ? " (leader)" : "");
        }
        return sb.toString();
    }

    private ClusterDemoProcess leader() {
        return nodes.stream().filter(ClusterDemoProcess::isLeader).findFirst().orElse(null);
    }

    /** Polls every millisecond until {@code condition} holds; fails at once when a running node failed or ended by itself. */
    private void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            for (ClusterDemoProcess node : nodes) {
                String problem = node.problem();
                if (problem != null && !node.isKilled()) {
                    throw new IllegalStateException("waiting for " + what + ": " + problem);
                }
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("waited " + WAIT.toSeconds() + " s for " + what + " in vain; the machine may be overloaded:"
                                                + " see the node.err files under the data directory (--keep keeps them)");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    private void delete(Path dir) {
        try {
            DemoShutdown.deleteTree(dir);
        } catch (IOException e) {
            err.println("epochring cluster-demo: could not delete " + dir + " (" + e.getMessage() + "); delete it by hand");
        }
    }
}
