package io.epochring.bench;

import io.aeron.archive.Archive;
import io.aeron.archive.ArchiveThreadingMode;
import io.aeron.archive.client.AeronArchive;
import io.aeron.cluster.ClusteredMediaDriver;
import io.aeron.cluster.ConsensusModule;
import io.aeron.cluster.service.ClusteredServiceContainer;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.epochring.EpochRing;
import io.epochring.bench.CounterDelta.Counter;
import io.epochring.cluster.EpochRingClusteredService;
import io.epochring.journal.ChronicleJournal;
import io.epochring.journal.SyncPolicy;
import org.agrona.CloseHelper;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NoOpLock;

import java.nio.file.Path;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;

/**
 * One node of the replication benchmarks' in-process cluster: a media driver
 * ({@code ThreadingMode.SHARED}: conductor, sender and receiver on one thread), an archive
 * ({@code ArchiveThreadingMode.SHARED}) and a consensus module, a service container running an
 * {@link EpochRingClusteredService}, and the node's own ring with a Chronicle journal, all under one
 * directory, on 127.0.0.1. The four Aeron agents idle with the strategy the benchmark names
 * ({@link AeronIdle}).
 *
 * <p>The ring is the JOURNALED row's ring ({@link Rings#configured}: no-op flusher, flush every
 * 200 ms, journal sync {@code NONE}, the same codec and payload) except for its wait strategy: the
 * node rings wait with Disruptor's sleeping strategy, since three rings whose threads yield
 * forever would take the two cores from the Aeron agents. REPLICATED does not wait for any ring
 * (the leader's service replies as it hands the write over), so this costs the measured path
 * nothing but CPU.
 *
 * <p>This is the benchmark's counterpart of the cluster module's test node: the same contexts, with
 * the idle strategy as a parameter and no test-only parts (recording delta, ledger storage,
 * snapshots on request, restarts).
 */
final class ReplicaNode implements AutoCloseable {

    static final String CHANNEL = "cluster";

    private final Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
    private final Path dir;
    private final EpochRing<Long, Long, Counter, Long> ring;
    private final EpochRingClusteredService<Long> service;
    private ClusteredMediaDriver driver;
    private ClusteredServiceContainer container;

    private ReplicaNode(Path dir, EpochRing<Long, Long, Counter, Long> ring, EpochRingClusteredService<Long> service) {
        this.dir = dir;
        this.ring = ring;
        this.service = service;
    }

    /**
     * Starts the node's ring, then its Aeron parts; returns at once (the election runs in the background).
     *
     * @param members Aeron's member list ({@link ReplicaCluster})
     */
    static ReplicaNode start(int memberId, Path dir, String members, String archiveEndpoint, String idle, int payloadBytes) {
        FixedSizeCodec codec = new FixedSizeCodec(payloadBytes);
        EpochRing<Long, Long, Counter, Long> ring =
            Rings.configured(CounterDelta.withoutResults(), new NoopFlusher<>(), io.epochring.ThreadingMode.SINGLE_THREAD,
                             WaitStrategies.SLEEPING, Rings.JOURNAL_RING_SIZE, CHANNEL)
                 .name("replica" + memberId)
                 .journal(ChronicleJournal.builder(dir.resolve("journal")).syncPolicy(SyncPolicy.NONE).build(), codec)
                 .build()
                 .start();
        ReplicaNode node = new ReplicaNode(dir, ring, new EpochRingClusteredService<>(ring, CHANNEL, codec));
        try {
            node.launch(memberId, members, archiveEndpoint, AeronIdle.supplier(idle));
        } catch (RuntimeException | Error e) {
            node.close();
            throw e;
        }
        return node;
    }

    private void launch(int memberId, String members, String archiveEndpoint, Supplier<IdleStrategy> idle) {
        String aeronDir = aeronDirectoryName();
        Path clusterDir = dir.resolve("cluster");
        MediaDriver.Context driverContext = new MediaDriver.Context()
                .aeronDirectoryName(aeronDir)
                .threadingMode(ThreadingMode.SHARED)
                .sharedIdleStrategy(idle.get())
                .termBufferSparseFile(true)
                .publicationTermBufferLength(256 * 1024)
                .ipcTermBufferLength(256 * 1024)
                .dirDeleteOnStart(true)
                .dirDeleteOnShutdown(true)
                .errorHandler(errors::add);
        String localControl = "aeron:ipc?term-length=64k";
        Archive.Context archiveContext = new Archive.Context()
                .aeronDirectoryName(aeronDir)
                .archiveDir(dir.resolve("archive").toFile())
                .controlChannel("aeron:udp?endpoint=" + archiveEndpoint)
                .localControlChannel(localControl)
                .replicationChannel("aeron:udp?endpoint=127.0.0.1:0")
                .archiveClientContext(new AeronArchive.Context().controlResponseChannel("aeron:udp?endpoint=127.0.0.1:0"))
                .recordingEventsEnabled(false)
                .threadingMode(ArchiveThreadingMode.SHARED)
                .idleStrategySupplier(idle)
                .segmentFileLength(16 * 1024 * 1024)
                .deleteArchiveOnStart(true)
                .errorHandler(errors::add);
        AeronArchive.Context archiveClient = new AeronArchive.Context()
                .lock(NoOpLock.INSTANCE)
                .controlRequestChannel(localControl)
                .controlRequestStreamId(archiveContext.localControlStreamId())
                .controlResponseChannel(localControl)
                .aeronDirectoryName(aeronDir);
        ConsensusModule.Context consensusContext = new ConsensusModule.Context()
                .clusterMemberId(memberId)
                .clusterMembers(members)
                .clusterDir(clusterDir.toFile())
                .archiveContext(archiveClient.clone())
                .ingressChannel("aeron:udp")
                .logChannel("aeron:udp?term-length=4m")
                .replicationChannel("aeron:udp?endpoint=127.0.0.1:0")
                .idleStrategySupplier(idle)
                .deleteDirOnStart(true)
                .errorHandler(errors::add);
        driver = ClusteredMediaDriver.launch(driverContext, archiveContext, consensusContext);
        container = ClusteredServiceContainer.launch(new ClusteredServiceContainer.Context()
                .aeronDirectoryName(aeronDir)
                .archiveContext(archiveClient.clone())
                .clusterDir(clusterDir.toFile())
                .clusteredService(service)
                .serviceId(0)
                .idleStrategySupplier(idle)
                .errorHandler(errors::add));
    }

    String aeronDirectoryName() {
        return dir.resolve("aeron").toString();
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
            CloseHelper.closeAll(container, driver);
        } finally {
            ring.stop();
        }
    }
}
