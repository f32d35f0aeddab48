package io.epochring.kv.cli;

import io.epochring.cluster.ChildNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
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
final class ClusterDemoProcess extends ChildNode {

    private static final String JVM_OPTIONS = "META-INF/epochring/jvm.options";
    private static final List<String> LOG_PROPERTIES = List.of("org.slf4j.simpleLogger.defaultLogLevel",
                                                               "org.slf4j.simpleLogger.log.net.openhft");

    private final Path dir;
    private volatile boolean killed;

    private ClusterDemoProcess(int memberId, Process process, Path dir) {
        super(memberId, process, dir.resolve("node.log"), dir.resolve("node.err"));
        this.dir = dir;
    }

    /** Starts node {@code memberId} in {@code dir}. */
    static ClusterDemoProcess start(int memberId, Path dir, String clusterMembers) throws IOException {
        Set<String> flags = new LinkedHashSet<>(jvmOptions());
        flags.addAll(inheritedFlags());
        // The tool's own log levels (set as properties when it starts), so a node's stderr holds what matters.
        for (String property : LOG_PROPERTIES) {
            String value = System.getProperty(property);
            if (value != null) {
                flags.add("-D" + property + "=" + value);
            }
        }
        // C1 only: a short run on two cores does better without C2's compile work.
        flags.add("-XX:TieredStopAtLevel=1");
        Process process = launch(ClusterDemoNode.class, flags, memberId, dir, clusterMembers);
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


    Path dir() {
        return dir;
    }

    /** @return whether {@link #kill()} was called */
    boolean isKilled() {
        return killed;
    }

    @Override
    public void kill() throws InterruptedException {
        killed = true;
        super.kill();
    }

    /** Asks the node to stop cleanly (its store flushes and closes); {@link #awaitStopped} waits for it. */
    void requestStop() {
        try {
            OutputStream stdin = process().getOutputStream();
            stdin.write((ClusterDemoNode.STOP + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        } catch (IOException e) {
            // gone already: the exit code awaitStopped reads says how it ended
        }
    }

    /**
     * Waits for the node to end after {@link #requestStop()}.
     *
     * @throws IllegalStateException when it did not stop cleanly within {@code timeoutSeconds}
     */
    void awaitStopped(long timeoutSeconds) throws InterruptedException {
        if (!process().waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            throw new IllegalStateException("node " + memberId() + " (pid " + pid() + ") did not stop within " + timeoutSeconds
                                            + " s (see " + dir.resolve("node.err") + ")");
        }
        if (process().exitValue() != EpochRingCli.OK) {
            throw new IllegalStateException("node " + memberId() + " (pid " + pid() + ") stopped with exit code "
                                            + process().exitValue() + " (see " + dir.resolve("node.err") + ")");
        }
    }
}
