package io.epochring.journal;

import io.epochring.CodecMismatchException;
import io.epochring.JournalCorruptedException;
import io.epochring.WriteCodec;
import io.epochring.journal.support.PutCodec;
import io.epochring.journal.support.TestDirs;
import io.epochring.testing.Put;
import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.RollCycles;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/** Following a journal as a writer appends to it, and decoding its payloads with a codec. */
class JournalFollowTest {

    /** Generous: a record shows within milliseconds; this only bounds a broken test. */
    private static final long WAIT_SECONDS = 30;

    private final ExecutorService follower = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-follower"));
    private final AtomicBoolean stop = new AtomicBoolean();

    @AfterEach
    void stopFollowing() {
        stop.set(true);
        follower.shutdownNow();
    }

    @Test
    void shouldHandOverRecordsAppendedAfterFollowingStarted() throws Exception {
        // given a writer that has appended two records, and a follower from the start
        Path dir = TestDirs.fresh("follow-live");
        try (ChronicleJournal journal = ChronicleJournal.builder(dir).build()) {
            append(journal, 1, 2);
            BlockingQueue<JournalEntry> seen = new LinkedBlockingQueue<>();
            try (JournalInspector inspector = JournalInspector.open(dir)) {
                Future<Long> following = follower.submit(() -> inspector.follow(0, seen::add, stop::get));
                assertThat(epochsOf(take(seen, 2))).containsExactly(1L, 2L);

                // when the writer appends more, a checkpoint among them
                append(journal, 3, 5);
                journal.checkpoint(5, 5);
                append(journal, 6, 6);

                // then the follower hands them over in journal order, and stops when told to
                List<JournalEntry> more = take(seen, 5);
                assertThat(more).extracting(JournalEntry::type).containsExactly(RecordType.WRITE, RecordType.WRITE, RecordType.WRITE,
                                                                                RecordType.CHECKPOINT, RecordType.WRITE);
                assertThat(epochsOf(more)).containsExactly(3L, 4L, 5L, 5L, 6L);
                stop.set(true);
                assertThat(following.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(7);
                assertThat(seen).isEmpty();
            }
        }
    }

    @Test
    void shouldKeepUpWithAWriterAppendingAsFastAsItCanWithoutReportingDamage() throws Exception {
        // given a follower reading right behind a writer, at the end of the journal most of the time
        Path dir = TestDirs.fresh("follow-busy");
        int writes = 20_000;
        CountDownLatch all = new CountDownLatch(1);
        AtomicLong lastSeen = new AtomicLong();
        try (ChronicleJournal journal = ChronicleJournal.builder(dir).build()) {
            append(journal, 1, 1);
            try (JournalInspector inspector = JournalInspector.open(dir)) {
                Future<Long> following = follower.submit(() -> inspector.follow(0, entry -> {
                    // every write in order: the chain check would have thrown on a gap
                    assertThat(entry.epoch()).isEqualTo(lastSeen.get() + 1);
                    lastSeen.set(entry.epoch());
                    if (entry.epoch() == writes) {
                        all.countDown();
                    }
                }, stop::get));

                // when the writer appends in small commits
                for (long epoch = 2; epoch <= writes; epoch += 10) {
                    append(journal, epoch, Math.min(epoch + 9, writes));
                }

                // then every record arrives and none is reported missing
                assertThat(all.await(WAIT_SECONDS, TimeUnit.SECONDS)).as("last seen %d", lastSeen.get()).isTrue();
                stop.set(true);
                assertThat(following.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(writes);
            }
        }
    }

    @Test
    void shouldWaitForTheFirstFileOfAJournalNotWrittenYet() throws Exception {
        Path dir = TestDirs.fresh("follow-empty");
        try (ChronicleJournal journal = ChronicleJournal.builder(dir).build()) {
            BlockingQueue<JournalEntry> seen = new LinkedBlockingQueue<>();
            try (JournalInspector inspector = JournalInspector.open(dir)) {
                Future<Long> following = follower.submit(() -> inspector.follow(0, seen::add, stop::get));

                append(journal, 1, 3);

                assertThat(epochsOf(take(seen, 3))).containsExactly(1L, 2L, 3L);
                stop.set(true);
                assertThat(following.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(3);
            }
        }
    }

    @Test
    void shouldFollowTheJournalOntoEachNewRollCycleFile() throws Exception {
        // given a journal rolling to a new file whenever the test moves its clock an hour on
        Path dir = TestDirs.fresh("follow-roll");
        SetTimeProvider time = new SetTimeProvider(1_700_000_000_000_000_000L);
        try (ChronicleJournal journal = ChronicleJournal.builder(dir).rollCycle(RollCycles.FAST_HOURLY).timeProvider(time).build()) {
            append(journal, 1, 3);
            BlockingQueue<JournalEntry> seen = new LinkedBlockingQueue<>();
            try (JournalInspector inspector = JournalInspector.open(dir)) {
                Future<Long> following = follower.submit(() -> inspector.follow(2, seen::add, stop::get));
                assertThat(epochsOf(take(seen, 2))).containsExactly(2L, 3L);

                // when it rolls twice while followed
                for (long first = 4; first <= 10; first += 3) {
                    time.advanceMillis(TimeUnit.HOURS.toMillis(1));
                    append(journal, first, first + 2);
                }

                // then every record arrives, from three files
                List<JournalEntry> rolled = take(seen, 9);
                assertThat(epochsOf(rolled)).containsExactly(4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L);
                assertThat(rolled.stream().map(JournalEntry::file).distinct()).hasSize(3);
                stop.set(true);
                assertThat(following.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(11);
            }
        }
    }

    @Test
    void shouldFollowOnAfterAListingWithoutRepeatingOrMissingARecord() throws Exception {
        Path dir = TestDirs.fresh("follow-after");
        try (ChronicleJournal journal = ChronicleJournal.builder(dir).build()) {
            append(journal, 1, 3);
            journal.checkpoint(3, 3);
            BlockingQueue<JournalEntry> seen = new LinkedBlockingQueue<>();
            try (JournalInspector inspector = JournalInspector.open(dir)) {
                List<JournalEntry> listed = inspector.records(0, 10);
                assertThat(listed).hasSize(4);
                Future<Long> following = follower.submit(() -> inspector.followAfter(listed.get(3), seen::add, stop::get));

                append(journal, 4, 4);

                assertThat(take(seen, 1)).extracting(JournalEntry::type, JournalEntry::epoch).containsExactly(
                        tuple(RecordType.WRITE, 4L));
                stop.set(true);
                assertThat(following.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(1);
            }
        }
    }

    @Test
    void shouldHandOverOnlyNewRecordsWhenFollowingFromTheEnd() throws Exception {
        Path dir = TestDirs.fresh("follow-end");
        try (ChronicleJournal journal = ChronicleJournal.builder(dir).build()) {
            append(journal, 1, 5);
            BlockingQueue<JournalEntry> seen = new LinkedBlockingQueue<>();
            try (JournalInspector inspector = JournalInspector.open(dir)) {
                AtomicBoolean started = new AtomicBoolean();
                // The end is found before the first empty read; the first stop question comes after it.
                Future<Long> following = follower.submit(() -> inspector.followFromEnd(seen::add, () -> {
                    started.set(true);
                    return stop.get();
                }));
                while (!started.get()) {
                    Thread.onSpinWait();
                }

                append(journal, 6, 7);

                assertThat(epochsOf(take(seen, 2))).containsExactly(6L, 7L);
                stop.set(true);
                assertThat(following.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(2);
            }
        }
    }

    @Test
    void shouldReportAnOlderFileDamagedWhileFollowingRatherThanPassItBy() throws Exception {
        // given a follower held inside its visitor at the last record of the journal's only file
        Path dir = TestDirs.fresh("follow-damaged");
        SetTimeProvider time = new SetTimeProvider(1_700_000_000_000_000_000L);
        try (ChronicleJournal journal = ChronicleJournal.builder(dir).rollCycle(RollCycles.FAST_HOURLY).timeProvider(time).build()) {
            append(journal, 1, 3);
        }
        Path first = dir.resolve(TestDirs.queueFiles(dir).get(0));
        CountDownLatch atLast = new CountDownLatch(1);
        CountDownLatch damaged = new CountDownLatch(1);
        try (JournalInspector inspector = JournalInspector.open(dir)) {
            Future<Long> following = follower.submit(() -> inspector.follow(0, entry -> {
                if (entry.epoch() == 3) {
                    atLast.countDown();
                    awaitQuietly(damaged);
                }
            }, stop::get));
            assertThat(atLast.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();

            // when the writer rolls to a new file, and the header of the old one is zeroed meanwhile
            time.advanceMillis(TimeUnit.HOURS.toMillis(1));
            try (ChronicleJournal journal = ChronicleJournal.builder(dir).timeProvider(time).build()) {
                append(journal, 4, 6);
            }
            try (FileChannel file = FileChannel.open(first, StandardOpenOption.WRITE)) {
                file.write(ByteBuffer.allocate(64 << 10), 0);
            }
            damaged.countDown();

            // then following the journal into the new file reports the damaged one
            assertThatThrownBy(() -> following.get(WAIT_SECONDS, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(JournalCorruptedException.class)
                    .hasMessageContaining("file " + first.getFileName() + " of journal " + dir)
                    .hasMessageContaining("the file has no valid Chronicle Queue header");
        }
    }

    // ---- decoding with a codec ------------------------------------------------------------------

    @Test
    void shouldDecodeWritesWithTheCodecTheJournalRecorded() {
        Path dir = TestDirs.fresh("decode");
        PutCodec codec = new PutCodec();
        writePuts(dir, codec, codec.name(), codec.version());

        try (JournalInspector inspector = JournalInspector.open(dir)) {
            List<Put> puts = new ArrayList<>();
            List<RecordType> types = new ArrayList<>();

            long visited = inspector.forEach(0, 10, codec, (entry, put) -> {
                types.add(entry.type());
                puts.add(put);
            });

            assertThat(visited).isEqualTo(3);
            assertThat(types).containsExactly(RecordType.WRITE, RecordType.WRITE, RecordType.CHECKPOINT);
            assertThat(puts).containsExactly(new Put("a", 1), new Put("b", 2), null);
        }
    }

    @Test
    void shouldRefuseACodecOtherThanTheOneTheJournalRecordedNamingBoth() {
        Path dir = TestDirs.fresh("decode-mismatch");
        PutCodec codec = new PutCodec();
        writePuts(dir, codec, "orders", 2);

        try (JournalInspector inspector = JournalInspector.open(dir)) {
            assertThatThrownBy(() -> inspector.forEach(0, 10, codec, (entry, put) -> { }))
                    .isInstanceOf(CodecMismatchException.class)
                    .hasMessageContaining("written with codec 'orders' version 2")
                    .hasMessageContaining("read with codec '" + PutCodec.class.getName() + "' version 1");
        }
    }

    @Test
    void shouldNameTheRecordACodecCannotDecode() {
        Path dir = TestDirs.fresh("decode-fails");
        WriteCodec<Put> failing = new WriteCodec<>() {
            @Override
            public String name() {
                return "puts";
            }

            @Override
            public int encode(Put write, MutableDirectBuffer buffer, int offset) {
                return new PutCodec().encode(write, buffer, offset);
            }

            @Override
            public Put decode(DirectBuffer buffer, int offset, int length) {
                throw new IllegalArgumentException("not a put");
            }
        };
        writePuts(dir, new PutCodec(), "puts", 1);

        try (JournalInspector inspector = JournalInspector.open(dir)) {
            assertThatThrownBy(() -> inspector.forEach(0, 10, failing, (entry, put) -> { }))
                    .isInstanceOf(PayloadDecodeException.class)
                    .hasMessageContaining("could not decode the 13-byte payload of the write of epoch 1")
                    .hasMessageContaining("not a put");
        }
    }

    // ---- helpers --------------------------------------------------------------------------------

    private static void append(ChronicleJournal journal, long fromEpoch, long toEpoch) {
        for (long epoch = fromEpoch; epoch <= toEpoch; epoch++) {
            ChronicleJournalTest.append(journal, epoch, "c", "v" + epoch);
        }
        journal.commit();
    }

    private static void writePuts(Path dir, PutCodec codec, String name, int version) {
        ExpandableArrayBuffer buffer = new ExpandableArrayBuffer();
        try (ChronicleJournal journal = ChronicleJournal.builder(dir).build()) {
            journal.bindCodec(name, version);
            int length = codec.encode(new Put("a", 1), buffer, 0);
            journal.append(1, "c", buffer, 0, length);
            length = codec.encode(new Put("b", 2), buffer, 0);
            journal.append(2, "c", buffer, 0, length);
            journal.checkpoint(2, 2);
            journal.commit();
        }
    }

    private static List<JournalEntry> take(BlockingQueue<JournalEntry> seen, int count) throws InterruptedException {
        List<JournalEntry> taken = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            JournalEntry entry = seen.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(entry).as("record %d of %d (got %s)", i + 1, count, taken).isNotNull();
            taken.add(entry);
        }
        return taken;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            assertThat(latch.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static List<Long> epochsOf(List<JournalEntry> entries) {
        return entries.stream().map(JournalEntry::epoch).toList();
    }
}
