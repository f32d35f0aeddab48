package io.epochring.cluster;

import io.aeron.cluster.client.AeronCluster;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.epochring.journal.JournalInspector;
import io.epochring.journal.RecordType;
import io.epochring.journal.support.TestDirs;
import io.epochring.testing.Put;
import io.epochring.testing.PutCodec;
import org.agrona.CloseHelper;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Three cluster nodes, each a process of its own ({@link ClusterNodeMain}), and writers in this JVM
 * awaiting REPLICATED through a {@link ClusterWriter}. Each round kills the leader with
 * {@code kill -9} after a random number of acknowledgements, restarts it on its directory, and
 * waits until a new leader acknowledges a write and every node journaled it. After each round and
 * at the end, every node's journal holds the same writes in the same order, every write
 * acknowledged REPLICATED is there once at the epoch it was acknowledged with, no write appears
 * twice, and no write refused as "not sent" appears at all.
 *
 * <p>Rounds: {@code -Depochring.cluster.rounds} (0 by default, so the default build skips it; 20
 * with {@code -Pcluster}); a round's kill moment can be replayed with {@code -Depochring.cluster.seed}.
 */
class LeaderKillTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int WRITER_THREADS = 2;

    /** A write acknowledged REPLICATED, with when its future completed and how many leader changes the writer had seen then. */
    record Ack(Put put, long epoch, long completedNs, long leaderChanges) {
    }

    private final List<NodeProcess> nodes = new ArrayList<>(Collections.nCopies(3, null));
    private final Queue<Ack> acks = new ConcurrentLinkedQueue<>();
    /** Writes whose future failed with an unknown outcome: each may be in the log, at most once. */
    private final Queue<Put> unknown = new ConcurrentLinkedQueue<>();
    /** Writes the writer says it did not send: none may be in the log. */
    private final Queue<Put> notSent = new ConcurrentLinkedQueue<>();
    private final Queue<Throwable> writerErrors = new ConcurrentLinkedQueue<>();
    private final AtomicLong maxAcked = new AtomicLong();
    private volatile boolean stopWriting;
    private MediaDriver clientDriver;
    private ClusterWriter<Put> writer;
    private final List<Thread> writers = new ArrayList<>();

    @AfterEach
    void stopEverything() throws InterruptedException {
        stopWriting = true;
        for (Thread t : writers) {
            t.join(WAIT.toMillis());
        }
        if (writer != null) {
            writer.close();
        }
        nodes.stream().filter(n -> n != null).forEach(NodeProcess::close);
        CloseHelper.close(clientDriver);
    }

    @Test
    void everyReplicatedWriteIsOnEveryNodeOnceInOrderAfterKillNineOfTheLeader() throws Exception {
        int rounds = Integer.getInteger("epochring.cluster.rounds", 0);
        assumeTrue(rounds > 0, "kill -9 rounds of child-process nodes run with -Pcluster (or -Depochring.cluster.rounds=N)");
        long seed = Long.getLong("epochring.cluster.seed", System.nanoTime());
        Random random = new Random(seed);
        Path dir = TestDirs.fresh("cluster-kill");
        ClusterPorts ports = ClusterPorts.free(3);
        String members = ports.clusterMembers();

        // given three nodes in processes of their own, a leader, and writers awaiting REPLICATED
        for (int m = 0; m < 3; m++) {
            nodes.set(m, NodeProcess.start(m, dir.resolve("node" + m), members));
        }
        await("three started nodes and a leader", () -> nodes.stream().allMatch(NodeProcess::started) && leader() != null);
        clientDriver = MediaDriver.launch(new MediaDriver.Context()
                .aeronDirectoryName(dir.resolve("client-aeron").toString())
                .threadingMode(ThreadingMode.SHARED)
                .sharedIdleStrategy(new SleepingMillisIdleStrategy(1))
                .termBufferSparseFile(true)
                .publicationTermBufferLength(256 * 1024)
                .ipcTermBufferLength(256 * 1024)
                .dirDeleteOnStart(true)
                .dirDeleteOnShutdown(true));
        writer = ClusterWriter.connect(new AeronCluster.Context()
                .aeronDirectoryName(clientDriver.aeronDirectoryName())
                .ingressChannel("aeron:udp")
                .ingressEndpoints(ports.ingressEndpoints())
                .egressChannel("aeron:udp?endpoint=127.0.0.1:0")
                .messageTimeoutNs(WAIT.toNanos()), new CheckedPutCodec());
        for (int t = 0; t < WRITER_THREADS; t++) {
            int thread = t;
            Thread w = new Thread(() -> write(thread), "cluster-writer-" + t);
            writers.add(w);
            w.start();
        }

        // A kill while a journal creates its first files leaves Chronicle's metadata.cq4t empty, which the
        // journal then refuses to open: this test is about the cluster, so every journal exists before the first kill.
        await("every node to journal epoch 1", () -> nodes.stream().allMatch(n -> n.journaled() >= 1));

        List<Long> failoverMs = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            String context = "round " + round + " of " + rounds + " (seed " + seed + ", " + dir + ")";
            long roundStart = System.nanoTime();
            // when the leader is killed after a random number of acknowledgements
            int ackTarget = acks.size() + 20 + random.nextInt(200);
            await(context + ": " + ackTarget + " acknowledgements", () -> acks.size() >= ackTarget);
            await(context + ": the writer and the nodes to agree on the leader",
                  () -> leader() != null && writer.leaderMemberId() == leader().memberId());
            NodeProcess killed = leader();
            long ackedBeforeKill = maxAcked.get();
            long leaderChangesBeforeKill = writer.leaderChanges();
            long killedAt = System.nanoTime();
            killed.kill();
            nodes.set(killed.memberId(), NodeProcess.start(killed.memberId(), dir.resolve("node" + killed.memberId()), members));

            // then another leader acknowledges writes, and the restarted node catches up
            // An answer the old leader sent just before the kill may still arrive after it: only one the writer got
            // after it moved to a new leader counts.
            await(context + ": a write acknowledged by a new leader",
                  () -> acks.stream().anyMatch(a -> a.leaderChanges() > leaderChangesBeforeKill));
            long firstAckNs = acks.stream().filter(a -> a.leaderChanges() > leaderChangesBeforeKill)
                                  .mapToLong(Ack::completedNs).min().orElseThrow();
            long failover = TimeUnit.NANOSECONDS.toMillis(firstAckNs - killedAt);
            failoverMs.add(failover);
            long caughtUpTo = maxAcked.get();
            await(context + ": every node to journal epoch " + caughtUpTo,
                  () -> nodes.stream().allMatch(n -> n.journaled() >= caughtUpTo));
            int verified = verify(context, caughtUpTo);
            System.out.printf("cluster kill round %d: killed leader %d (pid %d) at epoch %d, first write acknowledged by the new leader"
                              + " after %d ms, %d writes verified on every node, %d resent, %d unknown outcomes, %d not sent so far,"
                              + " round %d ms%n", round, killed.memberId(), killed.pid(), ackedBeforeKill, failover, verified,
                              writer.resentWrites(), unknown.size(), notSent.size(),
                              TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - roundStart));
        }

        // then, once the writers stop and every node has the whole log, each journal holds it all, once, in order
        stopWriting = true;
        for (Thread t : writers) {
            t.join(WAIT.toMillis());
        }
        assertThat(writerErrors).as("errors the writers did not expect").isEmpty();
        long last = maxAcked.get();
        await("every node to journal the same last epoch, at least " + last, () -> {
            long first = nodes.get(0).journaled();
            return first >= last && nodes.stream().allMatch(n -> n.journaled() == first);
        });
        int verified = verify("at the end (seed " + seed + ", " + dir + ")", Long.MAX_VALUE);
        List<Long> sorted = failoverMs.stream().sorted().toList();
        System.out.printf("cluster kill test: %d rounds, %d writes acknowledged REPLICATED, %d in every node's journal once and in"
                          + " order, %d resent to a new leader, %d unknown outcomes, %d not sent; failover ms min %d median %d max %d,"
                          + " all %s; seed %d%n",
                          rounds, acks.size(), verified, writer.resentWrites(), unknown.size(), notSent.size(), sorted.get(0),
                          sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1), failoverMs, seed);
        assertThat(acks.size()).isGreaterThan(rounds * 20);
    }

    private void write(int thread) {
        for (long n = 1; !stopWriting; n++) {
            Put put = new Put("t" + thread + "-" + n, n);
            CompletableFuture<Long> future;
            try {
                future = writer.write(put);
                long epoch = future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                acks.add(new Ack(put, epoch, System.nanoTime(), writer.leaderChanges()));
                maxAcked.accumulateAndGet(epoch, Math::max);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof ClusterWriteException && e.getCause().getMessage().contains("it was not sent")) {
                    notSent.add(put);
                } else if (e.getCause() instanceof ClusterWriteException) {
                    unknown.add(put);
                } else {
                    writerErrors.add(e.getCause());
                }
            } catch (TimeoutException e) {
                unknown.add(put);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (!stopWriting) {
                    writerErrors.add(e);
                }
                return;
            }
        }
    }

    /**
     * Reads every node's journal up to {@code upTo} and checks it against what the writers were told.
     *
     * @return the number of writes checked
     */
    private int verify(String context, long upTo) {
        List<List<Put>> journals = new ArrayList<>();
        for (NodeProcess node : nodes) {
            List<Put> writes = new ArrayList<>();
            try (JournalInspector inspector = JournalInspector.open(node.log().resolveSibling("journal"))) {
                inspector.forEach(0, Long.MAX_VALUE, new PutCodec(), (entry, put) -> {
                    if (entry.type() == RecordType.WRITE && entry.epoch() <= upTo) {
                        assertThat(entry.epoch()).as(context + ": node %d journals epochs contiguously", node.memberId())
                                                 .isEqualTo(writes.size() + 1L);
                        writes.add(put);
                    }
                });
            }
            journals.add(writes);
        }
        int common = journals.stream().mapToInt(List::size).min().orElseThrow();
        for (int m = 1; m < journals.size(); m++) {
            assertThat(journals.get(m).subList(0, common)).as(context + ": node %d holds node 0's writes in the same order", m)
                                                         .isEqualTo(journals.get(0).subList(0, common));
        }
        List<Put> log = journals.get(0).subList(0, common);
        Set<Put> seen = new HashSet<>();
        for (Put put : log) {
            assertThat(seen.add(put)).as(context + ": %s is in the log once", put).isTrue();
        }
        Map<Put, Long> acknowledged = new HashMap<>();
        for (Ack ack : acks) {
            acknowledged.put(ack.put(), ack.epoch());
            if (ack.epoch() <= common) {
                assertThat(log.get((int) ack.epoch() - 1)).as(context + ": the write acknowledged at epoch %d", ack.epoch())
                                                          .isEqualTo(ack.put());
            }
        }
        Set<Put> unknownSet = new HashSet<>(unknown);
        for (Put put : log) {
            assertThat(acknowledged.containsKey(put) || unknownSet.contains(put) || isInFlight(put))
                    .as(context + ": %s is in the log though it was neither acknowledged nor in doubt", put).isTrue();
        }
        for (Put put : notSent) {
            assertThat(seen).as(context + ": a write refused as not sent").doesNotContain(put);
        }
        if (upTo == Long.MAX_VALUE) {
            assertThat(acknowledged.values()).as(context + ": every acknowledged epoch is in the log").allMatch(e -> e <= common);
        }
        return common;
    }

    /** A write of the log the writers were not yet told about: each thread's newest write only. */
    private boolean isInFlight(Put put) {
        if (stopWriting) {
            return false;
        }
        String thread = put.key().substring(0, put.key().indexOf('-'));
        long newestTold = acks.stream().filter(a -> a.put().key().startsWith(thread + "-")).mapToLong(a -> a.put().value()).max().orElse(0);
        return put.value() > newestTold;
    }

    /** @return the node whose process runs and last said it leads, or null */
    private NodeProcess leader() {
        return nodes.stream().filter(n -> n != null && n.isLeader()).findFirst().orElse(null);
    }

    /** Bounded polling, 1 ms apart, failing at once when a node failed or ended by itself. */
    private void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            for (NodeProcess node : nodes) {
                String problem = node == null ? null : node.problem();
                if (problem != null) {
                    throw new AssertionError(problem + " (while waiting for " + what + ")");
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + WAIT + " waiting for " + what + "; nodes: " + nodes);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }
}
