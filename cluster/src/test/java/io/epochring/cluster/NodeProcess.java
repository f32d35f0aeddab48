package io.epochring.cluster;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
        Files.createDirectories(dir);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!arg.startsWith("-agentlib:jdwp") && !arg.startsWith("-Xmx")) {
                command.add(arg);
            }
        }
        // Three nodes, this JVM and other builds share the machine: keep each node small.
        command.add("-Xmx256m");
        command.add("-XX:+UseSerialGC");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ClusterNodeMain.class.getName());
        command.add(String.valueOf(memberId));
        command.add(dir.toString());
        command.add(clusterMembers);
        Process process = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("node.err").toFile()))
                .start();
        return new NodeProcess(memberId, process, dir.resolve("node.log"));
    }
}
