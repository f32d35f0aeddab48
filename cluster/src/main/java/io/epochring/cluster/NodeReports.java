package io.epochring.cluster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Follows what a cluster node running in a child process reports on its standard output, one line
 * per event: {@code STARTED ...}, {@code ROLE <role>}, {@code JOURNALED <epoch>},
 * {@code FAILED <why>}. A daemon thread of its own reads the lines and copies each to a log file,
 * for post-mortems; the getters may be called from any thread at any time.
 */
public final class NodeReports {

    private final int memberId;
    private final Process process;
    private final Path log;
    private final Path errors;
    private volatile boolean started;
    private volatile String role = "";
    private volatile long journaled = -1;
    private volatile String failure;
    private volatile boolean outputEnded;

    private NodeReports(int memberId, Process process, Path log, Path errors) {
        this.memberId = memberId;
        this.process = process;
        this.log = log;
        this.errors = errors;
    }

    /**
     * Starts following node {@code memberId}'s output.
     *
     * @param log    where every line goes too
     * @param errors where the process's stderr goes, named when it fails
     */
    public static NodeReports follow(int memberId, Process process, Path log, Path errors) {
        NodeReports reports = new NodeReports(memberId, process, log, errors);
        Thread reader = new Thread(reports::readLines, "node" + memberId + "-stdout-" + process.pid());
        reader.setDaemon(true);
        reader.start();
        return reports;
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
    public boolean started() {
        return started;
    }

    /** @return true while the node runs and its last reported role is LEADER */
    public boolean isLeader() {
        return process.isAlive() && "LEADER".equals(role);
    }

    /** @return the last JOURNALED epoch the node reported, -1 before the first report */
    public long journaled() {
        return journaled;
    }

    /** @return null, or why the process is of no more use: it failed or ended by itself */
    public String problem() {
        if (failure != null) {
            return "node " + memberId + " failed: " + failure + " (see " + errors + ")";
        }
        if (outputEnded && !process.isAlive()) {
            return "node " + memberId + " (pid " + process.pid() + ") ended with exit code " + process.exitValue()
                   + " (see " + errors + ")";
        }
        return null;
    }

    @Override
    public String toString() {
        return "node " + memberId + " (pid " + process.pid() + ", " + role + ", journaled " + journaled + ")";
    }
}
