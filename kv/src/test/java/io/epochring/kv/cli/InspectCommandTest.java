package io.epochring.kv.cli;

import io.epochring.DurabilityLevel;
import io.epochring.journal.ChronicleJournal;
import io.epochring.journal.support.ChildJvm;
import io.epochring.kv.KvCodec;
import io.epochring.kv.KvOptions;
import io.epochring.kv.KvStore;
import io.epochring.kv.KvWrite;
import io.epochring.kv.cli.EpochRingCliTest.Run;
import io.epochring.kv.cli.codecs.LongCodec;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static io.epochring.kv.cli.EpochRingCliTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code epochring inspect}: following a live journal, decoding with a user's codec, the listing's wording. */
class InspectCommandTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    // ---- --follow -------------------------------------------------------------------------------

    @Test
    void shouldPrintWritesAsARunningStoreAppendsThemUntilSigtermThenExitZero() throws Exception {
        // given a running store with one write, and inspect --follow on its journal in another JVM
        Path dir = tmp.resolve("store");
        try (KvStore store = KvStore.open(dir, KvOptions.defaults())) {
            store.put(bytes("first"), bytes("1")).await(DurabilityLevel.JOURNALED);
            try (ChildJvm inspect = ChildJvm.start(EpochRingCli.class, tmp.resolve("inspect.log"), "inspect", "--dir", dir.toString(),
                                                   "--follow")) {
                inspect.awaitLine("  WRITE       epoch 1 ", TIMEOUT);
                inspect.awaitLine("following new records until Ctrl-C:", TIMEOUT);

                // when the store takes more writes
                store.put(bytes("second"), bytes("2")).await(DurabilityLevel.JOURNALED);
                store.put(bytes("third"), bytes("3")).await(DurabilityLevel.JOURNALED);

                // then they are printed as they arrive, and SIGTERM ends following with exit code 0
                assertThat(inspect.awaitLine("  WRITE       epoch 2 ", TIMEOUT)).contains("put('second', 1 bytes)");
                assertThat(inspect.awaitLine("  WRITE       epoch 3 ", TIMEOUT)).contains("put('third', 1 bytes)");
                // SIGTERM through the process handle: Process.destroy() would also close the pipe of its output
                assertThat(ProcessHandle.of(inspect.pid()).orElseThrow().destroy()).isTrue();
                int exit = inspect.awaitExit(TIMEOUT);
                assertThat(exit).as("exit code; see " + inspect.log()).isZero();
                assertThat(inspect.remainingLines()).as("the rest of its output; its stderr: %s", Files.readString(inspect.log()))
                                                    .anyMatch(line -> line.startsWith("stopped following: "));
            }
        }
    }

    @Test
    void shouldStopFollowingAfterFollowForWithTheJsonClosed() {
        Path journal = tmp.resolve("journal");
        writeKvJournal(journal, 3);

        Run text = run("inspect", "--dir", journal.toString(), "--follow-for", "50ms");
        Run json = run("inspect", "--dir", journal.toString(), "--follow-for", "50ms", "--json");
        Run cut = run("inspect", "--dir", journal.toString(), "--limit", "2", "--follow-for", "50ms");

        assertThat(text.exit()).as(text.err()).isZero();
        assertThat(text.out()).contains("following new records for 0.05s (or until Ctrl-C):\nstopped following: 0 new records");
        assertThat(text.out().lines().filter(l -> l.startsWith("  WRITE"))).hasSize(3);
        assertThat(json.exit()).as(json.err()).isZero();
        assertThat(json.out().strip()).startsWith("{\"journal\":").endsWith("],\"followed\":0}");
        assertThat(cut.out()).contains("following new records from the journal's end (--limit cut the listing short)");
    }

    // ---- --codec --------------------------------------------------------------------------------

    @Test
    void shouldDecodeWithTheCodecGivenWhenItIsTheOneTheJournalRecorded() {
        Path journal = writeLongJournal(tmp.resolve("journal"), LongCodec.NAME, 1);

        Run text = run("inspect", "--dir", journal.toString(), "--codec", LongCodec.class.getName());
        Run json = run("inspect", "--dir", journal.toString(), "--codec", LongCodec.class.getName(), "--json");

        assertThat(text.exit()).as(text.err()).isZero();
        assertThat(text.out()).contains("  codec       'test.long' version 1; decoding with --codec 'test.long' version 1 ("
                                        + LongCodec.class.getName() + ")")
                              .containsPattern("WRITE +epoch 1 +channel default +Amount\\[value=80\\]")
                              .containsPattern("WRITE +epoch 2 +channel default +Amount\\[value=81\\]");
        assertThat(json.out()).contains("\"decoded\":\"Amount[value=80]\"");
    }

    @Test
    void shouldRefuseACodecOtherThanTheJournalsNamingBothUnlessForced() {
        Path journal = writeLongJournal(tmp.resolve("journal"), LongCodec.NAME, 1);

        Run refused = run("inspect", "--dir", journal.toString(), "--codec", LongCodec.Version2.class.getName());
        Run forced = run("inspect", "--dir", journal.toString(), "--codec", LongCodec.Version2.class.getName(), "--force-codec");

        assertThat(refused.exit()).isEqualTo(EpochRingCli.USAGE);
        assertThat(refused.errLines()).singleElement().asString()
                                      .contains("--codec " + LongCodec.Version2.class.getName() + " is codec 'test.long' version 2")
                                      .contains("was written with codec 'test.long' version 1")
                                      .contains("add --force-codec");
        assertThat(refused.out()).isEmpty();
        assertThat(forced.exit()).as(forced.err()).isZero();
        assertThat(forced.out()).contains("decoding with --codec 'test.long' version 2")
                                .contains("anyway, as --force-codec says")
                                .contains("Amount[value=80]");
    }

    @Test
    void shouldSayWhatIsWrongWithACodecClassItCannotUse() {
        Path journal = writeLongJournal(tmp.resolve("journal"), LongCodec.NAME, 1);

        Run missing = run("inspect", "--dir", journal.toString(), "--codec", "com.example.NoSuchCodec");
        Run notACodec = run("inspect", "--dir", journal.toString(), "--codec", "java.lang.String");
        Run noConstructor = run("inspect", "--dir", journal.toString(), "--codec", LongCodec.NeedsArgument.class.getName());
        Run forceAlone = run("inspect", "--dir", journal.toString(), "--force-codec");

        assertThat(List.of(missing, notACodec, noConstructor, forceAlone)).extracting(Run::exit).containsOnly(EpochRingCli.USAGE);
        assertThat(missing.err()).contains("--codec com.example.NoSuchCodec: no such class on the classpath")
                                 .contains("java -cp epochring.jar:your-codec.jar io.epochring.kv.cli.EpochRingCli inspect");
        assertThat(notACodec.err()).contains("--codec java.lang.String is not a io.epochring.WriteCodec");
        assertThat(noConstructor.err()).contains("has no public no-argument constructor");
        assertThat(forceAlone.err()).contains("--force-codec needs --codec");
    }

    @Test
    void shouldShowPayloadsAnotherCodecWroteAsBytes() {
        Path journal = writeLongJournal(tmp.resolve("journal"), LongCodec.NAME, 1);

        Run text = run("inspect", "--dir", journal.toString());
        Run json = run("inspect", "--dir", journal.toString(), "--json");

        assertThat(text.out()).contains("pass --codec to decode them")
                              .containsPattern("8-byte payload \\(codec 'test.long' version 1, not decoded\\) 5000000000000000");
        assertThat(json.out()).contains("\"payloadBase64\":\"UAAAAAAAAAA=\"");
    }

    // ---- wording --------------------------------------------------------------------------------

    @Test
    void shouldNameTheFirstEpochPresentRatherThanEpochZero() {
        Path journal = tmp.resolve("journal");
        writeKvJournal(journal, 5);

        Run run = run("inspect", "--dir", journal.toString(), "--from", "0", "--limit", "1");
        Run json = run("inspect", "--dir", journal.toString(), "--json");

        assertThat(run.out()).contains("records from epoch 1, the first (at most 1):").doesNotContain("epoch 0");
        assertThat(json.out()).contains("\"firstEpoch\":1,\"lastEpoch\":5");
    }

    @Test
    void shouldSayAJournalWithoutRecordsIsEmpty() {
        Path journal = tmp.resolve("journal");
        try (ChronicleJournal ignored = ChronicleJournal.builder(journal).build()) {
            // opened, never written: only the writer's lock file
        }

        Run run = run("inspect", "--dir", journal.toString());
        Run json = run("inspect", "--dir", journal.toString(), "--json");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("  records     none yet: the journal is empty")
                             .contains("records (at most 20): none, the journal holds no records yet")
                             .doesNotContain("epoch 0");
        assertThat(json.out()).contains("\"firstEpoch\":null,\"lastEpoch\":null");
    }

    // ---- helpers --------------------------------------------------------------------------------

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static void writeKvJournal(Path journalDir, int count) {
        ExpandableArrayBuffer buffer = new ExpandableArrayBuffer();
        try (ChronicleJournal journal = ChronicleJournal.builder(journalDir).build()) {
            journal.bindCodec(KvCodec.NAME, KvCodec.VERSION);
            for (int epoch = 1; epoch <= count; epoch++) {
                int length = KvCodec.INSTANCE.encode(KvWrite.put(bytes("k" + epoch), bytes("v" + epoch)), buffer, 0);
                journal.append(epoch, "default", buffer, 0, length);
            }
            journal.commit();
        }
    }

    private static Path writeLongJournal(Path journalDir, String codecName, int codecVersion) {
        ExpandableArrayBuffer buffer = new ExpandableArrayBuffer();
        LongCodec codec = new LongCodec();
        try (ChronicleJournal journal = ChronicleJournal.builder(journalDir).build()) {
            journal.bindCodec(codecName, codecVersion);
            for (int epoch = 1; epoch <= 2; epoch++) {
                int length = codec.encode(new LongCodec.Amount(79 + epoch), buffer, 0);
                journal.append(epoch, "default", buffer, 0, length);
            }
            journal.commit();
        }
        return journalDir;
    }
}
