package io.epochring.journal;

import io.epochring.CodecMismatchException;
import io.epochring.JournalCorruptedException;
import io.epochring.WriteCodec;
import io.epochring.journal.support.JournalLogCapture;
import io.epochring.journal.support.PutCodec;
import io.epochring.journal.support.Rings;
import io.epochring.journal.support.TestDirs;
import io.epochring.testing.Put;
import io.epochring.testing.RecordingDelta;
import io.epochring.testing.TestFlusher;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static io.epochring.DurabilityLevel.DURABLE;
import static io.epochring.DurabilityLevel.JOURNALED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A journal records the codec that wrote it, and a coordinator with another codec is refused before anything is replayed. */
class JournalCodecTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String PUT_CODEC = "'" + PutCodec.class.getName() + "' version 1";

    @Test
    void shouldRecordTheCodecOfANewJournalWithItsFirstRecordAndNotBefore() throws Exception {
        // given a coordinator started on a new journal
        Path dir = TestDirs.fresh("codec-new");
        var ring = Rings.start(new RecordingDelta(), new TestFlusher(), ChronicleJournal.builder(dir).build());
        try {
            // then recovery wrote no identity: nothing may change on disk until the first record
            assertThat(dir.resolve(CodecBinding.FILE_NAME)).doesNotExist();
            try (JournalInspector inspector = JournalInspector.open(dir)) {
                assertThat(inspector.codec()).isEmpty();
            }

            // when the first write is journaled
            ring.channel("a").write(new Put("k", 1)).await(JOURNALED, WAIT);

            // then the journal names its codec
            assertThat(Files.readString(dir.resolve(CodecBinding.FILE_NAME)))
                .contains("name=" + PutCodec.class.getName() + "\n", "version=1\n");
            try (JournalInspector inspector = JournalInspector.open(dir)) {
                assertThat(inspector.codec()).contains(new CodecIdentity(PutCodec.class.getName(), 1));
            }
        } finally {
            ring.stop();
        }
        assertThat(dir.resolve(CodecBinding.FILE_NAME + ".tmp")).doesNotExist();

        // and the same codec opens it again
        var again = Rings.start(new RecordingDelta(), new TestFlusher(), ChronicleJournal.builder(dir).build());
        assertThat(again.recovery().lastEpoch()).isEqualTo(1);
        again.stop();
    }

    @Test
    void shouldRefuseAJournalWrittenWithAnotherCodecNamingBothAndReplayingNothing() throws Exception {
        // given a journal of longs whose payloads happen to be long enough to decode as puts
        Path dir = TestDirs.fresh("codec-other");
        writeLongs(dir, new LongCodec("test.long", 1));
        Map<String, String> before = contents(dir);

        // when a coordinator with the put codec opens it
        RecordingDelta delta = new RecordingDelta();
        assertThatThrownBy(() -> Rings.start(delta, new TestFlusher(), ChronicleJournal.builder(dir).build()))
            .isInstanceOf(CodecMismatchException.class)
            .hasMessageContaining("journal " + dir + " was written with codec 'test.long' version 1 but is being opened with codec "
                                  + PUT_CODEC)
            .hasMessageContaining("Nothing was replayed")
            .satisfies(e -> assertThat(((CodecMismatchException) e).recorded()).isEqualTo("'test.long' version 1"))
            .satisfies(e -> assertThat(((CodecMismatchException) e).requested()).isEqualTo(PUT_CODEC));

        // then nothing was applied, no file changed, and the journal was released
        assertThat(delta.applied()).isEmpty();
        assertThat(contents(dir)).isEqualTo(before);
        try (ChronicleJournal journal = ChronicleJournal.builder(dir).build()) {
            assertThat(journal.lastEpoch()).isEqualTo(3);
        }
    }

    @Test
    void shouldRefuseTheSameCodecAtAnotherVersion() {
        Path dir = TestDirs.fresh("codec-version");
        writeLongs(dir, new LongCodec("test.long", 1));

        try (ChronicleJournal journal = ChronicleJournal.builder(dir).build()) {
            assertThatThrownBy(() -> journal.bindCodec("test.long", 2))
                .isInstanceOf(CodecMismatchException.class)
                .hasMessageContaining("was written with codec 'test.long' version 1 but is being opened with codec 'test.long' version 2")
                .hasMessageContaining("use the build that wrote this journal");
        }
    }

    @Test
    void shouldRefuseAJournalWithRecordsWhoseIdentityFileWasDeletedUnlessTheCodecIsAdopted() throws Exception {
        // given a journal with writes whose identity file was deleted
        Path dir = TestDirs.fresh("codec-deleted");
        PutCodec codec = new PutCodec();
        ExpandableArrayBuffer buffer = new ExpandableArrayBuffer();
        try (ChronicleJournal journal = ChronicleJournal.builder(dir).build()) {
            journal.bindCodec(codec.name(), codec.version());
            journal.append(1, "a", buffer, 0, codec.encode(new Put("k", 7), buffer, 0));
            journal.commit();
        }
        Files.delete(dir.resolve(CodecBinding.FILE_NAME));
        Map<String, String> before = contents(dir);

        // when a coordinator opens it, then it is refused: its codec is unknown
        RecordingDelta refused = new RecordingDelta();
        assertThatThrownBy(() -> Rings.start(refused, new TestFlusher(), ChronicleJournal.builder(dir).build()))
            .isInstanceOf(CodecMismatchException.class)
            .hasMessageContaining("journal " + dir + " holds records (up to epoch 1) but no epochring-codec.id naming the codec")
            .hasMessageContaining("if you know that codec " + PUT_CODEC + " wrote this journal, open it once with"
                                  + " ChronicleJournalBuilder.adoptCodec()")
            .satisfies(e -> assertThat(((CodecMismatchException) e).recorded()).isNull());
        assertThat(refused.applied()).isEmpty();
        assertThat(contents(dir)).isEqualTo(before);

        // when it is adopted, then it replays, and the identity is recorded with the next record
        RecordingDelta adopted = new RecordingDelta();
        JournalLogCapture log = new JournalLogCapture();
        var recovered = Rings.start(adopted, new TestFlusher(), ChronicleJournal.builder(dir).adoptCodec().build());
        try {
            assertThat(log.at(java.util.logging.Level.WARNING)).singleElement().asString()
                .contains("holds records up to epoch 1 but named no codec", "adopting " + PUT_CODEC);
            assertThat(adopted.applied()).extracting(RecordingDelta.Applied::write).containsExactly(new Put("k", 7));
            assertThat(dir.resolve(CodecBinding.FILE_NAME)).doesNotExist();
            recovered.flush(true).await(DURABLE, WAIT);
            try (JournalInspector inspector = JournalInspector.open(dir)) {
                assertThat(inspector.codec()).contains(new CodecIdentity(PutCodec.class.getName(), 1));
            }
        } finally {
            recovered.stop();
            log.close();
        }
    }

    @Test
    void shouldRefuseAJournalWrittenWithoutACodecBound() {
        // given a journal appended to directly, with no codec bound
        Path dir = TestDirs.fresh("codec-unbound");
        try (ChronicleJournal journal = ChronicleJournal.builder(dir).build()) {
            ChronicleJournalTest.append(journal, 1, "a", "raw bytes");
            journal.commit();
        }

        // then no codec is recorded, and a coordinator cannot tell what would decode it
        assertThat(dir.resolve(CodecBinding.FILE_NAME)).doesNotExist();
        assertThatThrownBy(() -> Rings.start(new RecordingDelta(), new TestFlusher(), ChronicleJournal.builder(dir).build()))
            .isInstanceOf(CodecMismatchException.class)
            .hasMessageContaining("holds records (up to epoch 1) but no epochring-codec.id");
    }

    @Test
    void shouldReportADamagedIdentityFileAndWhatToDo() throws Exception {
        Path dir = TestDirs.fresh("codec-damaged");
        writeLongs(dir, new LongCodec("test.long", 1));
        Files.writeString(dir.resolve(CodecBinding.FILE_NAME), "name=test.long\nversion=one\n");

        try (ChronicleJournal journal = ChronicleJournal.builder(dir).build()) {
            assertThatThrownBy(() -> journal.bindCodec("test.long", 1))
                .isInstanceOf(JournalCorruptedException.class)
                .hasMessageContaining("the codec identity " + dir.resolve(CodecBinding.FILE_NAME) + " is damaged")
                .hasMessageContaining("delete the file and open the journal once with ChronicleJournalBuilder.adoptCodec()");
        }
        try (JournalInspector inspector = JournalInspector.open(dir)) {
            assertThatThrownBy(inspector::codec).isInstanceOf(JournalCorruptedException.class);
        }
    }

    @Test
    void shouldAcceptTheSameCodecBoundTwiceAndRefuseAnotherOnTheSameJournalObject() {
        Path dir = TestDirs.fresh("codec-twice");
        try (ChronicleJournal journal = ChronicleJournal.builder(dir).build()) {
            journal.bindCodec("test.long", 1);
            journal.bindCodec("test.long", 1);
            assertThatThrownBy(() -> journal.bindCodec("test.other", 1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is bound to codec 'test.long' version 1 already, not 'test.other' version 1");
            assertThatThrownBy(() -> journal.bindCodec("two\nlines", 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot be recorded in a journal");
        }
    }

    @Test
    void shouldIgnoreATemporaryFileLeftByACrashWhileRecordingTheCodec() throws Exception {
        Path dir = TestDirs.fresh("codec-temp");
        Files.writeString(dir.resolve(CodecBinding.FILE_NAME + ".tmp"), "name=half");

        writeLongs(dir, new LongCodec("test.long", 1));

        try (JournalInspector inspector = JournalInspector.open(dir)) {
            assertThat(inspector.codec()).contains(new CodecIdentity("test.long", 1));
        }
        assertThat(dir.resolve(CodecBinding.FILE_NAME + ".tmp")).doesNotExist();
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** Writes epochs 1..3 as a coordinator with {@code codec} would: bound first, then appended. */
    private static void writeLongs(Path dir, LongCodec codec) {
        ExpandableArrayBuffer buffer = new ExpandableArrayBuffer();
        try (ChronicleJournal journal = ChronicleJournal.builder(dir).build()) {
            journal.bindCodec(codec.name(), codec.version());
            for (long epoch = 1; epoch <= 3; epoch++) {
                // 12 bytes: a zero int then a long, which the put codec reads as key "" and a value
                buffer.putInt(0, 0);
                int length = 4 + codec.encode(epoch, buffer, 4);
                journal.append(epoch, "a", buffer, 0, length);
            }
            journal.commit();
        }
    }

    /**
     * @return a SHA-256 of each file in {@code dir} by name, but for the two an opener owns: the
     * lock's holder line and Chronicle's metadata
     */
    private static Map<String, String> contents(Path dir) throws Exception {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> list = Files.list(dir)) {
            for (Path file : list.toList()) {
                String name = file.getFileName().toString();
                if (!name.equals("epochring-writer.lock") && !name.equals("metadata.cq4t")) {
                    MessageDigest sha = MessageDigest.getInstance("SHA-256");
                    files.put(name, HexFormat.of().formatHex(sha.digest(Files.readAllBytes(file))));
                }
            }
        }
        return files;
    }

    /** A codec of longs, named as told. */
    private record LongCodec(String name, int version) implements WriteCodec<Long> {

        @Override
        public int encode(Long write, MutableDirectBuffer buffer, int offset) {
            buffer.putLong(offset, write);
            return Long.BYTES;
        }

        @Override
        public Long decode(DirectBuffer buffer, int offset, int length) {
            return buffer.getLong(offset);
        }
    }
}
