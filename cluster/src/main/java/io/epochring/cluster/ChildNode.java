package io.epochring.cluster;

import io.aeron.archive.ArchiveMarkFile;
import io.aeron.cluster.service.ClusterMarkFile;
import io.aeron.cluster.service.ClusteredServiceContainer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * A cluster node running in a child process, as its launcher sees it: what the node reports on its
 * standard output, one line per event ({@code STARTED ...}, {@code ROLE <role>},
 * {@code JOURNALED <epoch>}, {@code FAILED <why>}), and killing it. A daemon thread of its own reads
 * the lines and copies each to a log file, for post-mortems; the getters may be called from any
 * thread at any time. Launchers extend it with how they start their node.
 *
 * <p>A launcher restarts a killed node by starting it again on its directory; the node's own
 * process first calls {@link #awaitStaleMarkFiles} (and reports {@code WAITING ...} meanwhile).
 */
public class ChildNode implements AutoCloseable {

    private final int memberId;
    private final Process process;
    private final Path log;
    private final Path errors;
    private volatile boolean started;
    private volatile String role = "";
    private volatile long journaled = -1;
    private volatile String failure;
    private volatile boolean outputEnded;

    /**
     * Starts following node {@code memberId}'s output.
     *
     * @param log    where every line goes too
     * @param errors where the process's stderr goes, named when it fails
     */
    protected ChildNode(int memberId, Process process, Path log, Path errors) {
        this.memberId = memberId;
        this.process = process;
        this.log = log;
        this.errors = errors;
        Thread reader = new Thread(this::readLines, "node" + memberId + "-stdout-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts {@code main} in a JVM of its own with {@code flags}, a small heap and the serial
     * collector (several nodes, their launcher and often a build share the machine), this JVM's
     * class path, and the arguments every node main takes: member id, directory, member list. Its
     * stderr is appended to {@code dir/node.err}.
     *
     * @param flags JVM flags, for example this JVM's own (see {@link #inheritedFlags}); any {@code -Xmx} is replaced
     */
    protected static Process launch(Class<?> main, Collection<String> flags, int memberId, Path dir, String clusterMembers)
            throws IOException {
        Files.createDirectories(dir);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String flag : flags) {
            if (!flag.startsWith("-Xmx")) {
                command.add(flag);
            }
        }
        command.add("-Xmx256m");
        command.add("-XX:+UseSerialGC");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.add(String.valueOf(memberId));
        command.add(dir.toString());
        command.add(clusterMembers);
        return new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("node.err").toFile()))
                .start();
    }

    /** @return this JVM's flags, without a debugger's or an agent's, which a second JVM could not share */
    protected static List<String> inheritedFlags() {
        List<String> flags = new ArrayList<>();
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!arg.startsWith("-agentlib:jdwp") && !arg.startsWith("-javaagent")) {
                flags.add(arg);
            }
        }
        return flags;
    }

    /** @return the child process, for launchers that talk to it */
    protected final Process process() {
        return process;
    }

    public final int memberId() {
        return memberId;
    }

    public final long pid() {
        return process.pid();
    }

    public final boolean isAlive() {
        return process.isAlive();
    }

    /** @return the file every line the node printed is copied to */
    public final Path log() {
        return log;
    }

    private void readLines() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                Files.writeString(log, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                if (line.startsWith("STARTED ")) {
                    started = true;
                } else if (line.startsWith("ROLE ")) {
                    role = line.substring(5);
                } else if (line.startsWith("JOURNALED ")) {
                    journaled = Long.parseLong(line.substring(10));
                } else if (line.startsWith("FAILED ")) {
                    failure = line.substring(7);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // killed mid-line: what was read is what it printed
        } finally {
            outputEnded = true;
        }
    }

    /** @return true once the node reported that it started */
    public final boolean started() {
        return started;
    }

    /** @return true while the node runs and its last reported role is LEADER */
    public final boolean isLeader() {
        return process.isAlive() && "LEADER".equals(role);
    }

    /** @return the last JOURNALED epoch the node reported, -1 before the first report */
    public final long journaled() {
        return journaled;
    }

    /** @return null, or why the process is of no more use: it failed or ended by itself */
    public final String problem() {
        if (failure != null) {
            return "node " + memberId + " failed: " + failure + " (see " + errors + ")";
        }
        if (outputEnded && !process.isAlive()) {
            return "node " + memberId + " (pid " + process.pid() + ") ended with exit code " + process.exitValue()
                   + " (see " + errors + ")";
        }
        return null;
    }

    /**
     * Sends SIGKILL (on Linux {@code destroyForcibly} is {@code kill -9}) and waits for the process to end.
     *
     * @throws IllegalStateException when it did not end within 30 s
     */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("node " + memberId + " (pid " + process.pid() + ") did not end within 30 s of SIGKILL");
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

    /**
     * Aeron's archive and consensus module refuse a directory whose mark file was touched within the
     * last 10 s ("active mark file detected"), which is the case right after a {@code kill -9}: a node
     * process restarted on {@code dir} (a {@link ClusterMember}'s directory) calls this before it
     * launches, to wait until the killed process's mark files are that old, as any supervisor
     * restarting a node must. Returns at once on a directory no process used yet.
     *
     * @param report receives one {@code WAITING ...} line per mark file it waits for
     * @throws IllegalStateException when a mark file stays active for 60 s: another process runs the node
     */
    public static void awaitStaleMarkFiles(Path dir, Consumer<String> report) throws IOException {
        // The archive uses the same 10 s as the cluster, but does not publish its constant.
        long timeoutMs = ClusteredServiceContainer.Configuration.LIVENESS_TIMEOUT_MS;
        long deadlineMs = System.currentTimeMillis() + 6 * timeoutMs;
        Path[] files = {dir.resolve("archive").resolve(ArchiveMarkFile.FILENAME),
                        dir.resolve("cluster").resolve(ClusterMarkFile.FILENAME),
                        dir.resolve("cluster").resolve(ClusterMarkFile.markFilenameForService(0))};
        // Each mark file starts with an SBE message header, then the mark file header.
        int archiveOffset = io.aeron.archive.codecs.mark.MessageHeaderDecoder.ENCODED_LENGTH
                + io.aeron.archive.codecs.mark.MarkFileHeaderDecoder.activityTimestampEncodingOffset();
        int clusterOffset = io.aeron.cluster.codecs.mark.MessageHeaderDecoder.ENCODED_LENGTH
                + io.aeron.cluster.codecs.mark.MarkFileHeaderDecoder.activityTimestampEncodingOffset();
        int[] offsets = {archiveOffset, clusterOffset, clusterOffset};
        for (int i = 0; i < files.length; i++) {
            long lastActivityMs;
            boolean reported = false;
            while ((lastActivityMs = activityTimestamp(files[i], offsets[i])) > System.currentTimeMillis() - timeoutMs) {
                if (!reported) {
                    report.accept("WAITING for " + files[i].getFileName() + " of the previous run to be " + timeoutMs + " ms old");
                    reported = true;
                }
                if (System.currentTimeMillis() > deadlineMs) {
                    throw new IllegalStateException(files[i] + " is still active (last activity " + lastActivityMs + " ms): another "
                            + "process runs this node; stop it first");
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
        }
    }

    /** @return the mark file's activity timestamp (epoch ms), or 0 when there is no file or it is too short */
    private static long activityTimestamp(Path file, int offset) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer bytes = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            if (channel.read(bytes, offset) < Long.BYTES) {
                return 0;
            }
            return bytes.getLong(0);
        }
    }

    @Override
    public String toString() {
        return "node " + memberId + " (pid " + process.pid() + ", " + role + ", journaled " + journaled + ")";
    }
}
