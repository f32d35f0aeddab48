package io.epochring.kv.cli;

import io.epochring.DurabilityLevel;
import io.epochring.WriteHandle;
import io.epochring.cluster.ClusterWriteException;
import io.epochring.kv.KvStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What {@code cluster-demo} checks once the nodes are stopped, on node directories written here by hand. */
class ClusterDemoVerificationTest {

    @TempDir
    Path tmp;

    @Test
    void shouldPassWhenAllThreeNodesTheRestartedOneTooHoldEveryAcknowledgedWrite() {
        // given three nodes holding writes 0..9, node 1 restarted after a kill, and every write acknowledged at epoch i + 1
        List<ClusterDemoVerification.Node> nodes = List.of(node(0, false, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
                                                           node(1, true, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
                                                           node(2, false, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9));
        ClusterDemoWrites writes = acknowledgedInOrder(10);

        // when verified
        ClusterDemoVerification.Result result = ClusterDemoVerification.verify(nodes, writes);

        // then it passes, saying what each node holds
        assertThat(result.problems()).isEmpty();
        assertThat(result.lines()).containsExactly(
                "node 0 (stopped)   journal epochs 1..10, the same writes in the same order as every other node; store 10 keys, all match",
                "node 1 (restarted) journal epochs 1..10, the same writes in the same order as every other node; store 10 keys, all match",
                "node 2 (stopped)   journal epochs 1..10, the same writes in the same order as every other node; store 10 keys, all match");
    }

    @Test
    void shouldReportARestartedNodeThatIsMissingTheTail() {
        // given two nodes holding writes 0..9 and the restarted node only 0..5: it did not catch up
        List<ClusterDemoVerification.Node> nodes = List.of(node(0, false, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
                                                           node(1, true, 0, 1, 2, 3, 4, 5),
                                                           node(2, false, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9));
        ClusterDemoWrites writes = acknowledgedInOrder(10);

        // when verified
        ClusterDemoVerification.Result result = ClusterDemoVerification.verify(nodes, writes);

        // then a node behind is a mismatch now that the demo waits for the catch-up
        assertThat(result.ok()).isFalse();
        assertThat(result.problems()).containsExactly("node 1 (restarted) holds epochs 1..6 of node 0's 1..10: it is missing the last 4");
        assertThat(result.lines()).contains(
                "node 1 (restarted) journal epochs 1..6, MISSING the last 4; store 6 keys, all match");
    }

    @Test
    void shouldReportAcknowledgedWritesThatNoNodeHolds() {
        // given three nodes that hold writes 0..1, though 0..2 were acknowledged
        List<ClusterDemoVerification.Node> nodes = List.of(node(0, false, 0, 1), node(1, true, 0, 1), node(2, false, 0, 1));
        ClusterDemoWrites writes = acknowledgedInOrder(3);

        ClusterDemoVerification.Result result = ClusterDemoVerification.verify(nodes, writes);

        assertThat(result.problems()).containsExactly("key-00000002 was acknowledged REPLICATED at epoch 3 but the nodes hold no such epoch");
    }

    @Test
    void shouldReportAnAcknowledgedWriteThatIsNotAtItsEpoch() {
        // given survivors that hold write 1 at epoch 3, though it was acknowledged at epoch 2
        List<ClusterDemoVerification.Node> nodes = List.of(node(0, false, 0, 2, 1), node(1, false, 0, 2, 1));
        ClusterDemoWrites writes = acknowledgedInOrder(3);

        ClusterDemoVerification.Result result = ClusterDemoVerification.verify(nodes, writes);

        assertThat(result.ok()).isFalse();
        assertThat(result.problems()).contains("key-00000001 was acknowledged REPLICATED at epoch 2 but the nodes hold key-00000002 there");
    }

    @Test
    void shouldReportNodesThatDifferAndAWriteAppliedTwice() {
        // given nodes that differ, one applying write 1 twice, and a restarted node that holds another write first
        List<ClusterDemoVerification.Node> nodes = List.of(node(0, false, 0, 1, 1), node(1, false, 0, 2),
                                                           node(2, true, 1));
        ClusterDemoWrites writes = new ClusterDemoWrites();
        writes.completed(0, 1L, null, 0);
        writes.completed(1, 2L, null, 0);
        writes.completed(2, null, new ClusterWriteException("the cluster ingress refused the write (x); it was not sent."), 0);

        ClusterDemoVerification.Result result = ClusterDemoVerification.verify(nodes, writes);

        assertThat(result.problems()).contains("node 1 (stopped) holds other writes than node 0 (2 against 3)",
                                               "epoch 3 applies key-00000001 again",
                                               "node 2 (restarted) holds other writes than node 0 (1 against 3)");
    }

    @Test
    void shouldReportAWriteRefusedAsNotSentThatIsInTheLog() {
        List<ClusterDemoVerification.Node> nodes = List.of(node(0, false, 0, 1), node(1, false, 0, 1));
        ClusterDemoWrites writes = new ClusterDemoWrites();
        writes.completed(0, 1L, null, 0);
        writes.completed(1, null, new ClusterWriteException("the cluster ingress refused the write (x); it was not sent."), 0);

        ClusterDemoVerification.Result result = ClusterDemoVerification.verify(nodes, writes);

        assertThat(result.problems()).containsExactly("epoch 2 holds key-00000001, which the writer refused as not sent");
    }

    /** A node directory whose store applied the demo's writes {@code indexes}, in that order. */
    private ClusterDemoVerification.Node node(int memberId, boolean restarted, int... indexes) {
        Path dir = tmp.resolve("node" + memberId);
        try (KvStore store = KvStore.open(dir.resolve("store"))) {
            long epoch = 0;
            for (int i : indexes) {
                WriteHandle<Long> handle = store.write(ClusterDemoWrites.write(i));
                handle.await(DurabilityLevel.JOURNALED, Duration.ofSeconds(30));
                epoch = handle.epoch();
            }
            assertThat(epoch).isEqualTo(indexes.length);
        }
        return new ClusterDemoVerification.Node(memberId, dir, restarted);
    }

    private static ClusterDemoWrites acknowledgedInOrder(int count) {
        ClusterDemoWrites writes = new ClusterDemoWrites();
        for (int i = 0; i < count; i++) {
            writes.completed(i, i + 1L, null, 0);
        }
        return writes;
    }
}
