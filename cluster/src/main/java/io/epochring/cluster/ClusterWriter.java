package io.epochring.cluster;

import io.aeron.Aeron;
import io.aeron.Publication;
import io.aeron.cluster.client.AeronCluster;
import io.aeron.cluster.client.EgressListener;
import io.aeron.cluster.codecs.EventCode;
import io.aeron.exceptions.DriverTimeoutException;
import io.aeron.logbuffer.Header;
import io.epochring.EpochRingException;
import io.epochring.ShutdownException;
import io.epochring.WriteCodec;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Submits writes to the cluster from any process that reaches it (a node or a client), and tells
 * when each is <b>REPLICATED</b>: committed to the cluster log by a majority, and so bound to reach
 * every node's ring, in log order.
 *
 * <pre>{@code
 * try (ClusterWriter<Put> writer = ClusterWriter.connect(new AeronCluster.Context()
 *         .ingressChannel("aeron:udp").ingressEndpoints(endpoints)
 *         .egressChannel("aeron:udp?endpoint=127.0.0.1:0"), new PutCodec())) {
 *     long epoch = writer.write(put).get(5, TimeUnit.SECONDS); // REPLICATED, with its epoch on every node
 * }
 * }</pre>
 *
 * <p>Where REPLICATED sits: it is a level of the cluster, not of one node's ring. The leader's
 * service replies as it hands the write to its ring, so REPLICATED comes before any node's APPLIED;
 * each node's ring then reaches its own levels at its own pace, with the same epoch everywhere (so
 * REPLICATED, then {@code ring.awaitWatermark(APPLIED, epoch, timeout)} on a node, reads your write there).
 *
 * <table class="striped">
 * <caption>Levels of a replicated write</caption>
 * <thead><tr><th>level</th><th>where</th><th>means</th><th>survives</th></tr></thead>
 * <tbody>
 * <tr><td>REPLICATED</td><td>the cluster</td><td>committed to the cluster log by a majority; every node
 *     hands it to its ring with this epoch</td><td>the loss of any minority of nodes; a restart of every
 *     node (the log is replayed from Aeron Archive); a power loss of a majority only as far as the archive
 *     syncs its files ({@code Archive.Context.fileSyncLevel}, 0 by default)</td></tr>
 * <tr><td>APPLIED</td><td>each node</td><td>in that node's live delta</td><td>nothing on that node (the
 *     cluster log brings it back)</td></tr>
 * <tr><td>JOURNALED</td><td>each node</td><td>in that node's journal</td><td>a crash of that node's process</td></tr>
 * <tr><td>WRITTEN</td><td>each node</td><td>in that node's storage</td><td>what that storage promises</td></tr>
 * <tr><td>DURABLE</td><td>each node</td><td>that node's storage synced and checkpointed</td><td>a machine
 *     crash of that node; a cluster snapshot claims only this</td></tr>
 * </tbody>
 * </table>
 *
 * <p>Threads: {@link #write} may be called from any thread. An {@link AeronCluster} is not
 * thread-safe, so every use of it (offers, egress polls, keep-alives) holds this writer's lock; one
 * daemon thread polls the egress and sends keep-alives, idling with a 1 ms sleep when it found no
 * reply (or with the idle strategy given to {@link Builder#pollIdle}: the sleep adds up to a
 * millisecond to every REPLICATED latency, a backoff strategy much less). Futures
 * complete on that thread, holding the lock: their callbacks must not block.
 *
 * <p>Outcomes: a future completes with the write's epoch once the leader's service received it,
 * exactly once. When the cluster elects a new leader while writes are in flight, the writer sends
 * those writes again to the new leader, in order and before any newer write, up to
 * {@link #MAX_RESENDS} times: each carries this writer's random id and its sequence, and the
 * service answers a write it already applied with its first epoch instead of applying it again
 * (see {@link EpochRingClusteredService}). A future fails with {@link ClusterWriteException} when
 * the ingress refused the write (it was not sent), when the service could not decode it (applied
 * nowhere), when more than {@link #MAX_IN_FLIGHT} sequences lie between this writer's oldest write
 * without an answer and its newest (not sent), or, with an outcome the message calls unknown, when
 * no reply came after the write was sent {@link #MAX_RESENDS} + 1 times, the session closed, or
 * the writer was closed.
 *
 * <p>Lost replies: a reply can be lost while the leader stays (the leader's service gives up on an
 * egress back-pressured for a second). A write with no reply {@link Builder#replyTimeout} after it
 * was sent is sent again like a write in flight across a leader change, and is answered with its
 * first epoch if it was applied; each such resend counts towards the same {@link #MAX_RESENDS}. So
 * every future completes: with the epoch, or with an error saying whether the write was sent.
 *
 * @param <W> the write type
 */
public final class ClusterWriter<W> implements AutoCloseable {

    /** How long {@link #write} keeps trying a back-pressured or not yet connected ingress before it fails the write. */
    public static final Duration DEFAULT_OFFER_TIMEOUT = Duration.ofSeconds(5);

    /** How long a write waits for its reply before it is sent again, unless {@link Builder#replyTimeout} says otherwise. */
    public static final Duration DEFAULT_REPLY_TIMEOUT = Duration.ofSeconds(10);

    /** How many times a write is sent again after a leader change or a reply timeout left its outcome unknown, before it fails. */
    public static final int MAX_RESENDS = 3;
    /**
     * The most sequences between this writer's oldest write without an answer and its newest: the
     * service remembers that many writes per writer, so every resent write is recognised.
     */
    public static final int MAX_IN_FLIGHT = WriterHistories.WINDOW;

    /** Not an Aeron offer result: a new leader came while offering a new write, whose earlier writes must go first. */
    private static final long RESENDS_FIRST = Long.MIN_VALUE;

    private static final System.Logger LOG = System.getLogger(ClusterWriter.class.getName());

    private final WriteCodec<W> codec;
    /** Writes sent and not answered yet, by sequence: iterated in sequence order to resend them. */
    private final ConcurrentNavigableMap<Long, InFlight> pending = new ConcurrentSkipListMap<>();
    private final long writerId;
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);
    private final IdleStrategy offerIdle = new SleepingMillisIdleStrategy(1);
    private final Object lock = new Object();
    private final Thread poller;
    private final long keepAliveIntervalNs;
    private final IdleStrategy pollIdle;
    private final long replyTimeoutNs;
    /** When the poller next looks for writes whose reply is overdue: a few times per timeout, not on every poll. */
    private long nextReplyCheckNs;
    private AeronCluster cluster;
    private long nextSequence;
    private long nextAdminCorrelationId;
    private long lastKeepAliveNs;
    /** A new leader was elected and some pending writes have not been sent to it yet. */
    private boolean resendsDue;
    private volatile long leaderChanges;
    private volatile long resent;
    private volatile long replyTimeouts;
    private volatile boolean closed;

    private ClusterWriter(WriteCodec<W> codec, long keepAliveIntervalNs, long writerId, IdleStrategy pollIdle, Duration replyTimeout) {
        this.codec = codec;
        this.pollIdle = pollIdle;
        this.replyTimeoutNs = replyTimeout.toNanos();
        this.writerId = writerId;
        this.keepAliveIntervalNs = keepAliveIntervalNs;
        this.poller = new Thread(this::pollEgress, "epochring-cluster-egress");
        poller.setDaemon(true);
    }

    /**
     * Connects to the cluster (waiting, as Aeron does, up to the context's message timeout for a
     * leader) and starts polling its egress, with the defaults of {@link #builder}.
     *
     * @param context where the cluster is: ingress channel and endpoints, egress channel, Aeron directory
     * @param codec   the codec the cluster's {@link EpochRingClusteredService} decodes with
     */
    public static <W> ClusterWriter<W> connect(AeronCluster.Context context, WriteCodec<W> codec) {
        return builder(codec).connect(context);
    }

    /**
     * Like {@link #connect(AeronCluster.Context, WriteCodec)}, with the idle strategy of the thread
     * that polls the egress for replies ({@link Builder#pollIdle}).
     */
    public static <W> ClusterWriter<W> connect(AeronCluster.Context context, WriteCodec<W> codec, IdleStrategy pollIdle) {
        return builder(codec).pollIdle(pollIdle).connect(context);
    }

    /**
     * @param codec the codec the cluster's {@link EpochRingClusteredService} decodes with
     * @return a builder of a writer with that codec, to set what {@link #connect} leaves at its defaults
     */
    public static <W> Builder<W> builder(WriteCodec<W> codec) {
        return new Builder<>(Objects.requireNonNull(codec, "codec must not be null"));
    }

    /** Settings of a {@link ClusterWriter}; {@link #connect} makes one. */
    public static final class Builder<W> {
        private final WriteCodec<W> codec;
        private IdleStrategy pollIdle = new SleepingMillisIdleStrategy(1);
        private Duration replyTimeout = DEFAULT_REPLY_TIMEOUT;

        private Builder(WriteCodec<W> codec) {
            this.codec = codec;
        }

        /**
         * The idle strategy of the thread that polls the egress for replies, called with the work
         * each poll found. The default sleeps 1 ms when no reply came, which adds up to a
         * millisecond to every REPLICATED latency; a {@link org.agrona.concurrent.BackoffIdleStrategy}
         * answers within microseconds of a reply and still parks when the cluster is quiet; a
         * busy-spinning one takes a core.
         */
        public Builder<W> pollIdle(IdleStrategy pollIdle) {
            this.pollIdle = Objects.requireNonNull(pollIdle, "pollIdle must not be null");
            return this;
        }

        /**
         * How long a write waits for its reply before it is sent again (default
         * {@link #DEFAULT_REPLY_TIMEOUT}): the cluster answers a write it already applied with its
         * first epoch, so this only bounds how long a lost reply delays the future. Keep it well
         * above the slowest commit you expect, or writes are sent again for nothing.
         */
        public Builder<W> replyTimeout(Duration replyTimeout) {
            Objects.requireNonNull(replyTimeout, "replyTimeout must not be null");
            if (replyTimeout.toMillis() < 1) {
                throw new IllegalArgumentException("replyTimeout must be at least 1 ms, was " + replyTimeout);
            }
            this.replyTimeout = replyTimeout;
            return this;
        }

        /**
         * Connects to the cluster (waiting, as Aeron does, up to the context's message timeout for a
         * leader) and starts polling its egress. The context's egress listener is the writer's own.
         *
         * @param context where the cluster is: ingress channel and endpoints, egress channel, Aeron directory
         */
        public ClusterWriter<W> connect(AeronCluster.Context context) {
            Objects.requireNonNull(context, "context must not be null");
            ClusterWriter<W> writer = new ClusterWriter<>(codec, TimeUnit.SECONDS.toNanos(1), randomWriterId(), pollIdle, replyTimeout);
            if (context.errorHandler() == Aeron.Configuration.DEFAULT_ERROR_HANDLER) {
                // Aeron's default handler ends the JVM when the media driver goes away; a library must not.
                context.errorHandler(writer::onClientError);
            }
            writer.cluster = AeronCluster.connect(context.egressListener(writer.new Replies()));
            writer.lastKeepAliveNs = System.nanoTime();
            writer.nextReplyCheckNs = writer.lastKeepAliveNs;
            writer.poller.start();
            return writer;
        }
    }

    /** Random, so that writers need no coordination; 0 is left out so that it never looks unset. */
    private static long randomWriterId() {
        long id;
        do {
            id = new SecureRandom().nextLong();
        } while (id == 0);
        return id;
    }

    /**
     * Submits one write to the cluster.
     *
     * @return a future completing with the write's epoch when it is REPLICATED (see the class comment for failures)
     * @throws ShutdownException when this writer is closed
     */
    public CompletableFuture<Long> write(W write) {
        Objects.requireNonNull(write, "write must not be null");
        CompletableFuture<Long> future = new CompletableFuture<>();
        synchronized (lock) {
            if (closed) {
                throw new ShutdownException("the cluster writer is closed: connect a new one", write);
            }
            long sequence = nextSequence + 1;
            Map.Entry<Long, InFlight> oldest = pending.firstEntry();
            if (oldest != null && sequence - oldest.getKey() >= MAX_IN_FLIGHT) {
                future.completeExceptionally(new ClusterWriteException("write " + oldest.getKey() + " of this writer has had no "
                        + "answer for " + MAX_IN_FLIGHT + " writes (the cluster remembers that many per writer to recognise a "
                        + "write sent again); the write was not sent. Wait for the futures of earlier writes, then retry"));
                return future;
            }
            int length;
            try {
                buffer.putLong(ReplicationProtocol.WRITER_ID_OFFSET, writerId);
                buffer.putLong(ReplicationProtocol.SEQUENCE_OFFSET, sequence);
                length = ReplicationProtocol.WRITE_OFFSET + codec.encode(write, buffer, ReplicationProtocol.WRITE_OFFSET);
            } catch (RuntimeException e) {
                future.completeExceptionally(new ClusterWriteException("codec '" + codec.name() + "' could not encode the write ("
                        + e.getMessage() + "); nothing was sent", e));
                return future;
            }
            nextSequence = sequence;
            long deadline = System.nanoTime() + DEFAULT_OFFER_TIMEOUT.toNanos();
            // Writes resent to a new leader go first: the service takes a sequence at or below the highest it applied as a retry.
            long result;
            do {
                result = sendResends(deadline);
                if (result >= 0) {
                    result = offer(buffer, length, deadline, true);
                }
            } while (result == RESENDS_FIRST);
            if (result >= 0) {
                // Only now: no reply can come before, since replies are polled under the lock this thread holds.
                pending.put(sequence, new InFlight(future, buffer, length, System.nanoTime()));
            } else {
                future.completeExceptionally(new ClusterWriteException("the cluster ingress refused the write ("
                        + describe(result) + "); it was not sent. Retry when the cluster has a leader and keeps up"));
            }
        }
        return future;
    }

    /**
     * Offers until the ingress takes the message or {@code deadline} passes. Holds the lock.
     *
     * @param yieldToResends stop with {@link #RESENDS_FIRST} when a new leader is elected meanwhile
     * @return Aeron's last offer result, or {@link #RESENDS_FIRST}
     */
    private long offer(DirectBuffer message, int length, long deadline, boolean yieldToResends) {
        offerIdle.reset();
        long result;
        while ((result = cluster.offer(message, 0, length)) < 0) {
            // Not connected: the session is moving to a new leader, or the ingress is not up yet. Nothing was sent, so trying again is safe.
            boolean retry = result == Publication.BACK_PRESSURED || result == Publication.ADMIN_ACTION
                    || result == Publication.NOT_CONNECTED;
            if (!retry || System.nanoTime() - deadline > 0) {
                return result;
            }
            cluster.pollEgress();
            if (yieldToResends && resendsDue) {
                return RESENDS_FIRST;
            }
            offerIdle.idle();
        }
        return result;
    }

    /**
     * Sends the pending writes marked for resending, in sequence order, until {@code deadline}. Holds the lock.
     *
     * @return 0 when none is left to resend, else the offer result that stopped it
     */
    private long sendResends(long deadline) {
        while (resendsDue) {
            resendsDue = false;
            for (Map.Entry<Long, InFlight> e : pending.entrySet()) {
                InFlight write = e.getValue();
                if (!write.resendDue) {
                    continue;
                }
                long result = offer(write.message, write.message.capacity(), deadline, false);
                if (result < 0) {
                    resendsDue = true;
                    return result;
                }
                write.resendDue = false;
                write.sentAtNs = System.nanoTime();
                resent++;
                if (resendsDue) {
                    break; // another leader came while offering: start again from the oldest
                }
            }
        }
        return 0;
    }

    private static String describe(long result) {
        if (result == Publication.NOT_CONNECTED) {
            return "not connected to a leader for " + DEFAULT_OFFER_TIMEOUT;
        } else if (result == Publication.BACK_PRESSURED) {
            return "back-pressured for " + DEFAULT_OFFER_TIMEOUT;
        } else if (result == Publication.ADMIN_ACTION) {
            return "an admin action outlasted " + DEFAULT_OFFER_TIMEOUT;
        } else if (result == Publication.CLOSED) {
            return "the ingress publication is closed";
        } else if (result == Publication.MAX_POSITION_EXCEEDED) {
            return "the ingress publication reached its maximum position";
        }
        return "offer result " + result;
    }

    /** Polls the egress and keeps the session alive; one daemon thread. */
    private void pollEgress() {
        IdleStrategy idle = pollIdle;
        while (!closed) {
            int work;
            synchronized (lock) {
                if (closed) {
                    return;
                }
                try {
                    work = cluster.pollEgress();
                    if (resendsDue) {
                        sendResends(System.nanoTime()); // one try per pass: new writes and this thread share the lock
                    }
                    long now = System.nanoTime();
                    if (now - lastKeepAliveNs >= keepAliveIntervalNs && cluster.sendKeepAlive()) {
                        lastKeepAliveNs = now;
                    }
                    if (now - nextReplyCheckNs >= 0) {
                        nextReplyCheckNs = now + Math.max(replyTimeoutNs / 4, TimeUnit.MILLISECONDS.toNanos(1));
                        resendOverdue(now);
                    }
                } catch (RuntimeException | Error e) {
                    // This thread is what completes futures: without it every pending write would wait for ever.
                    failAll("the cluster client failed (" + e + ")");
                    if (e instanceof Error error) {
                        throw error;
                    }
                    return;
                }
            }
            idle.idle(work);
        }
    }

    private void onClientError(Throwable error) {
        LOG.log(System.Logger.Level.WARNING, "cluster client error", error);
        if (error instanceof DriverTimeoutException) {
            failAll("the Aeron media driver of this cluster client went away (" + error.getMessage() + ")");
        }
    }

    private void failAll(String why) {
        List<Long> sequences = new ArrayList<>(pending.keySet());
        for (Long sequence : sequences) {
            InFlight write = pending.remove(sequence);
            if (write != null) {
                write.future.completeExceptionally(new ClusterWriteException(why + "; the write's outcome is unknown: it may or "
                        + "may not be in the cluster log, and only this writer's own resends are recognised as the same write. "
                        + "Check whether it was applied before writing it again"));
            }
        }
    }

    /**
     * Marks for resending the writes whose reply is overdue, or fails those sent too often: the
     * leader stayed, but their reply was lost (or is very late, and the resend is answered with
     * the same epoch). Holds the lock.
     */
    private void resendOverdue(long now) {
        for (Map.Entry<Long, InFlight> e : pending.entrySet()) {
            // Also a write still waiting to be sent again (the ingress refusing it all along): each timeout counts as a send.
            if (now - e.getValue().sentAtNs >= replyTimeoutNs
                && sendAgain(e, now, () -> "no reply came for this write within " + Duration.ofNanos(replyTimeoutNs) + " of each of its "
                        + (MAX_RESENDS + 1) + " sends (or tries to send it); its outcome is unknown: it may or may not be in the cluster "
                        + "log. Check that the cluster has a leader and keeps up, and whether the write was applied before writing it again")) {
                replyTimeouts++;
            }
        }
    }

    /** A new leader: every write without an answer may or may not be in the log, so all go again, to the new leader. */
    private void onNewLeader(int leaderMemberId) {
        leaderChanges++;
        long now = System.nanoTime(); // the reply timeout runs from the new leader on
        for (Map.Entry<Long, InFlight> e : pending.entrySet()) {
            sendAgain(e, now, () -> "the cluster elected a new leader (member " + leaderMemberId + ") for the " + (MAX_RESENDS + 1)
                    + "th time while this write was in flight, and it was sent again " + MAX_RESENDS + " times; its outcome is "
                    + "unknown: it may or may not be in the cluster log. Check whether it was applied before writing it again");
        }
    }

    /**
     * Marks a pending write to be sent again, its reply timeout running from {@code now}; or, when it
     * was sent again {@link #MAX_RESENDS} times already, fails it with {@code whyGivingUp}. Holds the lock.
     *
     * @return whether it was marked
     */
    private boolean sendAgain(Map.Entry<Long, InFlight> entry, long now, Supplier<String> whyGivingUp) {
        InFlight write = entry.getValue();
        if (write.resends == MAX_RESENDS) {
            if (pending.remove(entry.getKey(), write)) {
                write.future.completeExceptionally(new ClusterWriteException(whyGivingUp.get()));
            }
            return false;
        }
        write.resends++;
        write.resendDue = true;
        write.sentAtNs = now;
        resendsDue = true;
        return true;
    }

    /**
     * Asks the cluster to take a snapshot now (an admin request, which the consensus module's
     * authorisation service must allow); each node's service then records its position.
     *
     * @return false when the request could not be sent; try again
     */
    public boolean requestSnapshot() {
        synchronized (lock) {
            if (closed) {
                throw new ShutdownException("the cluster writer is closed: connect a new one", null);
            }
            return cluster.sendAdminRequestToTakeASnapshot(++nextAdminCorrelationId);
        }
    }

    /** @return the member id of the leader this writer's session talks to now */
    public int leaderMemberId() {
        synchronized (lock) {
            return cluster.leaderMemberId();
        }
    }

    /** @return how many times this writer's session moved to a newly elected leader */
    public long leaderChanges() {
        return leaderChanges;
    }

    /** @return how many writes this writer sent again, to a new leader or after a reply timeout (a write sent again twice counts twice) */
    public long resentWrites() {
        return resent;
    }

    /** @return how many times a write was sent again because its reply did not come in time while the leader stayed */
    public long replyTimeouts() {
        return replyTimeouts;
    }

    /** @return writes submitted whose reply has not come yet */
    public int pendingWrites() {
        return pending.size();
    }

    /** @return this writer's id, which every write it sends carries */
    public long writerId() {
        return writerId;
    }

    /** Closes the cluster session; writes still pending fail with an unknown outcome. */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            poller.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (lock) {
            try {
                cluster.close();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "closing the cluster client failed", e);
            }
        }
        failAll("the cluster writer was closed");
    }

    /** The egress listener: replies from the leader's service, and session events. */
    private final class Replies implements EgressListener {

        @Override
        public void onMessage(long clusterSessionId, long timestamp, DirectBuffer buffer, int offset, int length, Header header) {
            if (length < ReplicationProtocol.REPLY_LENGTH) {
                return;
            }
            InFlight write = pending.remove(buffer.getLong(offset + ReplicationProtocol.REPLY_SEQUENCE_OFFSET));
            if (write == null) {
                return; // answered already: the reply to a resent write, or to its first send
            }
            CompletableFuture<Long> future = write.future;
            long epoch = buffer.getLong(offset + ReplicationProtocol.EPOCH_OFFSET);
            if (epoch == ReplicationProtocol.REFUSED) {
                future.completeExceptionally(new ClusterWriteException(buffer.getStringWithoutLengthUtf8(
                        offset + ReplicationProtocol.REASON_OFFSET, length - ReplicationProtocol.REASON_OFFSET)));
            } else {
                future.complete(epoch);
            }
        }

        @Override
        public void onSessionEvent(long correlationId, long clusterSessionId, long leadershipTermId, int leaderMemberId,
                                   EventCode code, String detail) {
            if (code == EventCode.ERROR || code == EventCode.CLOSED || code == EventCode.AUTHENTICATION_REJECTED) {
                failAll("the cluster reported " + code + " for this session (" + detail + ")");
            }
        }

        @Override
        public void onNewLeader(long clusterSessionId, long leadershipTermId, int leaderMemberId, String ingressEndpoints) {
            ClusterWriter.this.onNewLeader(leaderMemberId);
        }
    }

    /** A write sent and not answered yet: its future, and its message, kept to send it again (to a new leader, or after a lost reply). */
    private static final class InFlight {
        final CompletableFuture<Long> future;
        final UnsafeBuffer message;
        int resends;
        boolean resendDue;
        /** When it was last offered to the cluster: its reply is overdue {@link #replyTimeoutNs} later. */
        long sentAtNs;

        InFlight(CompletableFuture<Long> future, DirectBuffer encoded, int length, long sentAtNs) {
            this.future = future;
            this.sentAtNs = sentAtNs;
            byte[] copy = new byte[length];
            encoded.getBytes(0, copy);
            this.message = new UnsafeBuffer(copy);
        }
    }
}
