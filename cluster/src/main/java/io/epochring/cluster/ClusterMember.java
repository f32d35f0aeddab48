package io.epochring.cluster;

import io.aeron.archive.Archive;
import io.aeron.archive.ArchiveThreadingMode;
import io.aeron.archive.client.AeronArchive;
import io.aeron.cluster.ClusteredMediaDriver;
import io.aeron.cluster.ConsensusModule;
import io.aeron.cluster.service.ClusteredService;
import io.aeron.cluster.service.ClusteredServiceContainer;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.security.AuthorisationService;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NoOpLock;
import org.agrona.concurrent.SleepingMillisIdleStrategy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The Aeron parts of one cluster member on 127.0.0.1, all under one directory: a media driver
 * (shared threading mode), an archive and a consensus module ({@link ClusteredMediaDriver}), and a
 * service container running the given service (usually an {@link EpochRingClusteredService}).
 * By default every agent idles by sleeping 1 ms, so that several members share a machine of two
 * cores; the replication latency is therefore a few milliseconds, not microseconds.
 * {@link Tuning} picks another idle strategy and the log's term length.
 *
 * <p>Launching again on the same directory restarts the member: the archive keeps the cluster log,
 * and the consensus module replays it into the service. Aeron refuses a directory whose mark files
 * a process touched within the last 10 s, as after a {@code kill -9}: a restart waits that long.
 *
 * <pre>
 *  dir/aeron    the media driver (deleted on start and on close)
 *  dir/archive  the cluster log and snapshots (Aeron Archive)
 *  dir/cluster  the consensus module's and the service container's state and mark files
 * </pre>
 */
public final class ClusterMember implements AutoCloseable {

    /** Followers start an election when the leader has been quiet this long (Aeron's default is 10 s). */
    public static final Duration LEADER_HEARTBEAT_TIMEOUT = Duration.ofSeconds(2);

    private final String aeronDirectoryName;
    private ClusteredMediaDriver driver;
    private ClusteredServiceContainer container;

    private ClusterMember(String aeronDirectoryName) {
        this.aeronDirectoryName = aeronDirectoryName;
    }

    /**
     * Launches member {@code memberId} of the cluster {@code ports} describes, tuned as {@link Tuning#SHARED_MACHINE}.
     *
     * @param errorHandler receives the errors every Aeron agent of this member reports; must not throw
     */
    public static ClusterMember launch(int memberId, Path dir, ClusterPorts ports, ClusteredService service, ErrorHandler errorHandler) {
        return launch(memberId, dir, ports, service, errorHandler, Tuning.SHARED_MACHINE);
    }

