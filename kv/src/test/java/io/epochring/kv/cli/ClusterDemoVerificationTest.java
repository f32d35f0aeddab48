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
    void shouldPassWhenTheSurvivorsHoldEveryAcknowledgedWriteAndTheKilledNodeAPrefix() {
        // given two survivors holding writes 0..9, a killed node holding 0..5, and every write acknowledged at epoch i + 1
        List<ClusterDemoVerification.Node> nodes = List.of(node(0, false, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
                                                           node(1, true, 0, 1, 2, 3, 4, 5),
                                                           node(2, false, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9));
        ClusterDemoWrites writes = acknowledgedInOrder(10);

        // when verified
        ClusterDemoVerification.Result result = ClusterDemoVerification.verify(nodes, writes);

        // then it passes, saying what each node holds
        assertThat(result.problems()).isEmpty();
        assertThat(result.lines()).containsExactly(
                "node 0 (stopped) journal epochs 1..10, the same writes in the same order as every surviving node; store 10 keys, all match",
                "node 1 (killed)  journal epochs 1..6, the first 6 of the survivors' (it lags: killed); store 6 keys, all match",
                "node 2 (stopped) journal epochs 1..10, the same writes in the same order as every surviving node; store 10 keys, all match");
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
    void shouldReportSurvivorsThatDifferAWriteAppliedTwiceAndAKilledNodeThatIsNoPrefix() {
        // given survivors that differ, one applying write 1 twice, and a killed node that holds another write first
        List<ClusterDemoVerification.Node> nodes = List.of(node(0, false, 0, 1, 1), node(1, false, 0, 1),
                                                           node(2, true, 1));
        ClusterDemoWrites writes = new ClusterDemoWrites(3);
        writes.completed(0, 1L, null, 0);
        writes.completed(1, 2L, null, 0);
        writes.completed(2, null, new ClusterWriteException("the cluster ingress refused the write (x); it was not sent."), 0);

        ClusterDemoVerification.Result result = ClusterDemoVerification.verify(nodes, writes);

        assertThat(result.problems()).contains("node 1 holds other writes than node 0 (2 against 3)",
                                               "epoch 3 applies key-00000001 again",
                                               "node 2 (killed) holds writes that are not the start of the others' log");
    }

    @Test
    void shouldReportAWriteRefusedAsNotSentThatIsInTheLog() {
        List<ClusterDemoVerification.Node> nodes = List.of(node(0, false, 0, 1), node(1, false, 0, 1));
        ClusterDemoWrites writes = new ClusterDemoWrites(2);
        writes.completed(0, 1L, null, 0);
        writes.completed(1, null, new ClusterWriteException("the cluster ingress refused the write (x); it was not sent."), 0);

        ClusterDemoVerification.Result result = ClusterDemoVerification.verify(nodes, writes);

        assertThat(result.problems()).containsExactly("epoch 2 holds key-00000001, which the writer refused as not sent");
    }

    /** A node directory whose store applied the demo's writes {@code indexes}, in that order. */
    private ClusterDemoVerification.Node node(int memberId, boolean killed, int... indexes) {
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
        return new ClusterDemoVerification.Node(memberId, dir, killed);
    }

    private static ClusterDemoWrites acknowledgedInOrder(int count) {
        ClusterDemoWrites writes = new ClusterDemoWrites(count);
        for (int i = 0; i < count; i++) {
            writes.completed(i, i + 1L, null, 0);
        }
        return writes;
    }
}
