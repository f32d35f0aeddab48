package io.epochring.bench;

import io.epochring.EpochRing;
import io.epochring.bench.CounterDelta.Counter;
import io.epochring.cluster.ClusterMember;
import io.epochring.cluster.ClusterPorts;
import io.epochring.cluster.EpochRingClusteredService;
import io.epochring.journal.ChronicleJournal;
import io.epochring.journal.SyncPolicy;
import org.agrona.CloseHelper;

import java.nio.file.Path;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One node of the replication benchmarks' in-process cluster: a {@link ClusterMember} (media
 * driver and archive in their shared threading modes, consensus module, service container) running
 * an {@link EpochRingClusteredService}, and the node's own ring with a Chronicle journal, all under
 * one directory, on 127.0.0.1. The four Aeron agents idle with the strategy the benchmark names
 * ({@link AeronIdle}); the cluster log has 4 MiB terms, so that a window of writes in flight never
 * waits for a term to rotate.
 *
 * <p>The ring is the JOURNALED row's ring ({@link Rings#configured}: no-op flusher, flush every
 * 200 ms, journal sync {@code NONE}, the same codec and payload) except for its wait strategy: the
 * node rings wait with Disruptor's sleeping strategy, since three rings whose threads yield
 * forever would take the two cores from the Aeron agents. REPLICATED does not wait for any ring
 * (the leader's service replies as it hands the write over), so this costs the measured path
 * nothing but CPU.
 */
final class ReplicaNode implements AutoCloseable {

    static final String CHANNEL = "cluster";
    /** The cluster log's term length. */
    static final int LOG_TERM_LENGTH = 4 * 1024 * 1024;

    private final Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
    private final EpochRing<Long, Long, Counter, Long> ring;
    private final EpochRingClusteredService<Long> service;
    private ClusterMember member;

    private ReplicaNode(EpochRing<Long, Long, Counter, Long> ring, EpochRingClusteredService<Long> service) {
        this.ring = ring;
        this.service = service;
    }

    /** Starts the node's ring, then its Aeron parts; returns at once (the election runs in the background). */
    static ReplicaNode start(int memberId, Path dir, ClusterPorts ports, String idle, int payloadBytes) {
        FixedSizeCodec codec = new FixedSizeCodec(payloadBytes);
        EpochRing<Long, Long, Counter, Long> ring =
            Rings.configured(CounterDelta.withoutResults(), new NoopFlusher<>(), io.epochring.ThreadingMode.SINGLE_THREAD,
                             WaitStrategies.SLEEPING, Rings.JOURNAL_RING_SIZE, CHANNEL)
                 .name("replica" + memberId)
                 .journal(ChronicleJournal.builder(dir.resolve("journal")).syncPolicy(SyncPolicy.NONE).build(), codec)
                 .build()
                 .start();
        ReplicaNode node = new ReplicaNode(ring, new EpochRingClusteredService<>(ring, CHANNEL, codec));
        try {
            node.member = ClusterMember.launch(memberId, dir, ports, node.service, node.errors::add,
                                               new ClusterMember.Tuning(AeronIdle.supplier(idle), LOG_TERM_LENGTH));
        } catch (RuntimeException | Error e) {
            node.close();
            throw e;
        }
        return node;
    }

    String aeronDirectoryName() {
        return member.aeronDirectoryName();
    }

    EpochRingClusteredService<Long> service() {
        return service;
    }

    /** @return what the node's Aeron parts reported to their error handlers so far */
    List<Throwable> errors() {
        return List.copyOf(errors);
    }

    /** Stops the Aeron parts, then the ring (which closes its journal). */
    @Override
    public void close() {
        try {
            CloseHelper.close(member);
        } finally {
            ring.stop();
        }
    }
}
