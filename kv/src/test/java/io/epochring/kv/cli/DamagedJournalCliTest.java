package io.epochring.kv.cli;

import io.epochring.journal.support.ChildJvm;
import io.epochring.journal.support.TestDirs;
import io.epochring.kv.KvOptions;
import io.epochring.kv.KvStore;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code epochring recover} and {@code inspect} on a store whose journal is damaged, run as a user
 * runs them: the tool's main class in a JVM of its own, its stderr what the terminal shows. Both
 * refuse with one line, the same verdict, and change no journal file; and Chronicle Queue's own
 * log lines never reach the terminal.
 */
class DamagedJournalCliTest {

    private static final Duration BOUND = Duration.ofSeconds(60);
    private static final int PUTS = 3000;
    private static final AtomicInteger RUNS = new AtomicInteger();

    @Test
    void shouldRefuseAJournalFileCutShortWithOneLineAndTheSameVerdictAndChangeNoFile() throws Exception {
        Path dir = store("cut-short");
        Path journal = dir.resolve("journal");
        Path file = onlyCycleFile(journal);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(1000);
        }
        Map<String, String> before = hashes(journal);

        Tool recover = Tool.run(dir, "recover", "--dir", dir.toString());
        Tool inspect = Tool.run(dir, "inspect", "--dir", dir.toString());

        String verdict = "journal is corrupt: the file is cut short: it is 1000 bytes";
        assertThat(recover.exit).as(recover.describe()).isEqualTo(EpochRingCli.FAILURE);
        assertThat(recover.err).as(recover.describe()).singleElement().asString()
                               .startsWith("epochring recover: " + verdict)
                               .contains("file " + file.getFileName(), "record 0 of that file (byte offset ", "--accept-journal-loss")
                               .doesNotContain("NullPointerException");
        assertThat(inspect.exit).as(inspect.describe()).isEqualTo(EpochRingCli.FAILURE);
        assertThat(inspect.err).as(inspect.describe()).singleElement().asString()
                               .isEqualTo(recover.err.get(0).replaceFirst("^epochring recover: ", "epochring inspect: "));
        assertThat(hashes(journal)).isEqualTo(before);
        assertThat(Files.size(file)).isEqualTo(1000);

        // As the message says: with the damaged file moved out of the journal, the loss can be accepted
        // (RocksDB holds every write here, so none is lost).
        Files.move(file, dir.resolve(file.getFileName() + ".damaged"));
        Tool accepted = Tool.run(dir, "recover", "--dir", dir.toString(), "--accept-journal-loss");
        assertThat(accepted.exit).as(accepted.describe()).isEqualTo(EpochRingCli.OK);
        assertThat(accepted.err).as(accepted.describe()).isEmpty();
        assertThat(String.join("\n", accepted.out)).as(accepted.describe())
                                                   .contains("LOSS        accepted", String.format(Locale.ROOT, "%,d live keys", PUTS));
    }

    @Test
    void shouldKeepChroniclesWarningsOffTheTerminalWhenRecoveryGoesAhead() throws Exception {
        Path dir = store("no-metadata");
        // Chronicle Queue reads a journal without its metadata file, warning that it falls back to a read-only
        // stand-in, and writes a new one; the journal holds every record, so recovery succeeds.
        Files.delete(dir.resolve("journal").resolve("metadata.cq4t"));

        Tool recover = Tool.run(dir, "recover", "--dir", dir.toString());

        assertThat(recover.exit).as(recover.describe()).isEqualTo(EpochRingCli.OK);
        assertThat(recover.err).as(recover.describe()).isEmpty();
        assertThat(String.join("\n", recover.out)).as(recover.describe()).contains(String.format(Locale.ROOT, "%,d live keys", PUTS));
    }

    // ---- stores and the tool ----------------------------------------------------------------------

    /** @return a closed store with {@value #PUTS} puts, flushed and checkpointed */
    private static Path store(String name) {
        Path dir = TestDirs.fresh("cli-damaged-" + name);
        try (KvStore store = KvStore.open(dir, KvOptions.builder().name(name).journal(true).build())) {
            for (int i = 1; i <= PUTS; i++) {
                store.put(("key-" + i).getBytes(StandardCharsets.UTF_8), ("value-" + i).getBytes(StandardCharsets.UTF_8));
            }
        }
        return dir;
    }

    private static Path onlyCycleFile(Path journal) {
        List<String> files = TestDirs.queueFiles(journal);
        assertThat(files).hasSize(1);
        return journal.resolve(files.get(0));
    }

    /** @return SHA-256 of every file in {@code dir} but the writer lock, whose content names its last holder */
    private static Map<String, String> hashes(Path dir) throws IOException, NoSuchAlgorithmException {
        Map<String, String> hashes = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                hashes.put(name, name.equals("epochring-writer.lock") ? "(lock)"
                                 : HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file))));
            }
        }
        return hashes;
    }

    /** One run of the tool in a JVM of its own: exit code, stdout lines, stderr lines. */
    private record Tool(String command, int exit, List<String> out, List<String> err) {

        static Tool run(Path dir, String... args) throws IOException, InterruptedException {
            Path log = dir.resolveSibling(dir.getFileName() + "-" + args[0] + "-" + RUNS.incrementAndGet() + ".err");
            try (ChildJvm tool = ChildJvm.start(EpochRingCli.class, log, args)) {
                int exit = tool.awaitExit(BOUND);
                List<String> out = tool.remainingLines();
                return new Tool("epochring " + String.join(" ", args), exit, out, Files.readAllLines(log));
            }
        }

        String describe() {
            return command + " exited " + exit + "\n--- stdout\n" + String.join("\n", out) + "\n--- stderr\n" + String.join("\n", err);
        }
    }
}
