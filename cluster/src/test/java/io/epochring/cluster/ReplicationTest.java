package io.epochring.cluster;

import io.aeron.cluster.client.AeronCluster;
import io.aeron.cluster.service.Cluster;
import io.epochring.DurabilityLevel;
import io.epochring.WriteCodec;
import io.epochring.testing.Put;
import io.epochring.testing.RecordingDelta;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Three Aeron Cluster nodes in this JVM, each with its own EpochRing, journal and storage: writes
 * submitted through a {@link ClusterWriter} become REPLICATED with an epoch, and every node applies
 * every one of them once, in the same order, with the same epochs.
 */
class ReplicationTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final List<ClusterNode> nodes = new ArrayList<>();
    private ClusterWriter<Put> writer;
    private ClusterNode clientNode;

    @AfterEach
    void closeAll() {
        if (writer != null) {
            writer.close();
        }
        nodes.forEach(ClusterNode::close);
    }

    @Test
    void everyNodeAppliesEveryReplicatedWriteOnceInLogOrder() throws Exception {
        startCluster();
        Map<Put, Long> epochs = new HashMap<>(writeConcurrently("w", 200));

        assertThat(epochs.values()).containsExactlyInAnyOrderElementsOf(range(1, 200));

        // A write the service cannot decode gets no epoch on any node, and its writer is told why.
        try (ClusterWriter<Put> garbage = connect(new GarbageCodec())) {
            assertThatThrownBy(() -> garbage.write(new Put("garbage", 1)).get(WAIT.toSeconds(), TimeUnit.SECONDS))
                    .hasCauseInstanceOf(ClusterWriteException.class)
                    .hasMessageContaining("could not be decoded")
                    .hasMessageContaining("not applied on any node");
        }
        Put last = new Put("w-last", 201);
        assertThat(writer.write(last).get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(201);
        epochs.put(last, 201L);
        awaitApplied(201);
        closeWriter();
        stopCluster();

        for (ClusterNode node : nodes) {
            List<RecordingDelta.Applied> applied = node.applied();
            assertThat(applied).as("node %d applies the cluster log in order", node.memberId())
                    .isEqualTo(nodes.get(0).applied());
            assertThat(applied).extracting(RecordingDelta.Applied::epoch).containsExactlyElementsOf(range(1, 201));
            for (RecordingDelta.Applied a : applied) {
                assertThat(a.epoch()).as("the epoch the writer was told for %s", a.write()).isEqualTo(epochs.get(a.write()));
            }
            assertThat(node.storage().ledger().totals()).isEqualTo(expectedTotals(epochs));
            assertThat(node.storage().ledger().isExactlyOnceUpTo(201)).as("node %d storage", node.memberId()).isTrue();
        }
    }

    @Test
    void afterASnapshotAndARestartNoWriteIsAppliedTwiceAndEpochsGoOn() throws Exception {
        Map<Put, Long> epochs = startWithASnapshotBetween(40, 40);
        closeWriter();
        stopCluster();

        // The rings recover their journals (epoch 80); Aeron replays the log from the snapshot (epoch 40).
        nodes.forEach(ClusterNode::start);
        connectWriter();
        Map<Put, Long> afterRestart = writeConcurrently("after-restart", 40);
        assertThat(afterRestart.values()).containsExactlyInAnyOrderElementsOf(range(81, 120));
        epochs.putAll(afterRestart);
        awaitApplied(120);
        closeWriter();
        stopCluster();

        for (ClusterNode node : nodes) {
            assertThat(node.service().snapshotEpoch()).as("node %d loaded the snapshot", node.memberId()).isEqualTo(40);
            assertThat(node.applied()).as("node %d applies only the new writes after its restart", node.memberId())
                    .isEqualTo(nodes.get(0).applied())
                    .extracting(RecordingDelta.Applied::epoch).containsExactlyElementsOf(range(81, 120));
            assertThat(node.storage().ledger().totals()).isEqualTo(expectedTotals(epochs));
            assertThat(node.storage().ledger().isExactlyOnceUpTo(120)).as("node %d storage", node.memberId()).isTrue();
        }
    }

    @Test
    void aNodeWhoseRingLostWritesTheSnapshotClaimsRefusesToStartAndSaysWhich() throws Exception {
        startWithASnapshotBetween(20, 0);
        closeWriter();
        stopCluster();

        nodes.get(2).loseRingData();
        nodes.forEach(ClusterNode::start);

        await("node 2 to refuse to start", () -> nodes.get(2).service().failure().isPresent());
        assertThat(nodes.get(2).service().failure().get())
                .hasMessageContaining("snapshot holds epochs up to 20")
                .hasMessageContaining("ring 'node2' recovered only up to 0")
                .hasMessageContaining("epochs 1..20 would be missing")
                .hasMessageContaining("empty the node's whole directory");
        assertThat(nodes.get(0).service().failure()).isEmpty();
        assertThat(nodes.get(1).service().failure()).isEmpty();

        // and doing what the message says brings it back with every write
        ClusterNode refused = nodes.get(2);
        refused.close();
        refused.loseAllData();
        refused.start();
        await("the emptied node to apply epoch 20 again", () -> refused.ring().watermark(DurabilityLevel.APPLIED) >= 20);
        assertThat(refused.service().failure()).isEmpty();
        refused.close();
        assertThat(refused.applied()).extracting(RecordingDelta.Applied::epoch).containsExactlyElementsOf(range(1, 20));
        assertThat(refused.storage().ledger().isExactlyOnceUpTo(20)).isTrue();
    }

    @Test
    void aNodeThatLostAllItsDataCatchesUpFromThePeersLogPastTheirSnapshot() throws Exception {
        Map<Put, Long> epochs = startWithASnapshotBetween(40, 40);

        // given a follower whose machine is replaced: journal, storage, cluster log and snapshots gone
        ClusterNode replaced = nodes.stream().filter(n -> n != leader() && n != clientNode).findFirst().orElseThrow();
        replaced.close();
        replaced.loseAllData();
        epochs.putAll(writeConcurrently("while-away", 40));

        // when it starts again, empty, while the others go on
        replaced.start();
        epochs.putAll(writeConcurrently("after-return", 40));

        // then it catches up from the others' log, from its start (the snapshots hold positions, not data), and holds what they hold
        awaitApplied(160);
        closeWriter();
        stopCluster();
        ClusterNode peer = nodes.stream().filter(n -> n != replaced).findFirst().orElseThrow();
        assertThat(replaced.service().failure()).isEmpty();
        assertThat(replaced.applied()).extracting(RecordingDelta.Applied::epoch).containsExactlyElementsOf(range(1, 160));
        assertThat(replaced.applied()).as("the replaced node applied what its peer applied, in the same order")
                .isEqualTo(peer.applied());
        for (RecordingDelta.Applied a : replaced.applied()) {
            assertThat(a.epoch()).as("the epoch the writer was told for %s", a.write()).isEqualTo(epochs.get(a.write()));
        }
        assertThat(replaced.storage().ledger().totals()).isEqualTo(expectedTotals(epochs));
        assertThat(replaced.storage().ledger().isExactlyOnceUpTo(160)).isTrue();
    }

    @Test
    void whenTheLeaderStopsTheOthersElectANewOneAndGoOnInTheSameOrder() throws Exception {
        startCluster();
        Map<Put, Long> epochs = new HashMap<>(writeConcurrently("before", 50));
        ClusterNode leader = leader();
        leader.close();
        await("a new leader", () -> nodes.stream().anyMatch(n -> n != leader && n.service().role() == Cluster.Role.LEADER));
        int newLeader = leader().memberId();
        await("the writer to follow the new leader", () -> writer.leaderMemberId() == newLeader);
        epochs.putAll(writeConcurrently("after", 50));
        assertThat(epochs.values()).containsExactlyInAnyOrderElementsOf(range(1, 100));
        List<ClusterNode> survivors = nodes.stream().filter(n -> n != leader).toList();
        await("the survivors to apply epoch 100",
              () -> survivors.stream().allMatch(n -> n.ring().watermark(DurabilityLevel.APPLIED) >= 100));
        closeWriter();
        stopCluster();

        for (ClusterNode node : survivors) {
            assertThat(node.applied()).isEqualTo(survivors.get(0).applied())
                    .extracting(RecordingDelta.Applied::epoch).containsExactlyElementsOf(range(1, 100));
            for (RecordingDelta.Applied a : node.applied()) {
                assertThat(a.epoch()).isEqualTo(epochs.get(a.write()));
            }
            assertThat(node.storage().ledger().totals()).isEqualTo(expectedTotals(epochs));
            assertThat(node.storage().ledger().isExactlyOnceUpTo(100)).isTrue();
        }
        assertThat(survivors.get(0).applied()).startsWith(leader.applied().toArray(new RecordingDelta.Applied[0]));
    }

    @Test
    void writesLeftWithoutAnAnswerByTheLeaderAreSentAgainAndEachGetsOneEpoch() throws Exception {
        startCluster();
        Map<Put, Long> epochs = new HashMap<>(writeConcurrently("before", 20));

        // given writes the leader's service never answers (it stopped; its consensus module may commit
        // some before it steps down, so some are in the log and some are not)
        ClusterNode leader = leader();
        leader.stopService();
        List<Put> inFlight = new ArrayList<>();
        Map<Put, CompletableFuture<Long>> futures = new HashMap<>();
        for (int i = 0; i < 30; i++) {
            Put put = new Put("in-flight-" + i, i);
            inFlight.add(put);
            futures.put(put, writer.write(put));
        }

        // when the leader goes and another is elected
        leader.close();

        // then every one of them gets an epoch, in the order they were written, once
        for (int i = 0; i < inFlight.size(); i++) {
            Put put = inFlight.get(i);
            assertThat(futures.get(put).get(WAIT.toSeconds(), TimeUnit.SECONDS)).as("epoch of %s", put).isEqualTo(21L + i);
            epochs.put(put, 21L + i);
        }
        assertThat(writer.leaderChanges()).isGreaterThanOrEqualTo(1);
        epochs.putAll(writeConcurrently("after", 20));
        assertThat(epochs.values()).containsExactlyInAnyOrderElementsOf(range(1, 70));
        List<ClusterNode> survivors = nodes.stream().filter(n -> n != leader).toList();
        await("the survivors to apply epoch 70",
              () -> survivors.stream().allMatch(n -> n.ring().watermark(DurabilityLevel.APPLIED) >= 70));
        assertThat(survivors.get(1).service().duplicates()).as("both survivors recognise the same writes as sent again")
                .isEqualTo(survivors.get(0).service().duplicates());
        System.out.printf("writes left without an answer: %d sent again, %d of them already in the log%n",
                          writer.resentWrites(), survivors.get(0).service().duplicates());
        closeWriter();
        stopCluster();

        // and every survivor applied each write once, at the epoch its writer was told
        for (ClusterNode node : survivors) {
            assertThat(node.applied()).isEqualTo(survivors.get(0).applied())
                    .extracting(RecordingDelta.Applied::epoch).containsExactlyElementsOf(range(1, 70));
            for (RecordingDelta.Applied a : node.applied()) {
                assertThat(a.epoch()).isEqualTo(epochs.get(a.write()));
            }
            assertThat(node.storage().ledger().isExactlyOnceUpTo(70)).isTrue();
        }
    }

    @Test
    void writesWhoseRepliesAreLostWhileTheLeaderStaysAreSentAgainAndAnsweredWithTheirFirstEpoch() throws Exception {
        startCluster();
        closeWriter();
        writer = connect(new CheckedPutCodec(), Duration.ofMillis(300));
        Map<Put, Long> epochs = new HashMap<>(writeConcurrently("before", 10));

        // given a leader whose next 10 replies are lost on the way to the writer
        ClusterNode leader = leader();
        leader.replies().drop(10);
        List<CompletableFuture<Long>> futures = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Put put = new Put("lost-reply-" + i, i);
            futures.add(writer.write(put));
            epochs.put(put, 11L + i);
        }

        // then each write is sent again once its reply is overdue, and answered with the epoch it got the first time
        for (int i = 0; i < 10; i++) {
            assertThat(futures.get(i).get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(11L + i);
        }
        assertThat(leader.replies().dropped()).isEqualTo(10);
        assertThat(writer.replyTimeouts()).isGreaterThanOrEqualTo(10);
        assertThat(writer.leaderChanges()).as("the leader stayed").isZero();

        // and a write none of whose replies arrive fails after its last resend, saying its outcome is unknown
        leader.replies().drop(Integer.MAX_VALUE);
        Put unanswered = new Put("never-answered", 1);
        CompletableFuture<Long> failing = writer.write(unanswered);
        assertThatThrownBy(() -> failing.get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .hasCauseInstanceOf(ClusterWriteException.class)
                .hasMessageContaining("no reply came for this write")
                .hasMessageContaining("outcome is unknown");
        leader.replies().drop(0);
        epochs.put(unanswered, 21L); // it reached the log with its first send; the resends were recognised
        Put last = new Put("after", 1);
        assertThat(writer.write(last).get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(22L);
        epochs.put(last, 22L);
        awaitApplied(22);
        closeWriter();
        stopCluster();

        for (ClusterNode node : nodes) {
            assertThat(node.service().duplicates()).as("node %d recognised every resend", node.memberId())
                    .isEqualTo(nodes.get(0).service().duplicates()).isGreaterThanOrEqualTo(10 + ClusterWriter.MAX_RESENDS);
            assertThat(node.applied()).extracting(RecordingDelta.Applied::epoch).containsExactlyElementsOf(range(1, 22));
            for (RecordingDelta.Applied a : node.applied()) {
                assertThat(a.epoch()).as("the epoch of %s", a.write()).isEqualTo(epochs.get(a.write()));
            }
            assertThat(node.storage().ledger().isExactlyOnceUpTo(22)).isTrue();
        }
    }

    /** Starts the cluster, writes {@code before} writes, has every node take a snapshot, then writes {@code after} more. */
    private Map<Put, Long> startWithASnapshotBetween(int before, int after) throws Exception {
        startCluster();
        Map<Put, Long> epochs = new HashMap<>(writeConcurrently("before-snapshot", before));
        await("a snapshot request to be sent", writer::requestSnapshot);
        await("every node to take the snapshot at epoch " + before,
              () -> nodes.stream().allMatch(n -> n.service().snapshotEpoch() == before));
        epochs.putAll(writeConcurrently("after-snapshot", after));
        awaitApplied(before + after);
        return epochs;
    }

    private ClusterNode leader() {
        return nodes.stream().filter(n -> n.ring() != null && n.service().role() == Cluster.Role.LEADER).findFirst().orElseThrow();
    }

    private void startCluster() {
        ClusterPorts ports = ClusterPorts.free(3);
        for (int m = 0; m < 3; m++) {
            nodes.add(new ClusterNode(m, dir.resolve("node" + m), ports, ports.ingressEndpoints()).start());
        }
        connectWriter();
    }

    private void connectWriter() {
        await("a leader", () -> nodes.stream().anyMatch(n -> n.service().role() == Cluster.Role.LEADER));
        clientNode = nodes.stream().filter(n -> n.service().role() != Cluster.Role.LEADER).findFirst().orElseThrow();
        writer = connect(new CheckedPutCodec());
    }

    /** Through a follower's media driver: stopping the leader then leaves the writer's driver running. */
    private <W> ClusterWriter<W> connect(WriteCodec<W> codec) {
        return connect(codec, ClusterWriter.DEFAULT_REPLY_TIMEOUT);
    }

    private <W> ClusterWriter<W> connect(WriteCodec<W> codec, Duration replyTimeout) {
        return ClusterWriter.builder(codec).replyTimeout(replyTimeout).connect(new AeronCluster.Context()
                .aeronDirectoryName(clientNode.aeronDirectoryName())
                .ingressChannel("aeron:udp")
                .ingressEndpoints(nodes.get(0).ingressEndpoints())
                .egressChannel("aeron:udp?endpoint=127.0.0.1:0")
                .messageTimeoutNs(WAIT.toNanos()));
    }

    /** Two threads submit {@code count} writes between them; returns the epoch each became REPLICATED with. */
    private Map<Put, Long> writeConcurrently(String prefix, int count) throws Exception {
        List<Put> writes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            writes.add(new Put(prefix + "-" + i, i + 1));
        }
        Map<Put, CompletableFuture<Long>> futures = new HashMap<>();
        CompletableFuture<Void> second = CompletableFuture.runAsync(() -> submit(writes.subList(count / 2, count), futures));
        submit(writes.subList(0, count / 2), futures);
        second.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        Map<Put, Long> epochs = new HashMap<>();
        for (Map.Entry<Put, CompletableFuture<Long>> e : futures.entrySet()) {
            epochs.put(e.getKey(), e.getValue().get(WAIT.toSeconds(), TimeUnit.SECONDS));
        }
        return epochs;
    }

    private void submit(List<Put> writes, Map<Put, CompletableFuture<Long>> futures) {
        for (Put put : writes) {
            CompletableFuture<Long> future = writer.write(put);
            synchronized (futures) {
                futures.put(put, future);
            }
        }
    }

    private void awaitApplied(long epoch) {
        await("every ring to apply epoch " + epoch,
              () -> nodes.stream().allMatch(n -> n.ring().watermark(DurabilityLevel.APPLIED) >= epoch));
    }

    /** Before the nodes: the writer's Aeron client uses a node's media driver. */
    private void closeWriter() {
        writer.close();
        writer = null;
    }

    private void stopCluster() {
        nodes.forEach(ClusterNode::close);
    }

    /** Bounded polling of cluster state, 1 ms apart: the nodes' threads need the two cores more than this one. */
    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + WAIT + " waiting for " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    /** Three bytes that are no {@link Put}: the service's codec refuses them. */
    private static final class GarbageCodec implements WriteCodec<Put> {
        @Override
        public int encode(Put write, MutableDirectBuffer buffer, int offset) {
            buffer.putBytes(offset, new byte[] {1, 2, 3});
            return 3;
        }

        @Override
        public Put decode(DirectBuffer buffer, int offset, int length) {
            throw new UnsupportedOperationException("never decoded");
        }
    }

    private static List<Long> range(long first, long last) {
        return LongStream.rangeClosed(first, last).boxed().toList();
    }

    private static Map<String, Long> expectedTotals(Map<Put, Long> epochs) {
        Map<String, Long> totals = new HashMap<>();
        epochs.keySet().forEach(p -> totals.put(p.key(), p.value()));
        return totals;
    }
}
