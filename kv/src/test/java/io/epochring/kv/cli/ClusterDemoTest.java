package io.epochring.kv.cli;

import io.epochring.kv.cli.EpochRingCliTest.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static io.epochring.kv.cli.EpochRingCliTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code cluster-demo}: three node JVMs, a kill -9 of the leader, and the verification of what every
 * node holds. One short run (a few thousand writes, about 20 s on two cores) and the option checks.
 */
class ClusterDemoTest {

    @TempDir
    Path tmp;

    @Test
    void shouldKillTheLeaderRestartItAndVerifyThatAllThreeNodesHoldEveryReplicatedWriteOnce() {
        // given a directory for three nodes
        Path dir = tmp.resolve("cluster");

        // when a short cluster demo runs there
        Run run = run("cluster-demo", "--writes", "2000", "--in-flight", "16", "--dir", dir.toString());

        // then it measured the failover and the restarted node's catch-up, and verified every node's journal and store
        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).startsWith("EpochRing cluster demo: 3 nodes on 127.0.0.1, each a JVM of its own; 2,000 puts awaiting"
                                         + " REPLICATED, 16 in flight; kill -9 of the leader after half, then its restart\n")
                             .containsPattern("\n  nodes       node 0 pid [0-9]+.*, node 1 pid [0-9]+.*, node 2 pid [0-9]+")
                             .containsPattern("\n  kill -9     leader node [0-2] \\(pid [0-9]+\\) after [0-9,]+ acknowledged writes")
                             .containsPattern("\n  failover    [0-9.]+ ms from the kill to the first write acknowledged by the new leader,"
                                              + " node [0-2]\n")
                             .containsPattern("\n  restart     node [0-2] again on its directory \\(pid [0-9]+\\) [0-9.]+ s after the kill;"
                                              + " up [0-9.]+ s later\n")
                             .containsPattern("\n  catch-up    node [0-2] recovered epochs 1\\.\\.[0-9,]+ from its journal, then journaled"
                                              + " [0-9,]+\\.\\.[0-9,]+ \\([0-9,]+ epochs\\) from the cluster log: [0-9.]+ s from the restart,"
                                              + " [0-9.]+ s from up;\n              caught up with the acknowledged writes"
                                              + " (\\(to within 100 ms of them\\) while the writes went on|after the writes ended)\n")
                             .containsPattern("\n  throughput  before the kill    [0-9,]+ writes in [0-9.]+ s = [0-9,]+ writes/s\n"
                                              + "              after the failover [0-9,]+ writes in [0-9.]+ s = [0-9,]+ writes/s\n")
                             .containsPattern("\n              all +[0-9,]+ +[0-9.]+ +[0-9.]+ +[0-9.]+ +[0-9.]+\n")
                             .containsPattern("\n  outcomes    [0-9,]+ acknowledged REPLICATED, [0-9,]+ unknown outcome, [0-9,]+ not sent")
                             .containsPattern("\n  verify      node 0 \\((stopped|restarted)\\) ")
                             .containsPattern("node [0-2] \\(restarted\\) journal epochs 1\\.\\.([0-9,]+), the same writes in the same order as"
                                              + " every other node; store \\1 keys, all match")
                             .containsPattern("node [0-2] \\(stopped\\)   journal epochs 1\\.\\.([0-9,]+), the same writes in the same order as"
                                              + " every other node; store \\1 keys, all match")
                             .doesNotContain("problem:")
                             .contains("\n  result      OK\n")
                             .contains("  kept        " + dir);
        assertThat(dir.resolve("node0").resolve("store").resolve("journal")).isDirectory();
    }

    @Test
    void shouldRefuseOptionsOutOfRangeNamingTheRange() {
        assertOneLine(run("cluster-demo", "--writes", "1"), "--writes must be between 2 and 10,000,000, was 1");
        assertOneLine(run("cluster-demo", "--in-flight", "0"), "--in-flight must be between 1 and " + ClusterDemoCommand.MAX_IN_FLIGHT);
        assertOneLine(run("cluster-demo", "--base-port", "80"), "--base-port must be 0 (free ports) or between 1024 and 65520, was 80");
    }

    @Test
    void shouldRefuseWritesAndDurationTogetherAndADurationOutOfRange() {
        assertOneLine(run("cluster-demo", "--writes", "1000", "--duration", "30s"),
                      "--writes and --duration both say how long to write: give one of them");
        assertOneLine(run("cluster-demo", "--duration", "1s"), "--duration must be between 2s and 10m, was 1s");
        assertOneLine(run("cluster-demo", "--duration", "11m"), "--duration must be between 2s and 10m, was 11m");
        Run notADuration = run("cluster-demo", "--duration", "30x");
        assertThat(notADuration.exit()).isEqualTo(EpochRingCli.USAGE);
        assertThat(notADuration.errLines()).singleElement().asString().contains("'30x' is not a duration");
    }

    @Test
    void shouldRefuseADirectoryThatIsNotEmpty() throws Exception {
        Path dir = java.nio.file.Files.createDirectories(tmp.resolve("used"));
        java.nio.file.Files.writeString(dir.resolve("file"), "x");

        Run run = run("cluster-demo", "--dir", dir.toString());

        assertThat(run.exit()).isEqualTo(EpochRingCli.USAGE);
        assertThat(run.errLines()).singleElement().asString().contains("is not empty");
    }

    private static void assertOneLine(Run run, String message) {
        assertThat(run.exit()).isEqualTo(EpochRingCli.USAGE);
        assertThat(run.errLines()).singleElement().asString().startsWith("epochring cluster-demo: " + message);
        assertThat(run.out()).isEmpty();
    }
}
