package io.epochring.journal;

import io.epochring.Journal;
import io.epochring.JournalCorruptedException;
import io.epochring.journal.support.PutCodec;
import io.epochring.journal.support.Rings;
import io.epochring.journal.support.TestDirs;
import io.epochring.testing.MapDelta;
import io.epochring.testing.Put;
import io.epochring.testing.TestFlusher;
import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.RollCycles;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.epochring.journal.support.FileEdits.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * A journal file damaged on disk, the way an operator or a failing disk damages it: recovery (a
 * coordinator starting on the journal) refuses it at once, naming the file, the record and the
 * byte offset; the inspector gives the same verdict word for word; and neither changes a byte of
 * any file in the directory.
 *
 * <p>Every test starts from the same journal: {@value #WRITES} writes, checkpoints at epochs 1000
 * and 1700, in one file, so Chronicle's index has several entries and the checkpoint hint names a
 * record that recovery finds through the index.
 *
 * <p>The one file that does change is {@code epochring-writer.lock}: taking the single-writer
 * lock writes the new holder's description into it. It holds no journal data.
 *
 * <p>Not damage: a newest file of nothing but zeros, which a writer killed while creating a file
 * leaves behind; it never held a record. Nor a {@code metadata.cq4t} of nothing but zeros, which a
 * writer killed while creating the journal leaves: readers say so, and the next writer replaces it.
 */
class DamagedJournalTest {

    private static final int WRITES = 2000;
    private static final long START = 1_700_000_000_000_000_000L;
    /** Far longer than detection takes; only a hang (Chronicle waiting for a header) gets near it. */
    private static final Duration HANG = Duration.ofSeconds(30);

    @Test
    void shouldRefuseACycleFileTruncatedToZeroBytes() throws IOException {
        Path dir = journal("empty");
        Path file = cycleFile(dir);
        truncate(file, 0);

        assertRefusedAlikeAndUnchanged(dir, "the file is empty (0 bytes)", "file " + file.getFileName() + " of journal " + dir,
                                       "record 0 of that file (byte offset 0)");
    }

    @Test
    void shouldRefuseACycleFileWhoseFirst64KiBWereZeroed() throws IOException {
        Path dir = journal("zeroed-header");
        Path file = cycleFile(dir);
        write(file, 0, new byte[64 << 10]);

        assertRefusedAlikeAndUnchanged(dir, "the file has no valid Chronicle Queue header", "its first 4 bytes are zero",
                                       "file " + file.getFileName() + " of journal " + dir, "record 0 of that file (byte offset 0)");
    }

    @Test
    void shouldRefuseACycleFileCutTo1000Bytes() throws IOException {
        Path dir = journal("cut-1000");
        Path file = cycleFile(dir);
        truncate(file, 1000);

        // The header survives; Chronicle's top-level index right after it is the first thing cut off.
        assertRefusedAlikeAndUnchanged(dir, "the file is cut short: it is 1000 bytes, but its header says records were written up to byte offset",
                                       "runs past the end of the file, before record 0",
                                       "file " + file.getFileName() + " of journal " + dir, "record 0 of that file (byte offset ");
        assertThat(Files.size(file)).isEqualTo(1000); // a writable Chronicle queue maps it back to tens of MiB
    }

    @Test
    void shouldRefuseAnIndexEntryThatPointsIntoTheMiddleOfARecord() throws IOException {
        Path dir = journal("index-entry");
        Path file = cycleFile(dir);
        // The entry recovery goes through to reach the hinted checkpoint: records are indexed every 256th.
        long hinted = RollCycles.FAST_HOURLY.toSequenceNumber(CheckpointHint.read(dir).index());
        long indexed = hinted & -256L;
        long recordHeader = headerOffset(dir, indexed);
        long entry = onlyOffsetOf(file, recordHeader);
        writeLong(file, entry, recordHeader + 12); // inside the record, on bytes that read as a plausible header

        assertRefusedAlikeAndUnchanged(dir, "Chronicle's index entry for record " + indexed + " (at byte offset " + entry
                                            + ") points to byte offset " + (recordHeader + 12) + ", which is not the start of a journal record",
                                       "file " + file.getFileName() + " of journal " + dir,
                                       "record " + indexed + " of that file (byte offset " + entry + ")");
    }

    @Test
    void shouldRefuseAnIndexEntryThatPointsPastTheEndOfTheFile() throws IOException {
        Path dir = journal("index-garbage");
        Path file = cycleFile(dir);
        long recordHeader = headerOffset(dir, 512);
        long entry = onlyOffsetOf(file, recordHeader);
        writeLong(file, entry, 0x4141_4141_4141L);

        assertRefusedAlikeAndUnchanged(dir, "Chronicle's index entry for record 512 (at byte offset " + entry + ") points to byte offset "
                                            + 0x4141_4141_4141L + ", past the end of the file",
                                       "file " + file.getFileName() + " of journal " + dir, "record 512 of that file (byte offset " + entry + ")");
    }

    @Test
    void shouldRefuseGarbageInChroniclesMetadataFileAndRecoverOnceItIsMovedAside() throws IOException {
        Path dir = journal("metadata");
        Path metadata = dir.resolve(MetadataFileVerifier.FILE_NAME);
        byte[] garbage = new byte[(int) Files.size(metadata)];
        new Random(42).nextBytes(garbage);
        Files.write(metadata, garbage);

        assertRefusedAlikeAndUnchanged(dir, "Chronicle Queue's metadata file metadata.cq4t is damaged",
                                       "byte offset 0 of metadata.cq4t of journal " + dir, "holds Chronicle Queue's settings and file listing, no records");

        // As the message says: Chronicle writes a new one, and nothing is lost.
        Files.move(metadata, dir.resolveSibling(dir.getFileName() + "-metadata.cq4t"));
        var ring = Rings.start(new MapDelta(), new TestFlusher(), ChronicleJournal.builder(dir).timeProvider(new SetTimeProvider(START)).build());
        try {
            assertThat(ring.recovery().lastEpoch()).isEqualTo(WRITES);
        } finally {
            ring.stop();
        }
    }

    @Test
    void shouldReplaceAMetadataFileOfOnlyZerosThatAWriterKilledWhileCreatingTheJournalLeft() throws IOException {
        for (long length : new long[] {0, 2, 64 << 10}) {
            Path dir = journal("metadata-unwritten-" + length);
            // Chronicle creates metadata.cq4t at its mapped size, then writes its header: killed in between, it leaves zeros.
            Path metadata = dir.resolve(MetadataFileVerifier.FILE_NAME);
            try (FileChannel file = FileChannel.open(metadata, StandardOpenOption.WRITE)) {
                file.truncate(0);
                if (length > 0) {
                    file.write(ByteBuffer.allocate(1), length - 1);
                }
            }

            // The inspector changes nothing, and says what the file is and what replaces it.
            Map<String, String> before = hashes(dir);
            JournalCorruptedException inspection = refusal("inspection", dir, () -> JournalInspector.open(dir).close());
            assertThat(inspection.getMessage()).contains("metadata.cq4t was never written", "holds " + length + " bytes of zeros",
                                                         "a coordinator opening the journal replaces it");
            assertThat(hashes(dir)).isEqualTo(before);

            // A coordinator recovers every write and goes on writing; Chronicle wrote a new metadata file.
            MapDelta delta = new MapDelta();
            var ring = assertTimeoutPreemptively(HANG, () -> Rings.start(delta, new TestFlusher(), ChronicleJournal.builder(dir).build()));
            try {
                assertThat(ring.recovery().lastEpoch()).isEqualTo(WRITES);
                var write = ring.channel("a").write(new Put("after", 1));
                assertTimeoutPreemptively(HANG, () -> write.await(io.epochring.DurabilityLevel.JOURNALED));
                assertThat(write.epoch()).isEqualTo(WRITES + 1);
            } finally {
                ring.stop();
            }
            assertThat(MetadataFileVerifier.verify(metadata)).as("the new metadata file").isNull();
            try (JournalInspector inspector = JournalInspector.open(dir)) {
                assertThat(inspector.summary().writes()).isEqualTo(WRITES + 1);
            }
        }
    }

    @Test
    void shouldPassByANewestFileOfOnlyZerosThatAWriterKilledWhileCreatingItLeft() throws IOException {
        SetTimeProvider time = new SetTimeProvider(START);
        Path dir = journal("creation-interrupted", time);
        // Chronicle creates a cycle file at its mapped size, then writes its header: killed in between, it leaves this.
        time.advanceMillis(TimeUnit.HOURS.toMillis(1));
        Path unstarted = dir.resolve(cycleFileName(time) + ".cq4");
        try (FileChannel file = FileChannel.open(unstarted, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            file.truncate(0).write(ByteBuffer.allocate(1), (4 << 20) - 1);
        }
        assertThat(TestDirs.queueFiles(dir)).hasSize(2);
        try (JournalInspector inspector = JournalInspector.open(dir)) {
            assertThat(inspector.summary().writes()).isEqualTo(WRITES);
        }

        Map<String, String> before = hashes(dir);
        try (ChronicleJournal journal = ChronicleJournal.builder(dir).timeProvider(time).build()) {
            assertThat(journal.lastCheckpoint()).isEqualTo(new Journal.Checkpoint(1700, 1700));
            assertThat(journal.lastEpoch()).isEqualTo(WRITES);
            assertThat(ChronicleJournalTest.replay(journal, 1700)).hasSize(WRITES - 1700);
        }
        assertThat(hashes(dir)).isEqualTo(before);
    }

    @Test
    void shouldPassByANewestFileWhoseHeaderAWriterKilledWhileWritingItLeftIncomplete() throws IOException {
        SetTimeProvider time = new SetTimeProvider(START);
        Path dir = journal("header-interrupted", time);
        // Chronicle marks a new file's header word "not complete" before it writes the header, and records only after it.
        time.advanceMillis(TimeUnit.HOURS.toMillis(1));
        Path unfinished = dir.resolve(cycleFileName(time) + ".cq4");
        try (FileChannel file = FileChannel.open(unfinished, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            file.truncate(0).write(ByteBuffer.allocate(1), (4 << 20) - 1);
            file.write(ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(0, 0x8000_0000), 0);
        }
        try (JournalInspector inspector = JournalInspector.open(dir)) {
            assertThat(inspector.summary().writes()).isEqualTo(WRITES);
        }

        // and a coordinator recovers every write and goes on writing
        MapDelta delta = new MapDelta();
        var ring = assertTimeoutPreemptively(HANG, () -> Rings.start(delta, new TestFlusher(),
                                                                      ChronicleJournal.builder(dir).timeProvider(time).build()));
        try {
            assertThat(ring.recovery().replayed()).isEqualTo(WRITES - 1700);
            var write = ring.channel("a").write(new Put("after", 1));
            assertTimeoutPreemptively(HANG, () -> write.await(io.epochring.DurabilityLevel.JOURNALED));
            assertThat(write.epoch()).isEqualTo(WRITES + 1);
        } finally {
            ring.stop();
        }
    }

    @Test
    void shouldRefuseAnOlderFileOfOnlyZeros() throws IOException {
        SetTimeProvider time = new SetTimeProvider(START);
        Path dir = journal("zeros-not-newest", time);
        Path file = cycleFile(dir);
        time.advanceMillis(TimeUnit.HOURS.toMillis(1));
        try (ChronicleJournal journal = ChronicleJournal.builder(dir).timeProvider(time).build()) {
            ChronicleJournalTest.append(journal, WRITES + 1, "a", "in the second file");
            journal.commit();
        }
        truncate(file, 1 << 20);
        write(file, 0, new byte[1 << 20]);

        assertRefusedAlikeAndUnchanged(dir, "its first 4 bytes are zero", "file " + file.getFileName() + " of journal " + dir);
    }

    // ---- the verdict --------------------------------------------------------------------------

    /**
     * Recovery and the inspector both refuse the journal with the same message, holding every
     * fragment, and every file in the directory is as it was.
     */
    private static void assertRefusedAlikeAndUnchanged(Path dir, String... fragments) throws IOException {
        Map<String, String> before = hashes(dir);
        byte[] hint = Files.readAllBytes(dir.resolve(CheckpointHint.FILE_NAME));

        JournalCorruptedException recovery = refusal("recovery", dir, () -> Rings.start(new MapDelta(), new TestFlusher(),
                                                                                        ChronicleJournal.builder(dir).build()).stop());
        JournalCorruptedException inspection = refusal("inspection", dir, () -> {
            try (JournalInspector inspector = JournalInspector.open(dir)) {
                inspector.summary();
            }
        });

        assertThat(recovery.getMessage()).contains(fragments).doesNotContain("NullPointerException");
        assertThat(inspection.getMessage()).isEqualTo(recovery.getMessage());
        assertThat(hashes(dir)).isEqualTo(before);
        assertThat(Files.readAllBytes(dir.resolve(CheckpointHint.FILE_NAME))).isEqualTo(hint);
    }

    private static JournalCorruptedException refusal(String reader, Path dir, Executable read) {
        long start = System.nanoTime();
        JournalCorruptedException refused = assertTimeoutPreemptively(
            HANG, () -> catchThrowableOfType(JournalCorruptedException.class, read::execute), reader + " of " + dir + " hung");
        assertThat(refused).as(reader + " of " + dir + " refuses it").isNotNull();
        System.out.printf("%s refused %s in %.1f ms: %s%n", reader, dir.getFileName(), (System.nanoTime() - start) / 1e6, refused.getMessage());
        return refused;
    }

    /** @return SHA-256 of every file in {@code dir}, by name; the writer lock's content is not journal data (see the class doc) */
    private static Map<String, String> hashes(Path dir) throws IOException {
        Map<String, String> hashes = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                hashes.put(name, name.equals(DirectoryLock.FILE_NAME) ? "(lock)" : sha256(file));
            }
        }
        return hashes;
    }

    private static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- the journal and its damage -------------------------------------------------------------

    private static Path journal(String name) {
        return journal(name, new SetTimeProvider(START));
    }

    private static Path journal(String name, SetTimeProvider time) {
        Path dir = TestDirs.fresh("damaged-" + name);
        PutCodec codec = new PutCodec();
        ExpandableArrayBuffer buffer = new ExpandableArrayBuffer();
        try (ChronicleJournal journal = ChronicleJournal.builder(dir).rollCycle(RollCycles.FAST_HOURLY).timeProvider(time).build()) {
            journal.bindCodec(codec.name(), codec.version()); // as a coordinator with this codec would
            for (int epoch = 1; epoch <= WRITES; epoch++) {
                int length = codec.encode(new Put("key-" + epoch, epoch), buffer, 0);
                journal.append(epoch, "a", buffer, 0, length);
                if (epoch == 1000 || epoch == 1700) {
                    journal.commit();
                    journal.checkpoint(epoch, epoch);
                }
            }
            journal.commit();
        }
        assertThat(CheckpointHint.read(dir).settled()).isTrue();
        return dir;
    }

    private static Path cycleFile(Path dir) {
        List<String> files = TestDirs.queueFiles(dir);
        assertThat(files).hasSize(1);
        return dir.resolve(files.get(0));
    }

    /** @return the name (without .cq4) of the hourly file Chronicle writes at {@code time} */
    private static String cycleFileName(SetTimeProvider time) {
        return DateTimeFormatter.ofPattern(RollCycles.FAST_HOURLY.format()).withZone(ZoneOffset.UTC)
                                .format(Instant.ofEpochMilli(time.currentTimeMillis()));
    }

    /** @return the byte offset of the Chronicle header of record {@code sequence} of the journal's file */
    private static long headerOffset(Path dir, long sequence) {
        try (JournalInspector inspector = JournalInspector.open(dir)) {
            return inspector.records(0, WRITES + 2).stream()
                            .filter(entry -> RollCycles.FAST_HOURLY.toSequenceNumber(entry.index()) == sequence)
                            .findFirst().orElseThrow()
                            .position() - 4;
        }
    }

    /** @return the one byte offset in {@code file} holding {@code value} as a little-endian long: an index entry */
    private static long onlyOffsetOf(Path file, long value) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        long found = -1;
        for (int at = 0; at + 8 <= bytes.limit(); at++) {
            if (bytes.getLong(at) == value) {
                assertThat(found).as("a second place holds " + value).isEqualTo(-1);
                found = at;
            }
        }
        assertThat(found).as("the index entry holding " + value).isNotNegative();
        return found;
    }

    private static void writeLong(Path file, long offset, long value) throws IOException {
        write(file, offset, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, value).array());
    }

    private static void truncate(Path file, long length) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
