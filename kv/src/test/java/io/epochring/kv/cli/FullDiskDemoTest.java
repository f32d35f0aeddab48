package io.epochring.kv.cli;

import io.epochring.journal.JournalEntry;
import io.epochring.journal.JournalInspector;
import io.epochring.journal.RecordType;
import io.epochring.journal.support.Tmpfs;
import io.epochring.kv.KvCodec;
import io.epochring.kv.KvOptions;
import io.epochring.kv.KvStore;
import io.epochring.kv.KvWrite;
import net.openhft.chronicle.core.io.BackgroundResourceReleaser;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo on a disk that fills up, run as a user runs it: the tool's main class in a JVM of its
 * own, its store on a small tmpfs (mounting needs root; the tests are skipped without it). The demo
 * must stop by itself with exit code 1 and one error line saying what failed, report how far the
 * journal and RocksDB got, and leave a store that the tool inspects and recovers once there is
 * space again, with every write it reported JOURNALED.
 */
class FullDiskDemoTest {

    /** Room for RocksDB and the journal to open and take about 100,000 puts; the demo's 2,000,000 do not fit. */
    private static final long SMALL = 32L << 20;
    private static final long LARGE = 256L << 20;
    /** Filling the disk takes a few seconds; starting a JVM and RocksDB, a few more on a busy machine. */
    private static final Duration DEMO_BOUND = Duration.ofSeconds(60);
    private static final Duration COMMAND_BOUND = Duration.ofSeconds(60);

