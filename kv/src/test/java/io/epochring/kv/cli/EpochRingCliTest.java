package io.epochring.kv.cli;

import io.epochring.DurabilityLevel;
import io.epochring.ThreadingMode;
import io.epochring.journal.ChronicleJournal;
import io.epochring.journal.JournalEntry;
import io.epochring.journal.JournalInspector;
import io.epochring.kv.KvCodec;
import io.epochring.kv.KvOptions;
import io.epochring.kv.KvStore;
import io.epochring.kv.KvWrite;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The tool run in-process, as a user would run it, checking output and exit codes. */
class EpochRingCliTest {

    @TempDir
    Path tmp;

    record Run(int exit, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = EpochRingCli.execute(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                                        false, args);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    // ---- demo -----------------------------------------------------------------------------------

    @Test
    void shouldRunTheDemoWithSmallNumbersAndVerifyEveryKey() {
        Path dir = tmp.resolve("demo");

        Run run = run("demo", "--writes", "5_000", "--producers", "2", "--keys", "1000", "--value-size", "32",
                      "--flush-interval", "20ms", "--sample-every", "16", "--dir", dir.toString());

        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("EpochRing demo: 2 producers x 5,000 puts over 1,000 keys, 32-byte values")
                             .contains("throughput  10,000 writes in")
                             .containsPattern("APPLIED +[0-9.]+ ")
                             .containsPattern("JOURNALED +[0-9.]+ ")
                             .containsPattern("WRITTEN +[0-9.]+ ")
                             .containsPattern("DURABLE +[0-9.]+ ")
                             .contains("journal 10,000 writes")
                             .contains("verify      1,000 keys all match")
                             .contains("after reopen: 1,000 keys all match")
                             .contains("result      OK")
                             .contains("kept        " + dir);
        // progress on stderr: plain lines (not a terminal), ending at all 10,000 writes durable
        assertThat(run.err()).doesNotContain("\r").contains("10,000/10,000 (100.0%)").contains("durable 10,000");
        assertThat(dir.resolve("db")).isDirectory();
        assertThat(dir.resolve("journal")).isDirectory();
    }

    @Test
    void shouldRemoveTheDemosTemporaryDirectoryUnlessKept() {
        Run run = run("demo", "--writes", "1000", "--keys", "100", "--no-journal", "--sample-every", "10");

        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("journal off").contains("result      OK").doesNotContain("kept")
                             .containsPattern("reopen      [0-9.]+ s: no journal to replay; RocksDB held writes up to epoch 2,000")
                             .doesNotContain("checkpoint at epoch");
        Path store = Path.of(run.out().lines().filter(l -> l.startsWith("  store")).findFirst().orElseThrow().split("\\s+")[2]);
        assertThat(store).doesNotExist();
    }

    @Test
    void shouldRunTheDemoWithEachSyncPolicyAndThreadingMode() {
        for (String[] options : new String[][] {{"--sync", "batch"}, {"--sync", "interval", "--sync-interval", "5ms"}, {"--threading", "per-stage"}}) {
            String[] args = concat(new String[] {"demo", "--writes", "2000", "--keys", "200", "--sample-every", "50"}, options);
            Run run = run(args);
            assertThat(run.exit()).as(String.join(" ", args) + "\n" + run.out() + run.err()).isZero();
            assertThat(run.out()).contains("result      OK");
        }
    }

    // ---- recover and inspect --------------------------------------------------------------------

    @Test
    void shouldRecoverAndInspectADemoDirectory() {
        Path dir = tmp.resolve("demo");
        assertThat(run("demo", "--writes", "3000", "--keys", "500", "--dir", dir.toString()).exit()).isZero();

        Run recover = run("recover", "--dir", dir.toString());
        assertThat(recover.exit()).as(recover.out() + recover.err()).isZero();
        assertThat(recover.out()).contains("recovered   " + dir)
                                 .contains("checkpoint: durable epoch 6,000")
                                 .contains("replayed 0 records")
                                 .contains("held writes up to epoch 6,000")
                                 .contains("applied 6,000  journaled 6,000  written 6,000  durable 6,000")
                                 .contains("500 live keys");

        Run inspect = run("inspect", "--dir", dir.toString(), "--from", "100", "--limit", "3");
        assertThat(inspect.exit()).as(inspect.out() + inspect.err()).isZero();
        assertThat(inspect.out()).contains("journal     " + dir.resolve("journal"))
                                 .contains("  codec       'epochring.kv' version 1 (the key-value store's)\n")
                                 .contains("6,000 writes (epochs 1..6,000)")
                                 .contains("checkpoint  durable 6,000, written 6,000")
                                 .containsPattern("WRITE +epoch 100 +channel producer-[01] +put\\('key-[0-9]{8}', 100 bytes\\)")
                                 .contains("epoch 102 ");
        assertThat(inspect.out().lines().filter(l -> l.startsWith("  WRITE"))).hasSize(3);

        Run json = run("inspect", "--dir", dir.resolve("journal").toString(), "--limit", "2", "--json");
        assertThat(json.exit()).isZero();
        assertThat(json.out().strip()).startsWith("{\"journal\":").endsWith("]}")
                                      .contains("\"codec\":{\"name\":\"epochring.kv\",\"version\":1}")
                                      .contains("\"writes\":6000")
                                      .contains("\"lastCheckpoint\":{\"durableEpoch\":6000,\"writtenEpoch\":6000}")
                                      .containsPattern("\\{\"type\":\"WRITE\",\"epoch\":1,\"channel\":\"producer-[01]\",\"payloadLength\":117,\"op\":\"put\",\"key\":\"key-[0-9]{8}\",\"valueLength\":100,");
    }

    @Test
    void shouldReplayJournaledWritesThatNeverReachedRocksDb() throws IOException {
        // given a journal holding 100 puts and no checkpoint: a store that died before its first flush
        Path dir = tmp.resolve("store");
        writeJournal(dir.resolve("journal"), 100);

        Run recover = run("recover", "--dir", dir.toString());

        assertThat(recover.exit()).as(recover.out() + recover.err()).isZero();
        assertThat(recover.out()).contains("checkpoint: durable epoch 0").contains("replayed 100 records")
                                 .contains("last journaled epoch 100").contains("100 live keys")
                                 .contains("rocksdb     none (" + dir.resolve("db") + " did not exist): created, and rebuilt from the journal")
                                 .contains("RocksDB holds every write up to epoch 100");
        // and the replayed writes are now in RocksDB
        try (KvStore store = KvStore.open(dir)) {
            assertThat(store.storedEpoch()).isEqualTo(100);
            assertThat(store.recovery().replayed()).isZero();
            assertThat(store.get("k42".getBytes())).isEqualTo("v42".getBytes());
        }
    }

    @Test
    void shouldSayWhatRocksDbHoldsWhenRecoveringAStoreWithoutAJournal() {
        // given a store without a journal holding 2,000 writes, and one holding none
        Path dir = tmp.resolve("no-journal");
        assertThat(run("demo", "--writes", "1000", "--keys", "100", "--no-journal", "--dir", dir.toString()).exit()).isZero();
        Path empty = tmp.resolve("no-journal-empty");
        KvStore.open(empty, KvOptions.builder().journal(false).build()).close();

        Run recover = run("recover", "--dir", dir.toString());
        Run recoverEmpty = run("recover", "--dir", empty.toString());

        // then each says there was no journal and what RocksDB holds, and no durability it cannot know
        assertThat(recover.exit()).as(recover.out() + recover.err()).isZero();
        assertThat(recover.out()).contains("journal     none (" + dir.resolve("journal") + " does not exist): nothing to replay")
                                 .contains("rocksdb     held writes up to epoch 2,000 when opened")
                                 .contains("closed      nothing was replayed, so RocksDB is as it was: it holds writes up to epoch 2,000")
                                 .doesNotContain("watermarks").doesNotContain("every write");
        assertThat(recoverEmpty.exit()).as(recoverEmpty.out() + recoverEmpty.err()).isZero();
        assertThat(recoverEmpty.out()).contains("rocksdb     held no writes when opened")
                                      .contains("closed      nothing was replayed, so RocksDB is as it was: it holds no writes")
                                      .doesNotContain("epoch 0");
    }

    @Test
    void shouldRefuseToRecoverADirectoryThatIsNotAStoreWithoutCreatingAnything() throws IOException {
        // a db/ that is not RocksDB, a journal/ that is not a journal
        Path junkDb = Files.createDirectories(tmp.resolve("junk-db").resolve("db"));
        Files.writeString(junkDb.resolve("notes.txt"), "x");
        Path junkJournal = Files.createDirectories(tmp.resolve("junk-journal").resolve("journal"));
        Files.writeString(junkJournal.resolve("notes.txt"), "x");

        assertOneLine(run("recover", "--dir", junkDb.getParent().toString()), EpochRingCli.USAGE,
                      junkDb + " is not a RocksDB database (it has no CURRENT file)");
        assertOneLine(run("recover", "--dir", junkJournal.getParent().toString()), EpochRingCli.USAGE,
                      junkJournal + " holds no journal files (*.cq4, metadata.cq4t, epochring-writer.lock)");
        assertThat(junkDb.toFile().list()).containsExactly("notes.txt");
        assertThat(junkJournal.toFile().list()).containsExactly("notes.txt");
        assertThat(junkJournal.getParent().resolve("db")).doesNotExist();
    }

    @Test
    void shouldRefuseToRecoverAJournalWhoseDatabaseIsGoneWhenItNoLongerHoldsEveryWrite() throws IOException {
        // given a store whose writes were made durable, then its database deleted
        Path dir = tmp.resolve("lost-db");
        assertThat(run("demo", "--writes", "500", "--keys", "50", "--dir", dir.toString()).exit()).isZero();
        deleteRecursively(dir.resolve("db"));

        Run recover = run("recover", "--dir", dir.toString());

        // then recover says why and what to do, and creates no empty database
        assertOneLine(recover, EpochRingCli.USAGE, "has a journal but no database (" + dir.resolve("db") + " is missing)");
        assertThat(recover.err()).contains("its checkpoint says writes up to epoch 1,000 were made durable in the database")
                                 .contains("Restore the database directory to " + dir.resolve("db"));
        assertThat(dir.resolve("db")).doesNotExist();
    }

    @Test
    void shouldStreamAnyNumberOfRecordsAndSayWhenThereAreNone() throws IOException {
        Path journal = tmp.resolve("store").resolve("journal");
        writeJournal(journal, 30);

        Run all = run("inspect", "--dir", journal.toString(), "--limit", "20M");
        Run first = run("inspect", "--dir", journal.toString(), "--from", "1", "--limit", "1");
        Run none = run("inspect", "--dir", journal.toString(), "--from", "31");

        assertThat(all.exit()).as(all.err()).isZero();
        assertThat(all.out()).contains("records from epoch 1, the first (at most 20,000,000):");
        assertThat(first.out()).contains("records from epoch 1, the first (at most 1):");
        assertThat(all.out().lines().filter(l -> l.startsWith("  WRITE"))).hasSize(30);
        assertThat(none.exit()).as(none.err()).isZero();
        assertThat(none.out()).contains("records from epoch 31 (at most 20): none");
    }

    @Test
    void shouldNotOfferRecoveryWhenTheDemoFailedBeforeAnyWrite() throws Exception {
        for (Path dir : new Path[] {tmp.resolve("refused"), null}) {
            // given a demo (in a directory of the user's, or a temporary one kept) whose store cannot be opened
            DemoWorkload.Config config = new DemoWorkload.Config(100, 2, 10, 8, true, SyncMode.NONE, Duration.ofMillis(50), dir, true,
                                                                 Duration.ofMillis(200), 1 << 20, ThreadingMode.SINGLE_THREAD, 16, 64, 16);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            PrintWriter writer = new PrintWriter(out, true, StandardCharsets.UTF_8);
            DemoWorkload demo = new DemoWorkload(config, writer, writer, false, (store, options) -> {
                throw new IllegalStateException("the store database is locked");
            });

            // when it runs, it fails
            assertThatThrownBy(demo::run).hasMessage("the store database is locked");

            // then it says nothing reached the store, and offers no recovery
            String printed = out.toString(StandardCharsets.UTF_8);
            assertThat(printed).contains("no write reached it, so there is nothing to recover").doesNotContain("recover --dir");
            Path used = Path.of(printed.lines().filter(l -> l.startsWith("  store")).findFirst().orElseThrow().split("\\s+")[2]);
            assertThat(used).isEmptyDirectory();
            Files.delete(used);
        }
    }

    @Test
    void shouldSayWhatRanOutAndWhatToLowerWhenTheHeapIsExhausted() {
        String demo = EpochRingCli.outOfMemory("demo", new OutOfMemoryError("Java heap space"), 2L << 30);
        String recover = EpochRingCli.outOfMemory("recover", new OutOfMemoryError("Java heap space"), 2L << 30);

        assertThat(demo).isEqualTo("the JVM ran out of memory (Java heap space, with a maximum heap of 2.00 GiB): lower --keys,"
                                   + " --flush-bytes or --value-size, or give java more heap, e.g. java -Xmx4g -jar epochring.jar demo ...");
        assertThat(recover).isEqualTo("the JVM ran out of memory (Java heap space, with a maximum heap of 2.00 GiB): give java more heap,"
                                      + " e.g. java -Xmx4g -jar epochring.jar recover ...");
    }

    @Test
    void shouldRefuseAStoreWhoseJournalFileWasDeletedUntilTheLossIsAccepted() throws IOException {
        // given a store closed with 150 writes in RocksDB, and its journal file deleted
        Path dir = tmp.resolve("store");
        try (KvStore store = KvStore.open(dir)) {
            for (int i = 1; i <= 150; i++) {
                store.put(("k" + i).getBytes(), ("v" + i).getBytes());
            }
        }
        try (var files = Files.list(dir.resolve("journal"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".cq4")).toList()) {
                Files.delete(file);
            }
        }

        // when recovered: refused, with both positions and the way to accept the loss, and nothing changed
        Run refused = run("recover", "--dir", dir.toString());
        assertOneLine(refused, EpochRingCli.FAILURE, "lost records");
        assertThat(refused.err()).contains("storage holds epochs up to 150 but the journal ends at epoch 0")
                                 .contains("its end marker says epochs up to 150 were journaled")
                                 .contains("--accept-journal-loss");
        try (var files = Files.list(dir.resolve("journal"))) {
            assertThat(files.filter(f -> f.toString().endsWith(".cq4")).toList()).as("no new journal file").isEmpty();
        }

        // when recovered accepting the loss: every key is still there (RocksDB had them all), and the loss is reported
        Run accepted = run("recover", "--dir", dir.toString(), "--accept-journal-loss");
        assertThat(accepted.exit()).as(accepted.out() + accepted.err()).isZero();
        assertThat(accepted.out()).contains("LOSS        accepted: the journal's records ended at epoch 0 but epochs up to 150 were"
                                            + " journaled; 0 writes were in neither the journal nor RocksDB")
                                  .contains("150 live keys");

        // and from then on the store opens without the flag, continuing after epoch 150
        Run again = run("recover", "--dir", dir.toString());
        assertThat(again.exit()).as(again.out() + again.err()).isZero();
        assertThat(again.out()).doesNotContain("LOSS");
        try (KvStore store = KvStore.open(dir)) {
            var write = store.put("after".getBytes(), "x".getBytes());
            write.await(io.epochring.DurabilityLevel.APPLIED);
            assertThat(write.epoch()).isEqualTo(151);
        }
    }