    /**
     * Launches member {@code memberId} of the cluster {@code ports} describes.
     *
     * @param errorHandler receives the errors every Aeron agent of this member reports; must not throw
     * @param tuning       the agents' idle strategy and the log's term length
     */
    public static ClusterMember launch(int memberId, Path dir, ClusterPorts ports, ClusteredService service, ErrorHandler errorHandler,
                                       Tuning tuning) {
        Objects.requireNonNull(tuning, "tuning must not be null");
        Objects.requireNonNull(dir, "dir must not be null");
        Objects.requireNonNull(service, "service must not be null");
        Objects.requireNonNull(errorHandler, "errorHandler must not be null");
        if (memberId < 0 || memberId >= ports.members()) {
            throw new IllegalArgumentException("member id must be between 0 and " + (ports.members() - 1) + ", was " + memberId);
        }
        String aeronDir = dir.resolve("aeron").toString();
        Path clusterDir = dir.resolve("cluster");
        MediaDriver.Context driverContext = new MediaDriver.Context()
                .aeronDirectoryName(aeronDir)
                .threadingMode(ThreadingMode.SHARED)
                .sharedIdleStrategy(tuning.idle().get())
                .termBufferSparseFile(true)
                .publicationTermBufferLength(256 * 1024)
                .ipcTermBufferLength(256 * 1024)
                .dirDeleteOnStart(true)
                .dirDeleteOnShutdown(true)
                .errorHandler(errorHandler);
        String localControl = "aeron:ipc?term-length=64k";
        Archive.Context archiveContext = new Archive.Context()
                .aeronDirectoryName(aeronDir)
                .archiveDir(dir.resolve("archive").toFile())
                .controlChannel("aeron:udp?endpoint=" + ports.archive(memberId))
                .localControlChannel(localControl)
                .replicationChannel("aeron:udp?endpoint=127.0.0.1:0")
                .archiveClientContext(new AeronArchive.Context().controlResponseChannel("aeron:udp?endpoint=127.0.0.1:0"))
                .recordingEventsEnabled(false)
                .threadingMode(ArchiveThreadingMode.SHARED)
                .idleStrategySupplier(tuning.idle())
                // A recording segment must hold whole terms: four of the log's.
                .segmentFileLength(4 * tuning.logTermLength())
                .deleteArchiveOnStart(false)
                .errorHandler(errorHandler);
        AeronArchive.Context archiveClient = new AeronArchive.Context()
                .lock(NoOpLock.INSTANCE)
                .controlRequestChannel(localControl)
                .controlRequestStreamId(archiveContext.localControlStreamId())
                .controlResponseChannel(localControl)
                .aeronDirectoryName(aeronDir);
        ConsensusModule.Context consensusContext = new ConsensusModule.Context()
                .clusterMemberId(memberId)
                .clusterMembers(ports.clusterMembers())
                .clusterDir(clusterDir.toFile())
                .archiveContext(archiveClient.clone())
                .ingressChannel("aeron:udp")
                .logChannel("aeron:udp?term-length=" + tuning.logTermLength())
                .replicationChannel("aeron:udp?endpoint=127.0.0.1:0")
                .idleStrategySupplier(tuning.idle())
                .leaderHeartbeatTimeoutNs(LEADER_HEARTBEAT_TIMEOUT.toNanos())
                // ClusterWriter.requestSnapshot is an admin request, which the default authorisation refuses.
                .authorisationServiceSupplier(() -> AuthorisationService.ALLOW_ALL)
                .deleteDirOnStart(false)
                .errorHandler(errorHandler);
        ClusterMember member = new ClusterMember(aeronDir);
        member.driver = ClusteredMediaDriver.launch(driverContext, archiveContext, consensusContext);
        try {
            member.container = ClusteredServiceContainer.launch(new ClusteredServiceContainer.Context()
                    .aeronDirectoryName(aeronDir)
                    .archiveContext(archiveClient.clone())
                    .clusterDir(clusterDir.toFile())
                    .clusteredService(service)
                    .serviceId(0)
                    .idleStrategySupplier(tuning.idle())
                    .errorHandler(errorHandler));
        } catch (RuntimeException e) {
            CloseHelper.quietClose(member.driver);
            throw e;
        }
        return member;
    }

    /**
     * How a member's Aeron agents idle, and how long the cluster log's terms are.
     *
     * @param idle          makes each agent's idle strategy (media driver, archive, consensus module, service
     *                      container); called once per agent, since an idle strategy holds state
     * @param logTermLength the cluster log's term length in bytes: a power of two from 64 KiB to 256 MiB;
     *                      longer terms let more writes be in flight between the leader and its followers
     */
    public record Tuning(Supplier<IdleStrategy> idle, int logTermLength) {

        /** Sleeping 1 ms when idle, 256 KiB terms: several members on one machine of two cores (tests, {@code cluster-demo}). */
        public static final Tuning SHARED_MACHINE = new Tuning(() -> new SleepingMillisIdleStrategy(1), 256 * 1024);

        /**
         * @throws IllegalArgumentException when the term length is not a power of two from 64 KiB to 256 MiB
         */
        public Tuning {
            Objects.requireNonNull(idle, "idle must not be null");
            if (Integer.bitCount(logTermLength) != 1 || logTermLength < 64 * 1024 || logTermLength > 256 * 1024 * 1024) {
                throw new IllegalArgumentException("logTermLength must be a power of two from 64 KiB to 256 MiB (an Aeron term "
                                                   + "length whose archive segment of four terms stays within 1 GiB), was " + logTermLength);
            }
        }
    }

    /** @return the directory of this member's media driver, for clients in the same process */
    public String aeronDirectoryName() {
        return aeronDirectoryName;
    }

    /**
     * Stops only the service container: this member's consensus module goes on appending and
     * committing the log, but its service neither applies nor answers any more.
     */
    public void stopService() {
        CloseHelper.close(container);
        container = null;
    }

    /** Stops the service container, then the consensus module, archive and media driver. */
    @Override
    public void close() {
        CloseHelper.closeAll(container, driver);
        container = null;
        driver = null;
    }
}
