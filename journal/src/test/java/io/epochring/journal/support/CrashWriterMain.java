package io.epochring.journal.support;

import io.epochring.EpochRing;
import io.epochring.WriteHandle;
import io.epochring.journal.ChronicleJournal;
import io.epochring.journal.SyncPolicy;
import io.epochring.testing.MapDelta;
import io.epochring.testing.Put;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import static io.epochring.DurabilityLevel.JOURNALED;

/**
 * The process the crash test kills: a coordinator journaling to {@code args[0]} and flushing to
 * the file {@code args[1]}, with sync policy {@code args[2]}, writes unique puts from
 * {@code args[3]} threads forever and prints {@code ACK epoch key value} for each write once it is
 * JOURNALED. Files roll every second and retention keeps one, so kills also land in rolls and
 * deletions.
 */
public final class CrashWriterMain {

    private static final int WINDOW = 64;

    private CrashWriterMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        SyncPolicy policy = policy(args[2]);
        int threads = Integer.parseInt(args[3]);
        ChronicleJournal journal = ChronicleJournal.builder(dir).syncPolicy(policy).rollCycle(TestRollCycles.TEST_SECONDLY)
                                                   .retainFiles(1).build();
        EpochRing<Put, Long, Map<String, Long>, Map<String, Long>> ring =
            Rings.builder(new MapDelta(), new FileFlusher(Path.of(args[1])), journal).flushInterval(Duration.ofMillis(50)).build().start();
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        out.println("STARTED " + ring.recovery().lastEpoch());
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread writer = new Thread(() -> {
                // Keep a window of writes in flight, so ring batches (and kills inside them) are large.
                ArrayDeque<WriteHandle<Long>> handles = new ArrayDeque<>();
                ArrayDeque<Put> puts = new ArrayDeque<>();
                for (long seq = 0; ; seq++) {
                    Put put = new Put("t" + id + "-" + seq, seq * 31 + id);
                    handles.add(ring.channel(id % 2 == 0 ? "a" : "b").write(put));
                    puts.add(put);
                    if (handles.size() == WINDOW) {
                        WriteHandle<Long> handle = handles.poll();
                        Put acked = puts.poll();
                        handle.await(JOURNALED);
                        synchronized (out) {
                            out.println("ACK " + handle.epoch() + " " + acked.key() + " " + acked.value());
                        }
                    }
                }
            }, "writer-" + t);
            writer.start();
        }
        new CountDownLatch(1).await(); // until killed
    }

    static SyncPolicy policy(String name) {
        switch (name) {
            case "PER_BATCH":
                return SyncPolicy.PER_BATCH;
            case "INTERVAL":
                return SyncPolicy.interval(Duration.ofMillis(5));
            default:
                return SyncPolicy.NONE;
        }
    }
}