    @Test
    void shouldRecoverAJournalThatNamesNoCodecOnlyWhenToldToAdoptIt() throws IOException {
        // given a journal of puts written before journals recorded their codec
        Path dir = tmp.resolve("store");
        writeJournal(dir.resolve("journal"), 5);
        Files.delete(dir.resolve("journal").resolve("epochring-codec.id"));

        Run inspect = run("inspect", "--dir", dir.toString());
        assertThat(inspect.out()).contains("  codec       none recorded").containsPattern("WRITE +epoch 1 +channel default +put\\('k1'");

        Run refused = run("recover", "--dir", dir.toString());
        assertOneLine(refused, EpochRingCli.FAILURE, "holds records (up to epoch 5) but no epochring-codec.id");
        assertThat(refused.err()).contains(". If this store wrote it, run: epochring recover --dir " + dir + " --adopt-codec");

        Run adopted = run("recover", "--adopt-codec", "--dir", dir.toString());
        assertThat(adopted.exit()).as(adopted.out() + adopted.err()).isZero();
        assertThat(adopted.out()).contains("replayed 5 records").contains("5 live keys");
        assertThat(run("inspect", "--dir", dir.toString()).out()).contains("  codec       'epochring.kv' version 1 (the key-value store's)");
    }

    @Test
    void shouldNotDecodeTheWritesOfAJournalAnotherCodecWrote() {
        Path journalDir = tmp.resolve("store").resolve("journal");
        ExpandableArrayBuffer buffer = new ExpandableArrayBuffer();
        try (ChronicleJournal journal = ChronicleJournal.builder(journalDir).build()) {
            journal.bindCodec("test.long", 1);
            buffer.putLong(0, 80, ByteOrder.LITTLE_ENDIAN); // decodes as put("", [0, 0, 0]) with the store's codec
            journal.append(1, "default", buffer, 0, Long.BYTES);
            journal.commit();
        }

        Run inspect = run("inspect", "--dir", journalDir.toString());
        assertThat(inspect.exit()).as(inspect.err()).isZero();
        assertThat(inspect.out()).contains("  codec       'test.long' version 1 (not the key-value store's epochring.kv version 1:"
                                           + " payloads are not decoded; pass --codec to decode them)")
                                 .containsPattern("WRITE +epoch 1 +channel default +8-byte payload \\(codec 'test.long' version 1, not decoded\\)");
        Run recover = run("recover", "--dir", tmp.resolve("store").toString());
        assertOneLine(recover, EpochRingCli.FAILURE, "was written with codec 'test.long' version 1 but is being opened with codec"
                                                     + " 'epochring.kv' version 1");
    }

