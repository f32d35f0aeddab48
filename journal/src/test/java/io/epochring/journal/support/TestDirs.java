package io.epochring.journal.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Fresh directories under the module's {@code target/}, where the tests also point
 * {@code java.io.tmpdir} (Chronicle writes files there), so the queues and everything Chronicle
 * writes stay inside the build rather than in /tmp.
 * They stay after the test for post-mortems, until the next test run starts.
 */
public final class TestDirs {

    private static final Path ROOT = Path.of("target", "journal-tests");
    private static final AtomicInteger COUNTER = new AtomicInteger();

    static {
        // Directories of earlier runs (kept for post-mortems until now) go when a new run starts.
        deleteRecursively(ROOT);
    }

    private TestDirs() {
    }

    /** @return a new, empty directory named after {@code name} */
    public static Path fresh(String name) {
        Path dir = ROOT.resolve(name + "-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet()).toAbsolutePath();
        try {
            deleteRecursively(dir);
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the roll-cycle files in {@code dir}, sorted by name (which is by time) */
    public static java.util.List<String> queueFiles(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".cq4")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
