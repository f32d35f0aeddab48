package io.epochring.cluster;

import io.aeron.cluster.codecs.CloseReason;
import io.aeron.cluster.service.ClientSession;
import io.aeron.cluster.service.Cluster;
import io.epochring.DurabilityLevel;
import io.epochring.EpochRing;
import io.epochring.journal.ChronicleJournal;
import io.epochring.journal.support.TestDirs;
import io.epochring.testing.LedgerFlusher;
import io.epochring.testing.Put;
import io.epochring.testing.PutCodec;
import io.epochring.testing.RecordingDelta;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EpochRingClusteredServiceTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final long WRITER_A = 0x1234_5678_9abc_def0L;
    private static final long WRITER_B = -42;

    /** A reply the service sent: the sequence it answers and the epoch, or the reason when refused. */
    record Reply(long sequence, long epoch, String reason) {
    }

    @Test
    void aRingWithoutAJournalIsRefusedWithWhatToDo() {
        try (var ring = EpochRing.builder(new RecordingDelta(), new LedgerFlusher(true)).channel("cluster", 16).build().start()) {
            assertThatThrownBy(() -> new EpochRingClusteredService<>(ring, "cluster", new PutCodec()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("has no journal")
                    .hasMessageContaining("EpochRingBuilder.journal");
        }
    }

    @Test
    void aWriteThatComesAgainIsAnsweredWithItsFirstEpochAndNotAppliedAgain() {
        RecordingDelta delta = new RecordingDelta();
        try (EpochRing<Put, Long, Map<String, Long>, Map<String, Long>> ring = EpochRing.builder(delta, new LedgerFlusher(true))
                .channel("cluster", 4096)
                .journal(ChronicleJournal.builder(TestDirs.fresh("service-dedup").resolve("journal")).build(), new PutCodec())
                .build().start()) {
            EpochRingClusteredService<Put> service = new EpochRingClusteredService<>(ring, "cluster", new CheckedPutCodec());
            service.onStart(cluster(), null);
            List<Reply> replies = new ArrayList<>();
            ClientSession first = session(1, replies);
            ClientSession second = session(2, replies);

            // given writes of two writers
            send(service, first, WRITER_A, 1, new Put("a", 1));
            send(service, first, WRITER_A, 2, new Put("b", 2));
            send(service, second, WRITER_B, 1, new Put("c", 3));

            // when writer A sends its first two again (a leader change left their outcome unknown), then a new one
            send(service, first, WRITER_A, 1, new Put("a", 1));
            send(service, first, WRITER_A, 2, new Put("b", 2));
            send(service, first, WRITER_A, 3, new Put("d", 4));

            // then the retries get their first epochs, and each write reaches the ring once
            assertThat(replies).containsExactly(new Reply(1, 1, null), new Reply(2, 2, null), new Reply(1, 3, null),
                                                new Reply(1, 1, null), new Reply(2, 2, null), new Reply(3, 4, null));
            assertThat(service.duplicates()).isEqualTo(2);
            assertThat(ring.awaitWatermark(DurabilityLevel.APPLIED, 4, WAIT)).isTrue();
            assertThat(delta.applied()).extracting(RecordingDelta.Applied::epoch).containsExactly(1L, 2L, 3L, 4L);
            assertThat(delta.applied()).extracting(RecordingDelta.Applied::write)
                    .containsExactly(new Put("a", 1), new Put("b", 2), new Put("c", 3), new Put("d", 4));

            // and a write that comes again after more newer writes than the service remembers is refused, not applied
            for (int s = 4; s < 4 + WriterHistories.WINDOW; s++) {
                send(service, first, WRITER_A, s, new Put("n" + s, s));
            }
            replies.clear();
            send(service, first, WRITER_A, 3, new Put("d", 4));
            assertThat(replies).singleElement().satisfies(r -> {
                assertThat(r.epoch()).isEqualTo(ReplicationProtocol.REFUSED);
                assertThat(r.reason()).contains("older than that writer's last " + WriterHistories.WINDOW + " writes")
                                      .contains("It was not applied now");
            });
            long last = 4 + WriterHistories.WINDOW;
            assertThat(service.lastEpoch()).isEqualTo(last);

            // and once the writer's session closes, the service forgets the writer
            service.onSessionClose(first, 0, CloseReason.CLIENT_ACTION);
            replies.clear();
            send(service, second, WRITER_A, 1, new Put("again", 1));
            assertThat(replies).containsExactly(new Reply(1, last + 1, null));
        }
    }

    @Test
    void writerHistoriesComeBackWholeFromTheirSnapshotMessages() {
        // given a writer with more writes than the window, and another with one
        WriterHistories histories = new WriterHistories();
        for (long s = 1; s <= 2000; s++) {
            histories.applied(WRITER_A, s, s * 10, 5);
        }
        histories.applied(WRITER_B, 7, 70, 6);

        // when they go through snapshot messages
        List<byte[]> messages = new ArrayList<>();
        int count = histories.encode(new ExpandableArrayBuffer(64), (buffer, length) -> {
            byte[] copy = new byte[length];
            buffer.getBytes(0, copy);
            messages.add(copy);
        });
        WriterHistories loaded = new WriterHistories();
        messages.forEach(m -> loaded.load(new UnsafeBuffer(m), 0, m.length));

        // then the window of each comes back, and what is above or below it is new or forgotten as before
        assertThat(count).isEqualTo(messages.size()).isEqualTo(WriterHistories.WINDOW / WriterHistories.ENTRIES_PER_MESSAGE + 1);
        assertThat(loaded.writers()).isEqualTo(2);
        for (long s = 2001 - WriterHistories.WINDOW; s <= 2000; s++) {
            assertThat(loaded.epochOf(WRITER_A, s)).isEqualTo(s * 10);
        }
        assertThat(loaded.epochOf(WRITER_A, 2000 - WriterHistories.WINDOW)).isEqualTo(WriterHistories.FORGOTTEN);
        assertThat(loaded.epochOf(WRITER_A, 2001)).isEqualTo(WriterHistories.NEW);
        assertThat(loaded.epochOf(WRITER_B, 7)).isEqualTo(70);
        assertThat(loaded.epochOf(WRITER_B, 6)).isEqualTo(WriterHistories.FORGOTTEN);
        assertThat(loaded.epochOf(WRITER_B, 8)).isEqualTo(WriterHistories.NEW);
        assertThat(loaded.epochOf(99, 1)).isEqualTo(WriterHistories.NEW);

        // and each goes with the session that last wrote for it
        loaded.sessionClosed(5);
        assertThat(loaded.writers()).isEqualTo(1);
        assertThat(loaded.epochOf(WRITER_A, 2000)).isEqualTo(WriterHistories.NEW);
    }

    @Test
    void aSnapshotMessageThatIsNoWriterHistoryIsRefused() {
        assertThatThrownBy(() -> new WriterHistories().load(new UnsafeBuffer(new byte[64]), 0, 64))
                .isInstanceOf(ClusterStateException.class)
                .hasMessageContaining("where a writer history should be");
    }

    private static void send(EpochRingClusteredService<Put> service, ClientSession session, long writerId, long sequence, Put put) {
        ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(64);
        buffer.putLong(ReplicationProtocol.WRITER_ID_OFFSET, writerId);
        buffer.putLong(ReplicationProtocol.SEQUENCE_OFFSET, sequence);
        int length = ReplicationProtocol.WRITE_OFFSET + new CheckedPutCodec().encode(put, buffer, ReplicationProtocol.WRITE_OFFSET);
        service.onSessionMessage(session, 0, buffer, 0, length, null);
    }

    /** A cluster that only gives the service its idle strategy: enough for a service driven by hand. */
    private static Cluster cluster() {
        return (Cluster) Proxy.newProxyInstance(Cluster.class.getClassLoader(), new Class<?>[] {Cluster.class}, (proxy, method, args) -> {
            if (method.getName().equals("idleStrategy")) {
                return new SleepingMillisIdleStrategy(1);
            }
            throw new UnsupportedOperationException("the test cluster has no " + method.getName());
        });
    }

    /** A session that records the replies offered to it. */
    private static ClientSession session(long id, List<Reply> replies) {
        return (ClientSession) Proxy.newProxyInstance(ClientSession.class.getClassLoader(), new Class<?>[] {ClientSession.class},
                                                      (proxy, method, args) -> {
            if (method.getName().equals("id")) {
                return id;
            }
            if (method.getName().equals("offer") && args.length == 3) {
                DirectBuffer buffer = (DirectBuffer) args[0];
                int offset = (Integer) args[1];
                int length = (Integer) args[2];
                long epoch = buffer.getLong(offset + ReplicationProtocol.EPOCH_OFFSET);
                String reason = length > ReplicationProtocol.REPLY_LENGTH ? buffer.getStringWithoutLengthUtf8(
                        offset + ReplicationProtocol.REASON_OFFSET, length - ReplicationProtocol.REASON_OFFSET) : null;
                replies.add(new Reply(buffer.getLong(offset + ReplicationProtocol.REPLY_SEQUENCE_OFFSET), epoch, reason));
                return 1L;
            }
            throw new UnsupportedOperationException("the test session has no " + method.getName());
        });
    }
}
