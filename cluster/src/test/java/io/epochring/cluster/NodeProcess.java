package io.epochring.cluster;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ClusterNodeMain} in a child JVM with this JVM's flags and class path. A reader thread
 * follows the lines it prints, so its role and JOURNALED epoch can be read at any time; every line
 * also goes to {@code node.log} (stderr to {@code node.err}) in its directory, for post-mortems.
 */
final class NodeProcess implements AutoCloseable {

    private final int memberId;
    private final Process process;
    private final Path log;
    private final NodeReports reports;

    private NodeProcess(int memberId, Process process, Path log) {
        this.memberId = memberId;
        this.process = process;
        this.log = log;
        this.reports = NodeReports.follow(memberId, process, log, log.resolveSibling("node.err"));
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


    int memberId() {
        return memberId;
    }

    long pid() {
        return process.pid();
    }

    boolean started() {
        return reports.started();
    }

    /** @return true while the node runs and its last reported role is LEADER */
    boolean isLeader() {
        return reports.isLeader();
    }

    /** @return the last JOURNALED epoch the node reported, -1 before the first report */
    long journaled() {
        return reports.journaled();
    }

    /** @return null, or why the process is of no more use: it failed or ended by itself */
    String problem() {
        return reports.problem();
    }

    /** Sends SIGKILL (on Linux {@code destroyForcibly} is {@code kill -9}) and waits for the process to end. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("node " + memberId + " (pid " + process.pid() + ") did not die within 30 s of SIGKILL");
        }
    }

    Path log() {
        return log;
    }

    /** Kills the node if it still runs (a test that failed half-way must not leave it behind). */
    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return reports.toString();
    }
}