    private static final Path ROOT = Path.of("target", "full-disk-tests").toAbsolutePath();
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final Pattern PROGRESS = Pattern.compile("^\\s*\\d+\\.\\ds  [\\d,]+/[\\d,]+ \\([\\d.]+%\\) .*");

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void shouldStopWithOneErrorLineAndReportTheJournaledEpochWhenTheDiskFills() throws Exception {
        Path dir = freshDir("journal-full");
        try (Tmpfs disk = Tmpfs.mount(Files.createDirectory(dir.resolve("mnt")), SMALL)) {
            // given a demo of 2,000,000 journaled, batch-synced puts on a 32 MiB disk
            Path store = disk.path().resolve("store");

            // when it runs
            Run demo = runTool(dir, DEMO_BOUND, "demo", "--dir", store.toString(), "--keep", "--sync", "batch");

            // then it stops by itself, with one error line naming what failed and why
            assertFailedWithOneErrorLine(demo, "demo");
            assertThat(demo.errorLine()).matches("epochring demo: (the journal failed|storage failed) \\(epochs \\d+\\.\\.\\d+\\): .*")
                                        .contains("space");
            // and says how far the journal got and where the store was kept
            assertThat(demo.out()).contains("  FAILED      at ")
                                  .containsPattern("  rocksdb     written up to epoch [0-9,]+, synced up to epoch [0-9,]+")
                                  .containsPattern("  disk        [0-9.]+ MiB free of 32.0 MiB")
                                  .contains("  kept        " + store + "  (fix the cause first, then: epochring recover --dir " + store);
            assertThat(journaledEpoch(demo)).isPositive();
        }
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void shouldRecoverEveryWriteTheDemoReportedJournaledOnceThereIsSpace() throws Exception {
        Path dir = freshDir("journal-full-recover");
        try (Tmpfs disk = Tmpfs.mount(Files.createDirectory(dir.resolve("mnt")), SMALL)) {
            // given a demo that filled its disk and reported the epoch the journal holds every write up to
            Path store = disk.path().resolve("store");
            Run demo = runTool(dir, DEMO_BOUND, "demo", "--dir", store.toString(), "--keep", "--sync", "batch");
            assertFailedWithOneErrorLine(demo, "demo");
            long journaled = journaledEpoch(demo);

            // when there is space again
            disk.resize(LARGE);

            // then the journal reads back: writes 1..last, no gap, at least up to what was reported JOURNALED
            Run inspect = runTool(dir, COMMAND_BOUND, "inspect", "--dir", store.toString(), "--limit", "1");
            assertThat(inspect.exit()).as(inspect.describe()).isZero();
            Matcher writes = Pattern.compile("records     [0-9,]+: ([0-9,]+) writes \\(epochs 1\\.\\.([0-9,]+)\\)").matcher(inspect.out());
            assertThat(writes.find()).as(inspect.describe()).isTrue();
            long lastEpoch = number(writes.group(2));
            assertThat(number(writes.group(1))).as("writes in the journal, epochs 1..%d", lastEpoch).isEqualTo(lastEpoch);
            assertThat(lastEpoch).isGreaterThanOrEqualTo(journaled);

            // and recover replays all of it into RocksDB
            Run recover = runTool(dir, COMMAND_BOUND, "recover", "--dir", store.toString());
            assertThat(recover.exit()).as(recover.describe()).isZero();
            assertThat(recover.out()).contains("last journaled epoch " + Format.count(lastEpoch))
                                     .contains("RocksDB holds every write up to epoch " + Format.count(lastEpoch));

            // and every key holds its last put in the journal
            Map<String, byte[]> lastPuts = lastPuts(store.resolve("journal"), lastEpoch);
            try (KvStore reopened = KvStore.open(store, KvOptions.builder().build())) {
                assertThat(reopened.storedEpoch()).isEqualTo(lastEpoch);
                assertThat(reopened.recovery().replayed()).isZero();
                for (Map.Entry<String, byte[]> put : lastPuts.entrySet()) {
                    assertThat(reopened.get(put.getKey().getBytes(StandardCharsets.US_ASCII))).as("key %s", put.getKey()).isEqualTo(put.getValue());
                }
            }
            BackgroundResourceReleaser.releasePendingResources(); // Chronicle unmaps on a background thread
        }
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void shouldStopWithOneErrorLineWhenRocksDbFillsTheDiskAndRecoverWhatItSynced() throws Exception {
        // The demo puts the journal and RocksDB in one directory: without a journal, RocksDB fills it.
        Path dir = freshDir("rocksdb-full");
        try (Tmpfs disk = Tmpfs.mount(Files.createDirectory(dir.resolve("mnt")), SMALL)) {
            Path store = disk.path().resolve("store");

            Run demo = runTool(dir, DEMO_BOUND, "demo", "--dir", store.toString(), "--keep", "--no-journal");

            assertFailedWithOneErrorLine(demo, "demo");
            assertThat(demo.errorLine()).startsWith("epochring demo: storage failed (epochs ").contains("No space left on device");
            assertThat(demo.out()).contains("  FAILED      at ").contains("RocksDB failed")
                                  .contains("  journaled   nothing (--no-journal)");
            Matcher synced = Pattern.compile("  rocksdb     written up to epoch ([0-9,]+), synced up to epoch ([0-9,]+)").matcher(demo.out());
            assertThat(synced.find()).as(demo.describe()).isTrue();
            long durable = number(synced.group(2));

            disk.resize(LARGE);
            Run recover = runTool(dir, COMMAND_BOUND, "recover", "--dir", store.toString());

            assertThat(recover.exit()).as(recover.describe()).isZero();
            Matcher held = Pattern.compile("rocksdb     held writes up to epoch ([0-9,]+) when opened").matcher(recover.out());
            assertThat(held.find()).as(recover.describe()).isTrue();
            assertThat(number(held.group(1))).as("RocksDB after the failure holds every write it had synced").isGreaterThanOrEqualTo(durable);
        }
    }

    // ---- the tool in a JVM of its own --------------------------------------------------------------

    /** What one run of the tool printed, and how long it took. */
    record Run(String command, int exit, String out, String err, long nanos) {

        /** @return stderr without the demo's progress lines */
        List<String> errorLines() {
            return err.lines().filter(line -> !PROGRESS.matcher(line).matches()).toList();
        }

        String errorLine() {
            List<String> lines = errorLines();
            return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        }

        String describe() {
            return command + " exited " + exit + " after " + Format.seconds(nanos) + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /**
     * Runs the tool's main class with this JVM's flags (surefire's argLine: Chronicle's and Agrona's
     * flags, java.io.tmpdir) and class path, killing it if it has not exited within {@code bound}.
     */
    private static Run runTool(Path dir, Duration bound, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!arg.startsWith("-agentlib:jdwp")) {
                command.add(arg);
            }
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(EpochRingCli.class.getName());
        command.addAll(List.of(args));
        String name = args[0] + "-" + COUNTER.incrementAndGet();
        Path out = dir.resolve(name + ".out");
        Path err = dir.resolve(name + ".err");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        // RocksDB extracts its native library into a temporary file deleted at exit; a killed child would leave it behind.
        builder.environment().put("ROCKSDB_SHAREDLIB_DIR", Files.createDirectories(dir.resolve("rocksdb-native")).toString());
        long start = System.nanoTime();
        Process process = builder.start();
        boolean exited = process.waitFor(bound.toNanos(), TimeUnit.NANOSECONDS);
        long nanos = System.nanoTime() - start;
        if (!exited) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
        Run run = new Run("epochring " + String.join(" ", args), exited ? process.exitValue() : -1, Files.readString(out), Files.readString(err), nanos);
        // Surefire keeps this in the test's output file: the timings the bound is about.
        System.out.println(run.command() + ": exit " + run.exit() + " after " + Format.seconds(nanos));
        assertThat(exited).as("%s did not exit within %s\n%s", run.command(), bound, run.describe()).isTrue();
        return run;
    }

    private static void assertFailedWithOneErrorLine(Run run, String command) {
        assertThat(run.exit()).as(run.describe()).isEqualTo(EpochRingCli.FAILURE);
        assertThat(run.errorLines()).as("one error line, no stack traces, no line per refused write\n%s", run.describe())
                                    .filteredOn(line -> line.startsWith("epochring " + command + ": ")).hasSize(1);
        assertThat(run.errorLines()).as(run.describe()).noneMatch(line -> line.startsWith("\tat ") || line.contains("Exception in thread"))
                                    .hasSizeLessThanOrEqualTo(2); // the error line, and perhaps Chronicle's warning that the disk is almost full
        assertThat(run.errorLine()).as(run.describe()).startsWith("epochring " + command + ": ");
    }

    /** @return N from the demo's "journaled   up to epoch N" line */
    private static long journaledEpoch(Run demo) {
        Matcher journaled = Pattern.compile("  journaled   up to epoch ([0-9,]+): the journal holds every write up to it").matcher(demo.out());
        assertThat(journaled.find()).as(demo.describe()).isTrue();
        return number(journaled.group(1));
    }

    /** @return each key's value in its last put, reading the journal's writes 1..{@code lastEpoch} */
    private static Map<String, byte[]> lastPuts(Path journal, long lastEpoch) {
        Map<String, byte[]> values = new HashMap<>();
        long expected = 1;
        try (JournalInspector inspector = JournalInspector.open(journal)) {
            for (JournalEntry entry : inspector.records(0, Integer.MAX_VALUE)) {
                if (entry.type() != RecordType.WRITE) {
                    continue;
                }
                assertThat(entry.epoch()).as("the journal's writes have no gap").isEqualTo(expected++);
                byte[] payload = entry.payload();
                KvWrite write = KvCodec.INSTANCE.decode(new UnsafeBuffer(payload), 0, payload.length);
                assertThat(write.isDelete()).as("the demo only puts").isFalse();
                values.put(new String(write.key(), StandardCharsets.US_ASCII), write.value());
            }
        }
        assertThat(expected - 1).isEqualTo(lastEpoch);
        return values;
    }

    private static long number(String formatted) {
        return Long.parseLong(formatted.replace(",", ""));
    }

    /** A new directory under target/ (not /tmp: Chronicle), emptied of earlier runs' files. */
    private static Path freshDir(String name) throws IOException {
        Path dir = ROOT.resolve(name + "-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet());
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
        return Files.createDirectories(dir);
    }
}
