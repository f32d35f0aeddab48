package io.epochring.cluster;

import io.aeron.ExclusivePublication;
import io.aeron.Image;
import io.aeron.Publication;
import io.aeron.cluster.codecs.CloseReason;
import io.aeron.cluster.service.ClientSession;
import io.aeron.cluster.service.Cluster;
import io.aeron.cluster.service.ClusteredService;
import io.aeron.logbuffer.Header;
import io.epochring.Channel;
import io.epochring.DurabilityLevel;
import io.epochring.EpochRing;
import io.epochring.EpochRingException;
import io.epochring.WriteCodec;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The Aeron Cluster service on each node: hands every committed write of the cluster log, in log
 * order, to this node's {@link EpochRing} through one channel, so every node applies the same writes
 * in the same order to its own delta and flushes them to its own storage.
 *
 * <p>Aeron Cluster delivers a message to a service only once a majority has it in its log, so a
 * write reaching {@link #onSessionMessage} is <b>REPLICATED</b>; the service replies to the
 * submitting session with the write's epoch (only the leader's reply is sent: Aeron drops the
 * followers'), which completes the {@link ClusterWriter}'s future.
 *
 * <p>Epochs: the ring must be written by this service alone, through the one channel. Each message
 * that decodes then gets the next epoch on every node, in log order, so the service knows a write's
 * epoch when it hands it over, and epochs are the same on every node. A message the codec cannot
 * decode gets no epoch anywhere (decoding is deterministic) and its writer is told why.
 *
 * <p>Retries: each write carries its {@link ClusterWriter}'s random writer id and a sequence. The
 * service remembers, per writer, the highest sequence applied and the epochs of its recent writes
 * (the last 1,024 per writer); a write that comes again (the writer resends the writes whose outcome a
 * leader change left unknown) is not handed to the ring again but answered with the epoch it got
 * the first time. The histories are state like the epochs: built alike on every node from the log,
 * written into snapshots, and dropped with the cluster session that last wrote for them.
 *
 * <p>Restarts: Aeron replays the cluster log from the newest snapshot, while the ring recovers its
 * own journal first. The service skips the replayed writes whose epochs the ring already holds, so
 * each write reaches the ring once. That is why the ring needs a journal: without one, a restarted
 * ring would not know which writes it holds.
 *
 * <p>Snapshots: {@link #onTakeSnapshot} first makes every write handed over so far DURABLE on this
 * node (a flush with sync, then the journal checkpoint), then records the last epoch and the log
 * position. Aeron will never replay the log below a snapshot on that node, so a snapshot may only
 * claim writes the node keeps through a machine crash. {@link #onStart} loads it and refuses to go on if the
 * ring holds fewer epochs than the snapshot claims: those writes are in neither.
 *
 * <p>A new node, or one that lost everything: the snapshot holds positions, not the data, so such a
 * node starts with an empty directory, gets the cluster log from the leader's archive from its
 * start (Aeron's log replication when it joins an election), and applies every write again, taking
 * the snapshots it passes in the log. That needs the log kept from its start: do not purge the
 * cluster log below the first write with this service.
 *
 * <p>Threads: every callback comes from the service container's thread. Handing a write to a full
 * ring waits for space there, which holds back the cluster log on this node (backpressure, not
 * loss). A ring that fails or stops ends the container's work loop (an {@code AgentTerminationException};
 * {@link #failure()} says why): a node that cannot apply the log must not go on acknowledging it.
 *
 * @param <W> the write type
 */
public final class EpochRingClusteredService<W> implements ClusteredService {

    /** How long a reply may wait for a back-pressured egress before it is dropped (the writer's future then times out). */
    static final long REPLY_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(1);
    /** How long a snapshot waits for this node's ring to make every write handed over DURABLE. */
    static final Duration SNAPSHOT_FLUSH_TIMEOUT = Duration.ofSeconds(30);

    private final EpochRing<W, ?, ?, ?> ring;
    private final Channel<W, ?> channel;
    private final WriteCodec<W> codec;
    private final MutableDirectBuffer reply = new ExpandableArrayBuffer(ReplicationProtocol.REPLY_LENGTH + 256);
    private final UnsafeBuffer snapshot = new UnsafeBuffer(new byte[ReplicationProtocol.SNAPSHOT_LENGTH]);
    private final ExpandableArrayBuffer historyMessage = new ExpandableArrayBuffer(ReplicationProtocol.HISTORY_ENTRIES_OFFSET
            + WriterHistories.ENTRIES_PER_MESSAGE * ReplicationProtocol.HISTORY_ENTRY_LENGTH);
    private final WriterHistories histories = new WriterHistories();

    private Cluster cluster;
    private IdleStrategy idle;
    /** The highest epoch the ring held when this node started: replayed writes up to it are skipped. */
    private long recoveredEpoch;
    private volatile long lastEpoch;
    private volatile long snapshotEpoch = -1;
    private volatile Cluster.Role role = Cluster.Role.FOLLOWER;
    private volatile ClusterStateException failure;
    private volatile long duplicates;

    /**
     * @param ring    a started ring with a journal, written by this service only
     * @param channel the ring's channel the writes go through
     * @param codec   the codec the {@link ClusterWriter}s encode with; the ring's journal may use the same
     * @throws IllegalArgumentException when the ring has no journal, or no such channel
     */
    public EpochRingClusteredService(EpochRing<W, ?, ?, ?> ring, String channel, WriteCodec<W> codec) {
        this.ring = Objects.requireNonNull(ring, "ring must not be null");
        this.codec = Objects.requireNonNull(codec, "codec must not be null");
        if (!ring.levels().contains(DurabilityLevel.JOURNALED)) {
            throw new IllegalArgumentException("ring '" + ring.name() + "' has no journal: a clustered ring needs one, since after a "
                    + "restart Aeron replays the cluster log and the journal tells which of those writes this node already holds; "
                    + "build the ring with EpochRingBuilder.journal(...)");
        }
        this.channel = ring.channel(Objects.requireNonNull(channel, "channel must not be null"));
    }

    @Override
    public void onStart(Cluster cluster, Image snapshotImage) {
        this.cluster = cluster;
        this.idle = cluster.idleStrategy();
        recoveredEpoch = ring.watermark(DurabilityLevel.APPLIED);
        long fromSnapshot = snapshotImage == null ? 0 : loadSnapshot(snapshotImage);
        if (fromSnapshot > recoveredEpoch) {
            failure = new ClusterStateException("the cluster snapshot holds epochs up to " + fromSnapshot
                    + " but this node's ring '" + ring.name() + "' recovered only up to " + recoveredEpoch + "; the cluster log is replayed "
                    + "from the snapshot on, so epochs " + (recoveredEpoch + 1) + ".." + fromSnapshot + " would be missing on this "
                    + "node. Restore this node's journal and storage; or empty the node's whole directory (the ring's journal and "
                    + "storage, and the cluster's archive and cluster directories) and start it again: it then catches up from the "
                    + "peers' cluster log, which Aeron keeps from its start unless it was purged");
            throw failure;
        }
        lastEpoch = fromSnapshot;
    }

    private long loadSnapshot(Image image) {
        // {epoch, writer history messages still to read}; the first message says how many follow.
        long[] state = {-1, -1};
        while ((state[0] < 0 || state[1] > 0) && !image.isEndOfStream()) {
            int fragments = image.poll((buffer, offset, length, header) -> {
                if (state[0] < 0) {
                    readSnapshot(buffer, offset, length, state);
                } else {
                    histories.load(buffer, offset, length);
                    state[1]--;
                }
            }, 1);
            idle.idle(fragments);
        }
        if (state[0] < 0 || state[1] > 0) {
            throw new ClusterStateException("ring '" + ring.name() + "': the cluster snapshot ended before its "
                    + (state[0] < 0 ? "position record" : state[1] + " last writer histories")
                    + "; it was not written by this service (or is cut short)");
        }
        snapshotEpoch = state[0];
        return state[0];
    }

    private void readSnapshot(DirectBuffer buffer, int offset, int length, long[] state) {
        if (length < ReplicationProtocol.SNAPSHOT_LENGTH_1
                || buffer.getInt(offset + ReplicationProtocol.SNAPSHOT_MAGIC_OFFSET) != ReplicationProtocol.SNAPSHOT_MAGIC) {
            throw new ClusterStateException("ring '" + ring.name() + "': the cluster snapshot is not an EpochRing "
                    + "service snapshot (" + length + " bytes, no magic number)");
        }
        int version = buffer.getInt(offset + ReplicationProtocol.SNAPSHOT_VERSION_OFFSET);
        if (version == ReplicationProtocol.SNAPSHOT_VERSION_1) {
            state[1] = 0; // no writer histories: retries of writes before it are not recognised
        } else if (version == ReplicationProtocol.SNAPSHOT_VERSION && length >= ReplicationProtocol.SNAPSHOT_LENGTH) {
            state[1] = buffer.getInt(offset + ReplicationProtocol.SNAPSHOT_HISTORIES_OFFSET);
        } else {
            throw new ClusterStateException("ring '" + ring.name() + "': the cluster snapshot has format version " + version
                    + " (" + length + " bytes), this build reads " + ReplicationProtocol.SNAPSHOT_VERSION_1 + " and "
                    + ReplicationProtocol.SNAPSHOT_VERSION + "; start the node with the build that wrote it");
        }
        state[0] = buffer.getLong(offset + ReplicationProtocol.SNAPSHOT_EPOCH_OFFSET);
    }

    @Override
    public void onSessionMessage(ClientSession session, long timestamp, DirectBuffer buffer, int offset, int length, Header header) {
        if (length < ReplicationProtocol.WRITE_OFFSET) {
            return; // not from a ClusterWriter (no sequence to answer): no epoch, on every node alike
        }
        long writerId = buffer.getLong(offset + ReplicationProtocol.WRITER_ID_OFFSET);
        long sequence = buffer.getLong(offset + ReplicationProtocol.SEQUENCE_OFFSET);
        long earlier = histories.epochOf(writerId, sequence);
        if (earlier != WriterHistories.NEW) {
            duplicates++;
            if (earlier > 0) {
                replyEpoch(session, sequence, earlier);
            } else {
                replyRefused(session, sequence, "write " + sequence + " of writer " + Long.toHexString(writerId) + " came again "
                        + "after a newer write of that writer, and the cluster remembers no epoch for it: either it is older than "
                        + "that writer's last " + WriterHistories.WINDOW + " writes, or its first send never reached the cluster "
                        + "log. It was not applied now; check whether it was applied before writing it again");
            }
            return;
        }
        W write;
        try {
            write = codec.decode(buffer, offset + ReplicationProtocol.WRITE_OFFSET, length - ReplicationProtocol.WRITE_OFFSET);
        } catch (RuntimeException e) {
            replyRefused(session, sequence, "the write could not be decoded with codec '" + codec.name() + "' version "
                    + codec.version() + " (" + e + "); it was not applied on any node: check that the writer uses the same codec");
            return;
        }
        long epoch = lastEpoch + 1;
        if (epoch > recoveredEpoch) {
            handOver(write, epoch);
        }
        lastEpoch = epoch;
        histories.applied(writerId, sequence, epoch, session.id());
        replyEpoch(session, sequence, epoch);
    }

    private void handOver(W write, long epoch) {
        try {
            channel.publish(write);
        } catch (EpochRingException e) {
            failure = new ClusterStateException("ring '" + ring.name() + "' refused epoch " + epoch + " of the cluster log ("
                    + e.getMessage() + "); this node stops applying the log. Fix the cause and restart the node: the ring "
                    + "recovers its journal and the cluster replays the rest", e);
            throw new AgentTerminationException(failure);
        }
    }

    private void replyEpoch(ClientSession session, long sequence, long epoch) {
        reply.putLong(ReplicationProtocol.REPLY_SEQUENCE_OFFSET, sequence);
        reply.putLong(ReplicationProtocol.EPOCH_OFFSET, epoch);
        offer(session, ReplicationProtocol.REPLY_LENGTH);
    }

    private void replyRefused(ClientSession session, long sequence, String reason) {
        reply.putLong(ReplicationProtocol.REPLY_SEQUENCE_OFFSET, sequence);
        reply.putLong(ReplicationProtocol.EPOCH_OFFSET, ReplicationProtocol.REFUSED);
        byte[] bytes = reason.getBytes(StandardCharsets.UTF_8);
        reply.putBytes(ReplicationProtocol.REASON_OFFSET, bytes);
        offer(session, ReplicationProtocol.REPLY_LENGTH + bytes.length);
    }

    /** Only the leader's offer is sent (followers get ClientSession.MOCKED_OFFER); a reply never changes state, so giving up is safe. */
    private void offer(ClientSession session, int length) {
        if (session == null) {
            return;
        }
        long deadline = System.nanoTime() + REPLY_TIMEOUT_NS;
        idle.reset();
        long result;
        while ((result = session.offer(reply, 0, length)) < 0) {
            if ((result != Publication.BACK_PRESSURED && result != Publication.ADMIN_ACTION) || System.nanoTime() > deadline) {
                return;
            }
            idle.idle();
        }
    }

    @Override
    public void onTakeSnapshot(ExclusivePublication publication) {
        long epoch = lastEpoch;
        // Aeron never replays the log below this snapshot again: claim only what this node keeps through a machine crash.
        ring.flush(true).await(DurabilityLevel.DURABLE, SNAPSHOT_FLUSH_TIMEOUT);
        if (!ring.awaitWatermark(DurabilityLevel.DURABLE, epoch, SNAPSHOT_FLUSH_TIMEOUT)) {
            throw new ClusterStateException("ring '" + ring.name() + "' did not make epoch " + epoch + " DURABLE within "
                    + SNAPSHOT_FLUSH_TIMEOUT + "; no snapshot was taken");
        }
        snapshot.putInt(ReplicationProtocol.SNAPSHOT_MAGIC_OFFSET, ReplicationProtocol.SNAPSHOT_MAGIC);
        snapshot.putInt(ReplicationProtocol.SNAPSHOT_VERSION_OFFSET, ReplicationProtocol.SNAPSHOT_VERSION);
        snapshot.putLong(ReplicationProtocol.SNAPSHOT_EPOCH_OFFSET, epoch);
        snapshot.putLong(ReplicationProtocol.SNAPSHOT_LOG_POSITION_OFFSET, cluster.logPosition());
        List<byte[]> historyMessages = new ArrayList<>();
        histories.encode(historyMessage, (buffer, length) -> historyMessages.add(Arrays.copyOf(buffer.byteArray(), length)));
        snapshot.putInt(ReplicationProtocol.SNAPSHOT_HISTORIES_OFFSET, historyMessages.size());
        offer(publication, snapshot, ReplicationProtocol.SNAPSHOT_LENGTH);
        for (byte[] message : historyMessages) {
            offer(publication, new UnsafeBuffer(message), message.length);
        }
        snapshotEpoch = epoch;
    }

    /** A snapshot must be whole: wait for room however long it takes (Aeron gives the service the time). */
    private void offer(ExclusivePublication publication, DirectBuffer buffer, int length) {
        idle.reset();
        while (publication.offer(buffer, 0, length) < 0) {
            idle.idle();
        }
    }

    @Override
    public void onRoleChange(Cluster.Role newRole) {
        role = newRole;
    }

    @Override
    public void onSessionOpen(ClientSession session, long timestamp) {
    }

    @Override
    public void onSessionClose(ClientSession session, long timestamp, CloseReason closeReason) {
        histories.sessionClosed(session.id());
    }

    @Override
    public void onTimerEvent(long correlationId, long timestamp) {
    }

    @Override
    public void onTerminate(Cluster cluster) {
        // The ring belongs to whoever built it: they stop it after the container.
    }

    /** @return the epoch of the last write of the cluster log this node handed to its ring (or skipped as already held) */
    public long lastEpoch() {
        return lastEpoch;
    }

    /** @return how many writes came again (retries) and were answered without being handed to the ring again */
    public long duplicates() {
        return duplicates;
    }

    /** @return the epoch the newest snapshot this node took or loaded holds, or -1 when there was none */
    public long snapshotEpoch() {
        return snapshotEpoch;
    }

    /** @return this node's role in the cluster, as last reported to the service */
    public Cluster.Role role() {
        return role;
    }

    /** @return why this node refused to start or stopped applying the cluster log, if it did */
    public Optional<ClusterStateException> failure() {
        return Optional.ofNullable(failure);
    }
}
