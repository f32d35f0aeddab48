package io.epochring.cluster;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A {@link ClusterNodeMain} in a child JVM with this JVM's flags and class path. A reader thread
 * follows the lines it prints, so its role and JOURNALED epoch can be read at any time; every line
 * also goes to {@code node.log} (stderr to {@code node.err}) in its directory, for post-mortems.
 */
final class NodeProcess extends ChildNode {

    private NodeProcess(int memberId, Process process, Path log) {
        super(memberId, process, log, log.resolveSibling("node.err"));
    }

    /** Starts node {@code memberId} on {@code dir} (a restart when the directory holds an earlier run). */
    static NodeProcess start(int memberId, Path dir, String clusterMembers) throws IOException {
        Process process = launch(ClusterNodeMain.class, inheritedFlags(), memberId, dir, clusterMembers);
        return new NodeProcess(memberId, process, dir.resolve("node.log"));
    }
}
