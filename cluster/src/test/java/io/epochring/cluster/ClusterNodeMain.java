package io.epochring.cluster;

import io.aeron.archive.ArchiveMarkFile;
import io.aeron.cluster.service.Cluster;
import io.aeron.cluster.service.ClusterMarkFile;
import io.aeron.cluster.service.ClusteredServiceContainer;
import io.epochring.DurabilityLevel;
import io.epochring.journal.support.FileFlusher;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
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
        awaitStaleMarkFiles(dir);
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

    /**
     * Aeron's archive and consensus module refuse a directory whose mark file was touched within the
     * last 10 s ("active mark file detected"), which is the case right after a {@code kill -9}: wait
     * until the killed process's mark files are that old, as any supervisor restarting a node must.
     */
    private static void awaitStaleMarkFiles(Path dir) throws IOException {
        // The archive uses the same 10 s as the cluster, but does not publish its constant.
        long timeoutMs = ClusteredServiceContainer.Configuration.LIVENESS_TIMEOUT_MS;
        long deadlineMs = System.currentTimeMillis() + 6 * timeoutMs;
        Path[] files = {dir.resolve("archive").resolve(ArchiveMarkFile.FILENAME),
                        dir.resolve("cluster").resolve(ClusterMarkFile.FILENAME),
                        dir.resolve("cluster").resolve(ClusterMarkFile.markFilenameForService(0))};
        // Each mark file starts with an SBE message header, then the mark file header.
        int archiveOffset = io.aeron.archive.codecs.mark.MessageHeaderDecoder.ENCODED_LENGTH
                + io.aeron.archive.codecs.mark.MarkFileHeaderDecoder.activityTimestampEncodingOffset();
        int clusterOffset = io.aeron.cluster.codecs.mark.MessageHeaderDecoder.ENCODED_LENGTH
                + io.aeron.cluster.codecs.mark.MarkFileHeaderDecoder.activityTimestampEncodingOffset();
        int[] offsets = {archiveOffset, clusterOffset, clusterOffset};
        for (int i = 0; i < files.length; i++) {
            long lastActivityMs;
            boolean reported = false;
            while ((lastActivityMs = activityTimestamp(files[i], offsets[i])) > System.currentTimeMillis() - timeoutMs) {
                if (!reported) {
                    report("WAITING for " + files[i].getFileName() + " of the previous run to be " + timeoutMs + " ms old");
                    reported = true;
                }
                if (System.currentTimeMillis() > deadlineMs) {
                    throw new IllegalStateException(files[i] + " is still active (last activity " + lastActivityMs + " ms): another "
                            + "process runs this node; stop it first");
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
        }
    }

    /** @return the mark file's activity timestamp (epoch ms), or 0 when there is no file or it is too short */
    private static long activityTimestamp(Path file, int offset) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer bytes = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            if (channel.read(bytes, offset) < Long.BYTES) {
                return 0;
            }
            return bytes.getLong(0);
        }
    }

    private static void report(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
