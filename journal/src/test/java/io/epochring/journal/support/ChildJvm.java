package io.epochring.journal.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM running a test main class with this JVM's flags (surefire's argLine: the Chronicle
 * and Agrona flags) and class path. Its stdout lines are collected by a reader thread; stderr goes
 * to a log file for post-mortems.
 */
public final class ChildJvm implements AutoCloseable {

    private static final String EOF = "\u0000EOF";

    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Path log;

    private ChildJvm(Process process, Path log) {
        this.process = process;
        this.log = log;
        Thread reader = new Thread(this::readLines, "child-stdout-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    public static ChildJvm start(Class<?> main, Path log, String... args) throws IOException {
        List<String> jvmOptions = new ArrayList<>();
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!arg.startsWith("-agentlib:jdwp")) {
                jvmOptions.add(arg);
            }
        }
        return start(jvmOptions, main, log, args);
    }

    /** Like {@link #start(Class, Path, String...)}, with exactly {@code jvmOptions} instead of this JVM's flags. */
    public static ChildJvm start(List<String> jvmOptions, Class<?> main, Path log, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        // RocksDB extracts its native library into a temp file deleted at exit, which a SIGKILL skips:
        // give children a directory of their own next to their log.
        Path nativeDir = Files.createDirectories(log.resolveSibling("rocksdb-native"));
        builder.environment().put("ROCKSDB_SHAREDLIB_DIR", nativeDir.toString());
        return new ChildJvm(builder.start(), log);
    }

    private void readLines() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                lines.add(line);
            }
        } catch (IOException e) {
            // the process died mid-line: what was read is what it printed
        } finally {
            lines.add(EOF);
        }
    }

    public long pid() {
        return process.pid();
    }

    /**
     * @return the next line, or null when the child ended (see {@link #isAlive()}) or {@code timeout} passed first
     */
    public String nextLine(Duration timeout) throws InterruptedException {
        String line = lines.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (line == EOF) {
            lines.add(EOF);
            return null;
        }
        return line;
    }

    /** Waits for a line starting with {@code prefix}, failing with the child's log when it does not come. */
    public String awaitLine(String prefix, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            String line = left <= 0 ? null : nextLine(Duration.ofNanos(left));
            if (line == null) {
                throw new AssertionError("child " + process.pid() + " printed no line starting with '" + prefix + "' within "
                                         + timeout + " (alive: " + process.isAlive() + "); see " + log);
            }
            if (line.startsWith(prefix)) {
                return line;
            }
        }
    }

    /** Sends SIGKILL (on Linux {@code destroyForcibly} is {@code kill -9}) and waits for the process to end. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("child " + process.pid() + " did not die within 30 s of SIGKILL");
        }
    }

    /**
     * Sends SIGTERM (on Linux {@code destroy} is {@code kill -15}, which runs the child's shutdown
     * hooks) and waits for the process to end; @return its exit code
     */
    public int terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
            throw new AssertionError("child " + process.pid() + " did not end within " + timeout + " of SIGTERM; see " + log);
        }
        return process.exitValue();
    }

    /** After the child ended: every line it printed that was not read yet. */
    public List<String> remainingLines() throws InterruptedException {
        List<String> rest = new ArrayList<>();
        for (String line; (line = lines.poll(30, TimeUnit.SECONDS)) != EOF; ) {
            if (line == null) {
                throw new AssertionError("the child's stdout did not close within 30 s of its end");
            }
            rest.add(line);
        }
        lines.add(EOF);
        return rest;
    }

    /** Waits for the child to end by itself, failing with its log when it does not; @return its exit code */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
            throw new AssertionError("child " + process.pid() + " did not end within " + timeout + "; see " + log);
        }
        return process.exitValue();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public int exitValue() {
        return process.exitValue();
    }

    public Path log() {
        return log;
    }

    /** Kills the child if it still runs (a test that failed half-way must not leave it behind). */
    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