    // ---- bad input: one line, what is wrong and what to do, the documented exit code ------------

    @Test
    void shouldRefuseAMissingDirectory() {
        for (String command : new String[] {"recover", "inspect"}) {
            Run run = run(command, "--dir", tmp.resolve("nope").toString());
            assertThat(run.exit()).isEqualTo(EpochRingCli.USAGE);
            assertThat(run.errLines()).singleElement().asString()
                                      .startsWith("epochring " + command + ": --dir " + tmp.resolve("nope") + " does not exist: pass the directory of a store");
        }
    }

    @Test
    void shouldRefuseADirectoryThatIsNotAStore() throws IOException {
        Path empty = Files.createDirectory(tmp.resolve("empty"));
        Path file = Files.writeString(tmp.resolve("file"), "x");

        assertOneLine(run("recover", "--dir", empty.toString()), EpochRingCli.USAGE, "is not a store directory (it has neither db/ nor journal/)");
        assertOneLine(run("inspect", "--dir", empty.toString()), EpochRingCli.USAGE, "no journal in " + empty);
        assertOneLine(run("recover", "--dir", file.toString()), EpochRingCli.USAGE, "is a file, not a directory");
        assertOneLine(run("demo", "--dir", file.toString(), "--writes", "10"), EpochRingCli.USAGE, "is a file: pass a new or empty directory");
        Files.createDirectory(tmp.resolve("full"));
        Files.writeString(tmp.resolve("full").resolve("x"), "x");
        assertOneLine(run("demo", "--dir", tmp.resolve("full").toString(), "--writes", "10"), EpochRingCli.USAGE, "is not empty");
    }

