package io.epochring.journal;

import io.epochring.RecoveryReport;
import io.epochring.WriteHandle;
import io.epochring.journal.support.Outages;
import io.epochring.journal.support.Rings;
import io.epochring.journal.support.TestDirs;
import io.epochring.testing.MapDelta;
import io.epochring.testing.Put;
import io.epochring.testing.TestFlusher;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.nio.file.Path;
import java.time.Duration;

import static io.epochring.DurabilityLevel.JOURNALED;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rough speed of appends and replay against raw Chronicle Queue on the same bytes, in one JVM.
 * Not a benchmark (the JMH ones live in {@code bench}): a quick check, run on request with
 * {@code -Depochring.perf=true}, printing its numbers.
 */
@EnabledIfSystemProperty(named = "epochring.perf", matches = "true")
class JournalSpeedTest {

    private static final int RECORDS = 2_000_000;
    private static final int PAYLOAD = 24;
    private static final String CHANNEL = "orders";
    /** Our record: 24-byte header, channel, payload, 4-byte checksum. */
    private static final int RECORD = 24 + CHANNEL.length() + PAYLOAD + 4;

    @Test
    void shouldAppendAndReplayAtAGoodFractionOfRawChronicleSpeed() {
        int runs = 7;
        double[] appendRatio = new double[runs];
        double[] replayRatio = new double[runs];
        double bestAppend = 0;
        double bestRawAppend = 0;
        double bestReplay = 0;
        double bestRawRead = 0;
        for (int run = 0; run < runs; run++) {
            // Alternate the order, so neither side always gets the warmer page cache.
            Path journalDir = TestDirs.fresh("speed-journal");
            Path rawDir = TestDirs.fresh("speed-raw");
            double rawAppend = run % 2 == 0 ? rawAppend(rawDir) : 0;
            double journalAppend = journalAppend(journalDir);
            rawAppend = run % 2 == 0 ? rawAppend : rawAppend(rawDir);
            double rawRead = run % 2 == 0 ? rawRead(rawDir) : 0;
            double replay = replay(journalDir);
            rawRead = run % 2 == 0 ? rawRead : rawRead(rawDir);
            appendRatio[run] = journalAppend / rawAppend;
            replayRatio[run] = replay / rawRead;
            bestAppend = Math.max(bestAppend, journalAppend);
            bestRawAppend = Math.max(bestRawAppend, rawAppend);
            bestReplay = Math.max(bestReplay, replay);
            bestRawRead = Math.max(bestRawRead, rawRead);
            System.out.printf("run %d: append %.2fM/s vs raw %.2fM/s (%.0f%%); replay %.2fM/s vs raw tailer %.2fM/s (%.0f%%)%n", run + 1,
                              journalAppend / 1e6, rawAppend / 1e6, 100 * appendRatio[run], replay / 1e6, rawRead / 1e6,
                              100 * replayRatio[run]);
            TestDirs.deleteRecursively(journalDir);
            TestDirs.deleteRecursively(rawDir);
        }
        java.util.Arrays.sort(appendRatio);
        java.util.Arrays.sort(replayRatio);
        System.out.printf("median of %d runs: append %.0f%% of raw, replay %.0f%% of raw tailer; best: append %.2fM/s vs %.2fM/s,"
                          + " replay %.2fM/s vs %.2fM/s (%d records of %d bytes)%n", runs, 100 * appendRatio[runs / 2],
                          100 * replayRatio[runs / 2], bestAppend / 1e6, bestRawAppend / 1e6, bestReplay / 1e6, bestRawRead / 1e6,
                          RECORDS, RECORD);
    }

    @Test
    void shouldRecoverACoordinatorQuickly() {
        Path dir = TestDirs.fresh("speed-recovery");
        TestFlusher flusher = new TestFlusher();
        var ring = Rings.builder(new MapDelta(), flusher, ChronicleJournal.builder(dir).build()).ringSize(65_536).build().start();
        int writes = 1_000_000;
        for (int i = 0; i < writes; i++) {
            ring.channel(i % 2 == 0 ? "a" : "b").publish(new Put("key-" + (i % 100_000), i));
        }
        WriteHandle<Long> last = ring.channel("a").write(new Put("last", -1));
        last.await(JOURNALED, Duration.ofMinutes(1));
        Outages.stopWithoutCheckpoint(ring, flusher);

        for (int run = 1; run <= 3; run++) {
            TestFlusher storage = new TestFlusher();
            var recovered = Rings.builder(new MapDelta(), storage, ChronicleJournal.builder(dir).build()).build().start();
            RecoveryReport report = recovered.recovery();
            System.out.printf("recovery run %d: %d records replayed into a MapDelta in %.0f ms: %.2fM records/s%n", run,
                              report.replayed(), report.nanos() / 1e6, report.recordsPerSecond() / 1e6);
            assertThat(report.replayed()).isEqualTo(writes + 1);
            Outages.stopWithoutCheckpoint(recovered, storage); // so the next run replays them all again
        }
    }

    private static double journalAppend(Path dir) {
        ExpandableArrayBuffer payload = new ExpandableArrayBuffer(PAYLOAD);
        try (ChronicleJournal journal = ChronicleJournal.builder(dir).build()) {
            long start = System.nanoTime();
            for (int i = 1; i <= RECORDS; i++) {
                payload.putLong(0, i);
                journal.append(i, CHANNEL, payload, 0, PAYLOAD);
                if (i % 64 == 0) {
                    journal.commit();
                }
            }
            journal.commit();
            return RECORDS * 1e9 / (System.nanoTime() - start);
        }
    }

    private static double rawAppend(Path dir) {
        byte[] record = new byte[RECORD];
        try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.binary(dir).build();
             ExcerptAppender appender = queue.createAppender()) {
            long start = System.nanoTime();
            for (int i = 1; i <= RECORDS; i++) {
                try (DocumentContext dc = appender.writingDocument()) {
                    dc.wire().bytes().write(record, 0, RECORD);
                }
            }
            return RECORDS * 1e9 / (System.nanoTime() - start);
        }
    }

    private static double replay(Path dir) {
        long[] sum = {0};
        try (ChronicleJournal journal = ChronicleJournal.builder(dir).build()) {
            long start = System.nanoTime();
            long replayed = journal.replay(0, (epoch, channel, payload, offset, length) -> sum[0] += payload.getLong(offset));
            double rate = replayed * 1e9 / (System.nanoTime() - start);
            assertThat(replayed).isEqualTo(RECORDS);
            return rate;
        }
    }

    /** A raw tailer that copies each document out, as any reader that hands bytes on must. */
    private static double rawRead(Path dir) {
        byte[] into = new byte[RECORD];
        long count = 0;
        try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.binary(dir).readOnly(true).build();
             ExcerptTailer tailer = queue.createTailer()) {
            long start = System.nanoTime();
            while (true) {
                try (DocumentContext dc = tailer.readingDocument()) {
                    if (!dc.isPresent()) {
                        break;
                    }
                    Bytes<?> bytes = dc.wire().bytes();
                    bytes.read(into, 0, (int) bytes.readRemaining());
                    count++;
                }
            }
            double rate = count * 1e9 / (System.nanoTime() - start);
            assertThat(count).isEqualTo(RECORDS);
            return rate;
        }
    }
}
