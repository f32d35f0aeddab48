package io.epochring.kv.cli;

import io.epochring.cluster.NodeReports;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ClusterDemoNode} in a child JVM: this JVM's class path, the flags of
 * {@code META-INF/epochring/jvm.options} (a {@code java -jar} launch has them from the manifest,
 * which a {@code -cp} launch does not read) and this JVM's own flags. A reader thread follows the
 * lines the node prints, so its role and JOURNALED epoch can be read at any time; every line also
 * goes to {@code node.log} in its directory, stderr to {@code node.err}.
 */
final class ClusterDemoProcess implements AutoCloseable {

    private static final String JVM_OPTIONS = "META-INF/epochring/jvm.options";
    private static final List<String> LOG_PROPERTIES = List.of("org.slf4j.simpleLogger.defaultLogLevel",
                                                               "org.slf4j.simpleLogger.log.net.openhft");

    private final int memberId;
    private final Process process;
    private final Path dir;
    private final NodeReports reports;
    private volatile boolean killed;

    private ClusterDemoProcess(int memberId, Process process, Path dir) {
        this.memberId = memberId;
        this.process = process;
        this.dir = dir;
        this.reports = NodeReports.follow(memberId, process, dir.resolve("node.log"), dir.resolve("node.err"));
    }

    /** Starts node {@code memberId} in {@code dir}. */
    static ClusterDemoProcess start(int memberId, Path dir, String clusterMembers) throws IOException {
        Files.createDirectories(dir);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Set<String> flags = new LinkedHashSet<>(jvmOptions());
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!arg.startsWith("-agentlib:jdwp") && !arg.startsWith("-javaagent") && !arg.startsWith("-Xmx")) {
                flags.add(arg);
            }
        }
        command.addAll(flags);
        // The tool's own log levels (set as properties when it starts), so a node's stderr holds what matters.
        for (String property : LOG_PROPERTIES) {
            String value = System.getProperty(property);
            if (value != null) {
                command.add("-D" + property + "=" + value);
            }
        }
        // Three nodes and the tool share the machine: keep each node small.
        command.add("-Xmx256m");
        command.add("-XX:+UseSerialGC");
        // C1 only: a short run on two cores does better without C2's compile work.
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ClusterDemoNode.class.getName());
        command.add(String.valueOf(memberId));
        command.add(dir.toString());
        command.add(clusterMembers);
        Process process = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("node.err").toFile()))
                .start();
        return new ClusterDemoProcess(memberId, process, dir);
    }

    /** @return the flags of jvm.options on the class path (the journal's jar carries it), without comments */
    private static List<String> jvmOptions() throws IOException {
        List<String> flags = new ArrayList<>();
        try (InputStream in = ClusterDemoProcess.class.getClassLoader().getResourceAsStream(JVM_OPTIONS)) {
            if (in == null) {
                throw new IOException(JVM_OPTIONS + " is not on the class path: run the tool from epochring.jar, or put the"
                                      + " epochring-journal jar on the class path");
            }
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\\R")) {
                String flag = line.strip();
                if (!flag.isEmpty() && !flag.startsWith("#")) {
                    flags.add(flag);
                }
            }
        }
        return flags;
    }


    int memberId() {
        return memberId;
    }

    long pid() {
        return process.pid();
    }

    Path dir() {
        return dir;
    }

    boolean started() {
        return reports.started();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** @return whether {@link #kill()} was called */
    boolean isKilled() {
        return killed;
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
        killed = true;
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("node " + memberId + " (pid " + process.pid() + ") did not end within 30 s of SIGKILL");
        }
    }

    /**
     * Asks the node to stop cleanly (its store flushes and closes) and waits for it.
     *
     * @throws IllegalStateException when it did not stop cleanly within {@code timeoutSeconds}
     */
    void stop(long timeoutSeconds) throws InterruptedException {
        try {
            OutputStream stdin = process.getOutputStream();
            stdin.write((ClusterDemoNode.STOP + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        } catch (IOException e) {
            // gone already: the exit code below says how it ended
        }
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            throw new IllegalStateException("node " + memberId + " (pid " + process.pid() + ") did not stop within " + timeoutSeconds
                                            + " s (see " + dir.resolve("node.err") + ")");
        }
        if (process.exitValue() != EpochRingCli.OK) {
            throw new IllegalStateException("node " + memberId + " (pid " + process.pid() + ") stopped with exit code "
                                            + process.exitValue() + " (see " + dir.resolve("node.err") + ")");
        }
    }

    /** Kills the node if it still runs: a run that failed half-way must not leave it behind. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