    @Test
    void shouldRefuseADirectoryAnotherStoreHasOpen() {
        Path dir = tmp.resolve("store");
        try (KvStore store = KvStore.open(dir, KvOptions.defaults())) {
            // JOURNALED, not APPLIED: the journal has files only once a write reached it, and inspect reads them
            store.put("a".getBytes(), "1".getBytes()).await(DurabilityLevel.JOURNALED);

            Run run = run("recover", "--dir", dir.toString());

            assertOneLine(run, EpochRingCli.FAILURE, "the store " + dir + " is already open by pid " + ProcessHandle.current().pid());
            assertThat(run.err()).contains("close that store first");
            // a reader may look at the journal of a running store
            Run inspect = run("inspect", "--dir", dir.toString());
            assertThat(inspect.exit()).as(inspect.out() + inspect.err()).isZero();
        }
    }

    @Test
    void shouldMarkAWriteTheStoreRejectedWhenInspecting() {
        // given a journal holding two puts and, between them, an add the store rejected (k1 is no counter)
        Path journal = tmp.resolve("store").resolve("journal");
        ExpandableArrayBuffer buffer = new ExpandableArrayBuffer();
        try (ChronicleJournal writer = ChronicleJournal.builder(journal).build()) {
            int length = KvCodec.INSTANCE.encode(KvWrite.put("k1".getBytes(), "v1".getBytes()), buffer, 0);
            writer.append(1, "default", buffer, 0, length);
            length = KvCodec.INSTANCE.encode(KvWrite.add("k1".getBytes(), 5), buffer, 0);
            writer.appendRejected(2, "default", buffer, 0, length);
            length = KvCodec.INSTANCE.encode(KvWrite.put("k3".getBytes(), "v3".getBytes()), buffer, 0);
            writer.append(3, "default", buffer, 0, length);
            // a write the store refused before applying it (too large to journal): no payload
            writer.appendRejected(4, "default", buffer, 0, 0);
            writer.commit();
        }

        Run text = run("inspect", "--dir", journal.toString());
        assertThat(text.exit()).as(text.out() + text.err()).isZero();
        assertThat(text.out()).contains("4 writes (epochs 1..4), 2 of them rejected, 0 checkpoints")
                              .containsPattern("REJECTED +epoch 2 +channel default +add\\('k1', 5\\) \\(rejected when written: not applied\\)")
                              .containsPattern("REJECTED +epoch 4 +channel default +no payload \\(the write was too large for the journal,"
                                               + " or its codec could not encode it\\)");
        assertThat(text.out().lines().filter(l -> l.startsWith("  WRITE"))).hasSize(2);

        Run json = run("inspect", "--dir", journal.toString(), "--json");
        assertThat(json.exit()).isZero();
        assertThat(json.out()).contains("\"writes\":4,\"rejectedWrites\":2,")
                              .contains("{\"type\":\"REJECTED_WRITE\",\"epoch\":2,\"channel\":\"default\",")
                              .contains("\"op\":\"add\",\"key\":\"k1\",\"amount\":5,")
                              .contains("\"op\":\"put\",\"key\":\"k3\",\"valueLength\":2,");
    }

