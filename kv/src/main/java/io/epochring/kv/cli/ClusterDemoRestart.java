package io.epochring.kv.cli;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The killed node of {@code cluster-demo} started again on its own directory, and a daemon thread
 * that watches it catch up: when it is up (its process first waits until Aeron accepts the killed
 * run's mark files, 10 s after the kill), and when its journal first reaches the highest epoch the
 * writer had been acknowledged (a moving target while the writes go on, so within 100 ms of it).
 */
final class ClusterDemoRestart implements AutoCloseable {

    private static final long POLL_NS = TimeUnit.MILLISECONDS.toNanos(1);
    /** How far behind the writer's acknowledgements a node may be and count as caught up while the writes go on. */
    static final long LAG_NS = TimeUnit.MILLISECONDS.toNanos(100);

    private final ClusterDemoProcess node;
    private final ClusterDemoWrites writes;
    private final long killedNs;
    private final long restartNs;
    private final Thread watcher;
    private volatile boolean writing = true;
    private volatile boolean closed;
    private volatile long recoveredEpoch = -1;
    private volatile long upNs;
    private volatile long caughtUpNs;
    private volatile long caughtUpEpoch;
    private volatile boolean caughtUpWhileWriting;

    private ClusterDemoRestart(ClusterDemoProcess node, ClusterDemoWrites writes, long killedNs) {
        this.node = node;
        this.writes = writes;
        this.killedNs = killedNs;
        this.restartNs = System.nanoTime();
        watcher = new Thread(this::watch, "node" + node.memberId() + "-catch-up");
        watcher.setDaemon(true);
    }

    /** Starts {@code killed}'s node again on its directory, and watches it catch up. */
    static ClusterDemoRestart start(ClusterDemoProcess killed, long killedNs, String clusterMembers, ClusterDemoWrites writes)
            throws IOException {
        ClusterDemoProcess node = ClusterDemoProcess.start(killed.memberId(), killed.dir(), clusterMembers);
        ClusterDemoRestart restart = new ClusterDemoRestart(node, writes, killedNs);
        restart.watcher.start();
        return restart;
    }

    /**
     * While the writes go on, the acknowledged epoch moves and a node reports its journal every 5 ms, so
     * no follower is ever exactly at it: the node has caught up once it journaled the highest epoch
     * acknowledged at most {@link #LAG_NS} earlier. Once the writes have ended the target stands still.
     */
    private void watch() {
        long target = writes.maxEpoch();
        long targetNs = System.nanoTime();
        while (!closed && node.problem() == null) {
            long now = System.nanoTime();
            if (upNs == 0 && node.started()) {
                upNs = now;
            }
            boolean stillWriting = writing;
            long journaled = node.journaled();
            if (recoveredEpoch < 0 && journaled >= 0) {
                // The node reports its store's recovered epoch first, and nothing more until it is up.
                recoveredEpoch = journaled;
            }
            if (upNs != 0 && journaled >= target) {
                caughtUpEpoch = journaled;
                caughtUpWhileWriting = stillWriting;
                caughtUpNs = now;
                return;
            }
            if (now - targetNs >= LAG_NS || !stillWriting) {
                target = writes.maxEpoch();
                targetNs = now;
            }
            LockSupport.parkNanos(POLL_NS);
        }
    }

    /** Tells the watcher that the writer sent its last write and every write has its answer. */
    void writesEnded() {
        writing = false;
    }

    ClusterDemoProcess node() {
        return node;
    }

    /** @return whether the restarted node has journaled the highest acknowledged epoch */
    boolean caughtUp() {
        return caughtUpNs != 0;
    }

    /** The lines {@code cluster-demo} prints about the restart, once {@link #caughtUp()}. */
    String[] describe() {
        String up = upNs == 0 ? "" : "; up " + Format.seconds(upNs - restartNs) + " later";
        return new String[] {
            "  restart     node " + node.memberId() + " again on its directory (pid " + node.pid() + ") "
            + Format.seconds(restartNs - killedNs) + " after the kill" + up,
            "              (Aeron refuses a node's directory until the killed process's mark files are 10 s old)",
            "  catch-up    node " + node.memberId() + " recovered epochs 1.." + Format.count(recoveredEpoch) + " from its journal, then"
            + " journaled " + Format.count(recoveredEpoch + 1) + ".." + Format.count(caughtUpEpoch) + " (" + Format.count(caughtUpEpoch - recoveredEpoch)
            + " epochs) from the cluster log: " + Format.seconds(caughtUpNs - restartNs) + " from the restart, "
            + Format.seconds(caughtUpNs - upNs) + " from up;",
            "              caught up with the acknowledged writes " + (caughtUpWhileWriting
                    ? "(to within " + TimeUnit.NANOSECONDS.toMillis(LAG_NS) + " ms of them) while the writes went on"
                    : "after the writes ended")
        };
    }

    /** Stops the watcher; the process belongs to the workload's list of nodes, which closes it. */
    @Override
    public void close() {
        closed = true;
    }
}
