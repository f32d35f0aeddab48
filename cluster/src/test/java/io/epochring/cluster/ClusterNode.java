package io.epochring.cluster;

import io.epochring.EpochRing;
import io.epochring.Flusher;
import io.epochring.journal.ChronicleJournal;
import io.epochring.testing.LedgerFlusher;
import io.epochring.testing.Put;
import io.epochring.testing.PutCodec;
import io.epochring.testing.RecordingDelta;
import org.agrona.CloseHelper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Stream;

/**
 * One node of an in-process test cluster: a {@link ClusterMember} (media driver, archive, consensus
 * module, service container) running an {@link EpochRingClusteredService}, and the node's own
 * EpochRing (recording delta, ledger storage, Chronicle journal), all under one directory, on
 * 127.0.0.1, with sleeping idle strategies so that three nodes share two cores. {@link #start} again on the same directory restarts the node.
 * {@link ClusterNodeMain} runs one in a process of its own, with storage in a file.
 */
final class ClusterNode implements AutoCloseable {

    static final String CHANNEL = "cluster";

    private final int memberId;
    private final Path dir;
    private final ClusterPorts ports;
    private final String ingressEndpoints;
    private final Queue<Throwable> errors = new ConcurrentLinkedQueue<>();

    private RecordingDelta delta;
    /** A {@link LedgerFlusher} (in memory, carried over a restart in this JVM) or storage on disk. */
    private Flusher<Map<String, Long>, Map<String, Long>> flusher;
    private EpochRing<Put, Long, Map<String, Long>, Map<String, Long>> ring;
    private EpochRingClusteredService<Put> service;
    private ReplyDropper replies;
    private ClusterMember member;

    ClusterNode(int memberId, Path dir, ClusterPorts ports, String ingressEndpoints) {
        this(memberId, dir, ports, ingressEndpoints, new LedgerFlusher(true));
    }

    ClusterNode(int memberId, Path dir, ClusterPorts ports, String ingressEndpoints,
                Flusher<Map<String, Long>, Map<String, Long>> storage) {
        this.memberId = memberId;
        this.dir = dir;
        this.ports = ports;
        this.ingressEndpoints = ingressEndpoints;
        this.flusher = storage;
    }

    /** Starts the ring (recovering its journal) and then the cluster parts, which recover the cluster log. */
    ClusterNode start() {
        delta = new RecordingDelta();
        ring = EpochRing.builder(delta, flusher)
                .name("node" + memberId)
                .channel(CHANNEL, 1024)
                .journal(ChronicleJournal.builder(dir.resolve("journal")).build(), new PutCodec())
                .build()
                .start();
        service = new EpochRingClusteredService<>(ring, CHANNEL, new CheckedPutCodec());

        replies = new ReplyDropper(service);
        member = ClusterMember.launch(memberId, dir, ports, replies, errors::add);
        return this;
    }

    /** Stops the cluster parts, then the ring (which flushes and syncs what it holds). The storage outlives it, as on disk. */
    @Override
    public void close() {
        if (ring == null) {
            return;
        }
        CloseHelper.close(member);
        member = null;
        ring.close();
        ring = null;
        if (flusher instanceof LedgerFlusher ledger) {
            flusher = ledger.afterCrash();
        }
    }

    /**
     * Stops only the service container: this node's consensus module goes on appending and
     * committing the log, but its service neither applies nor answers any more.
     */
    void stopService() {
        member.stopService();
    }

    /** This node's ring loses its journal and storage, as a replaced disk would; only while the node is closed. */
    void loseRingData() throws IOException {
        if (ring != null) {
            throw new IllegalStateException("close the node first");
        }
        try (Stream<Path> files = Files.walk(dir.resolve("journal"))) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
        flusher = new LedgerFlusher(true);
    }

    /**
     * This node loses everything under its directory, ring and cluster data alike, as a new or
     * re-imaged machine taking its place would have; only while the node is closed.
     */
    void loseAllData() throws IOException {
        if (ring != null) {
            throw new IllegalStateException("close the node first");
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
        flusher = new LedgerFlusher(true);
    }

    int memberId() {
        return memberId;
    }

    String ingressEndpoints() {
        return ingressEndpoints;
    }

    String aeronDirectoryName() {
        return dir.resolve("aeron").toString();
    }

    EpochRingClusteredService<Put> service() {
        return service;
    }

    /** What stands between the service and its writers' egress: it can lose replies. */
    ReplyDropper replies() {
        return replies;
    }

    /** @return the running ring; null once closed */
    EpochRing<Put, Long, Map<String, Long>, Map<String, Long>> ring() {
        return ring;
    }

    /** @return the writes the ring applied since this start, in order; read after {@link #close()} */
    List<RecordingDelta.Applied> applied() {
        return delta.applied();
    }

    /** @return the in-memory storage of a node made without storage of its own */
    LedgerFlusher storage() {
        return (LedgerFlusher) flusher;
    }

    List<Throwable> errors() {
        return List.copyOf(errors);
    }
}