    @Test
    void shouldReportACorruptJournalWithItsFileAndPosition() throws IOException {
        Path dir = tmp.resolve("store");
        Path journal = dir.resolve("journal");
        writeJournal(journal, 10);
        JournalEntry fifth;
        try (JournalInspector inspector = JournalInspector.open(journal)) {
            fifth = inspector.records(5, 1).get(0);
        }
        flipByte(journal.resolve(fifth.file()), fifth.position() + 30);

        Run recover = run("recover", "--dir", dir.toString());
        assertOneLine(recover, EpochRingCli.FAILURE, fifth.file());
        Run inspect = run("inspect", "--dir", dir.toString());
        assertOneLine(inspect, EpochRingCli.FAILURE, fifth.file());

        Run verbose = run("inspect", "--dir", dir.toString(), "--verbose");
        assertThat(verbose.exit()).isEqualTo(EpochRingCli.FAILURE);
        assertThat(verbose.err()).contains("JournalCorruptedException").contains("\tat io.epochring.");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "demo --writes abc                    | Invalid value for option '--writes': 'abc' is not a count",
        "demo --writes -5                     | Invalid value for option '--writes': '-5' is not a count",
        "demo --writes 0                      | --writes must be between 1 and",
        "demo --producers 0                   | --producers must be between 1 and 64, was 0",
        "demo --keys 1 --producers 2          | --keys must be between --producers (2) and 100,000,000, was 1",
        "demo --value-size 3                  | --value-size must be between 8 and 1048576 bytes, was 3",
        "demo --value-size 2TiB               | unknown unit 'TiB'",
        "demo --flush-interval 0ms            | --flush-interval must be between 1ms and 24h, was 0ms",
        "demo --flush-interval 25h            | --flush-interval must be between 1ms and 24h, was 25h",
        "demo --flush-interval 100000000000m  | '100000000000m' is too long: a duration must be at most 9223372036854775807 ns",
        "demo --flush-interval PT99999999999999H | 'PT99999999999999H' is too long",
        "demo --sync interval --sync-interval 0.5us | --sync-interval must be between 1us and 24h, was 0.5us",
        "demo --writes 99999999999999999M     | '99999999999999999M' is too large: the largest number is 9,223,372,036,854,775,807",
        "demo --flush-bytes 99999999999GiB    | '99999999999GiB' is too large",
        "demo --keys 200M                     | --keys must be between --producers (2) and 100,000,000, was 200,000,000",
        "demo --keys 100M --flush-bytes 1000GiB | the demo would need about",
        "demo --flush-interval soon           | 'soon' is not a duration",
        "demo --flush-bytes 0                 | --flush-bytes must be > 0",
        "demo --threading many                | 'many' is not a threading mode (use single or per-stage)",
        "demo --sync sometimes                | Invalid value for option '--sync'",
        "demo --sync batch --no-journal       | --sync batch needs the journal: drop --no-journal",
        "demo --frobnicate                    | Unknown option: '--frobnicate'",
        "inspect --dir . --limit 0            | --limit must be at least 1, was 0",
        "inspect --dir . --from 99999999999999999999 | '99999999999999999999' is too large",
        "inspect --dir . --from x             | Invalid value for option '--from'",
        "recover                              | Missing required option: '--dir=DIR'",
        "frobnicate                           | Unmatched argument at index 0: 'frobnicate'",
    })
    void shouldRejectBadOptionsWithOneLineAndExitCodeTwo(String commandLine, String message) {
        Run run = run(commandLine.trim().split("\\s+"));

        assertOneLine(run, EpochRingCli.USAGE, message);
        assertThat(run.err()).contains("--help')").doesNotContain("Exception");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void shouldAskForACommandWhenGivenNone() {
        assertOneLine(run(), EpochRingCli.USAGE, "missing command: choose one of demo, cluster-demo, recover, inspect");
    }

    @Test
    void shouldPrintHelpAndVersion() {
        Run help = run("--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("demo", "recover", "inspect", "Exit codes:", "2  usage error");
        assertThat(run("demo", "--help").out()).contains("--writes=N", "--sync=POLICY", "--keep", "--threading=MODE");
        assertThat(run("--version").out()).startsWith("epochring ");
    }

    private static void assertOneLine(Run run, int exit, String message) {
        assertThat(run.exit()).as(run.err()).isEqualTo(exit);
        assertThat(run.errLines()).as("stderr").singleElement().asString().startsWith("epochring").contains(message);
    }

    /** Writes {@code count} puts (k1=v1...) straight into a journal, as a store that never flushed would leave it. */
    private static void writeJournal(Path journalDir, int count) {
        ExpandableArrayBuffer buffer = new ExpandableArrayBuffer();
        try (ChronicleJournal journal = ChronicleJournal.builder(journalDir).build()) {
            journal.bindCodec(KvCodec.NAME, KvCodec.VERSION);
            for (int epoch = 1; epoch <= count; epoch++) {
                int length = KvCodec.INSTANCE.encode(KvWrite.put(("k" + epoch).getBytes(), ("v" + epoch).getBytes()), buffer, 0);
                journal.append(epoch, "default", buffer, 0, length);
                journal.commit();
            }
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private static void flipByte(Path file, long position) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, position);
            one.put(0, (byte) ~one.get(0));
            channel.write(one.rewind(), position);
        }
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = new String[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
