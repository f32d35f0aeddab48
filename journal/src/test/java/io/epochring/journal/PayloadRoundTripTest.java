package io.epochring.journal;

import io.epochring.EpochRing;
import io.epochring.RecoveryReport;
import io.epochring.WriteHandle;
import io.epochring.journal.support.Outages;
import io.epochring.journal.support.PutCodec;
import io.epochring.journal.support.RecordingDelta;
import io.epochring.journal.support.TestDirs;
import io.epochring.testing.MapDelta;
import io.epochring.testing.Put;
import io.epochring.testing.TestFlusher;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.epochring.DurabilityLevel.JOURNALED;
import static org.assertj.core.api.Assertions.assertThat;

/** Payloads (and channel names) come back byte for byte. */
class PayloadRoundTripTest {

    /** A replayed record with a copy of its payload. */
    record Replayed(long epoch, String channel, byte[] payload) {
    }

    @Test
    void shouldReplayBinaryPayloadsOfAnySizeFromAnyKindOfBufferByteForByte() {
        Path dir = TestDirs.fresh("binary");
        Random random = new Random(41);
        List<byte[]> payloads = new ArrayList<>();
        payloads.add(new byte[0]);
        byte[] everyByte = new byte[256];
        for (int i = 0; i < 256; i++) {
            everyByte[i] = (byte) i;
        }
        payloads.add(everyByte);
        for (int size : new int[] {1, 3, 255, 4096, 65_535, 65_536, 1 << 20, 4 << 20}) {
            byte[] bytes = new byte[size];
            random.nextBytes(bytes);
            payloads.add(bytes);
        }

        try (ChronicleJournal journal = ChronicleJournal.builder(dir).build()) {
            long epoch = 0;
            for (byte[] payload : payloads) {
                // the same bytes from a heap array at an offset, a direct buffer, and an expandable one
                byte[] padded = new byte[payload.length + 10];
                System.arraycopy(payload, 0, padded, 7, payload.length);
                journal.append(++epoch, "heap", new UnsafeBuffer(padded, 5, payload.length + 4), 2, payload.length);

                ByteBuffer direct = ByteBuffer.allocateDirect(payload.length + 3);
                direct.position(3);
                direct.put(payload);
                journal.append(++epoch, "direct", new UnsafeBuffer(direct), 3, payload.length);

                MutableDirectBuffer expandable = epoch % 4 == 0 ? new ExpandableArrayBuffer(1) : new ExpandableDirectByteBuffer(1);
                expandable.putBytes(1, payload);
                journal.append(++epoch, "expandable", expandable, 1, payload.length);
                journal.commit();
            }
        }

        try (ChronicleJournal journal = ChronicleJournal.builder(dir).build()) {
            List<Replayed> replayed = replay(journal);
            assertThat(replayed).hasSize(payloads.size() * 3);
            for (int i = 0; i < replayed.size(); i++) {
                Replayed record = replayed.get(i);
                assertThat(record.epoch()).isEqualTo(i + 1);
                assertThat(record.channel()).isEqualTo(new String[] {"heap", "direct", "expandable"}[i % 3]);
                assertThat(record.payload()).as("payload of epoch %d", i + 1).isEqualTo(payloads.get(i / 3));
            }
        }
    }

    @Test
    void shouldRecoverWritesWithAnyUnicodeTextInKeysAndChannelNames() {
        Path dir = TestDirs.fresh("unicode");
        List<String> keys = List.of("plain", "", "ünïcödé", "中文键", "العربية", "עברית", "emoji 🚀🔥👩‍👩‍👧‍👦",
                                    "e\u0301 combining", "nul\u0000inside", "tab\tnewline\n", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 outside the BMP",
                                    "\uFEFFbom", "x".repeat(10_000));
        String channel = "κανάλι-📡";
        TestFlusher flusher = new TestFlusher();
        var ring = EpochRing.builder(new MapDelta(), flusher)
                            .channel(channel, 64)
                            .channel("ascii", 64)
                            .flushInterval(Duration.ofHours(1))
                            .journal(ChronicleJournal.builder(dir).build(), new PutCodec())
                            .build().start();
        WriteHandle<Long> last = null;
        for (int i = 0; i < keys.size(); i++) {
            last = ring.channel(i % 2 == 0 ? channel : "ascii").write(new Put(keys.get(i), i));
        }
        last.await(JOURNALED, Duration.ofSeconds(30));
        // storage fails so the writes stay above the checkpoint and come back by replay
        Outages.stopWithoutCheckpoint(ring, flusher);

        RecordingDelta delta = new RecordingDelta();
        var recovered = EpochRing.builder(delta, new TestFlusher())
                                 .channel(channel, 64)
                                 .channel("ascii", 64)
                                 .flushInterval(Duration.ofHours(1)) // a timed flush would move the replayed writes out of the live view
                                 .journal(ChronicleJournal.builder(dir).build(), new PutCodec())
                                 .build().start();
        try {
            RecoveryReport report = recovered.recovery();
            assertThat(report.replayed()).isEqualTo(keys.size());
            assertThat(delta.applied()).extracting(a -> a.put().key()).containsExactlyElementsOf(keys);
            try (JournalInspector inspector = JournalInspector.open(dir)) {
                assertThat(inspector.records(0, 100)).extracting(JournalEntry::channel)
                                                      .startsWith(channel, "ascii", channel);
            }
            Map<String, Long> view = delta.view();
            assertThat(view).containsEntry("emoji 🚀🔥👩‍👩‍👧‍👦", 6L).containsEntry("nul\u0000inside", 8L);
        } finally {
            recovered.stop();
        }
    }

    private static List<Replayed> replay(ChronicleJournal journal) {
        List<Replayed> replayed = new ArrayList<>();
        journal.replay(0, (epoch, channel, payload, offset, length) -> replayed.add(new Replayed(epoch, channel, copy(payload, offset, length))));
        return replayed;
    }

    private static byte[] copy(DirectBuffer buffer, int offset, int length) {
        byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        return bytes;
    }
}
