package io.epochring.journal.support;

import io.epochring.ApplyException;
import io.epochring.EpochRing;
import io.epochring.WriteHandle;
import io.epochring.journal.support.CountingRings.Setup;
import io.epochring.journal.support.CountingRings.Targets;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static io.epochring.DurabilityLevel.DURABLE;
import static io.epochring.DurabilityLevel.JOURNALED;

/**
 * The process the exactly-once crash test kills: it opens (recovering) the coordinator of
 * directory {@code args[0]} set up as {@code args[1]} ({@link Setup}), arms kill point
 * {@code args[2]} at occurrence {@code args[3]} ({@link KillPoints}), and runs producers forever,
 * producer i adding 1 to key {@code ti} through channel {@code ti} with sequence numbers from
 * {@code args[4]}'s i-th entry (comma-separated). Every {@value #REFUSE_EVERY}th write of a
 * producer is one the delta refuses.
 *
 * <p>Prints {@code STARTED <last epoch>}, then {@code ACK <epoch> <key> <seq>} once each accepted
 * write is JOURNALED, {@code DURABLE <epoch>} each time DURABLE moves, and the kill point's lines.
 * Without sync on every flush a timer calls {@code flush(true)} every {@code syncEveryMs}.
 */
public final class ExactlyOnceWriterMain {

    /** Each producer's every REFUSE_EVERY-th write (seq = REFUSE_EVERY - 1, 2 * REFUSE_EVERY - 1, ...) is refused. */
    public static final int REFUSE_EVERY = 50;
    private static final int WINDOW = 64;

    private ExactlyOnceWriterMain() {
    }

    /** @return whether a producer's write number {@code seq} is one the delta refuses */
    public static boolean refused(long seq) {
        return seq % REFUSE_EVERY == REFUSE_EVERY - 1;
    }

    public static Increment write(String key, long seq) {
        return new Increment(key, refused(seq) ? CountingDelta.REFUSED_AMOUNT : 1, seq);
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Setup setup = Setup.parse(args[1]);
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        DeathLines.printTo(out);
        KillPoints points = KillPoints.pauseAt(args[2], Long.parseLong(args[3]), out);
        String[] firstSeqs = args[4].split(",");
        Targets targets = Targets.open(dir, points, TimeUnit.MICROSECONDS.toNanos(setup.optionalPauseMicros()));
        EpochRing<Increment, Long, Map<String, Long>, Map<String, Long>> ring =
            CountingRings.builder(setup, new CountingDelta(points), targets, CountingRings.journal(setup, dir)).build().start();
        out.println("STARTED " + ring.recovery().lastEpoch());

        Thread durable = new Thread(() -> {
            for (long seen = ring.watermark(DURABLE); ; ) {
                if (ring.awaitWatermark(DURABLE, seen + 1, Duration.ofSeconds(1))) {
                    seen = ring.watermark(DURABLE);
                    out.println("DURABLE " + seen);
                }
            }
        }, "durable-watcher");
        durable.setDaemon(true);
        durable.start();
        if (!setup.syncEveryFlush()) {
            ScheduledExecutorService syncer = Executors.newSingleThreadScheduledExecutor();
            syncer.scheduleAtFixedRate(() -> ring.flush(true), setup.syncEveryMs(), setup.syncEveryMs(), TimeUnit.MILLISECONDS);
        }
        for (int p = 0; p < setup.producers(); p++) {
            String key = CountingRings.channel(p);
            long firstSeq = Long.parseLong(firstSeqs[p]);
            Thread producer = new Thread(() -> produce(ring, key, firstSeq, out), "producer-" + key);
            producer.start();
        }
        new CountDownLatch(1).await(); // until killed
    }

    private static void produce(EpochRing<Increment, Long, Map<String, Long>, Map<String, Long>> ring, String key, long firstSeq,
                                PrintStream out) {
        // Keep a window of writes in flight, so ring batches (and kills inside them) are large.
        ArrayDeque<WriteHandle<Long>> handles = new ArrayDeque<>();
        ArrayDeque<Increment> writes = new ArrayDeque<>();
        for (long seq = firstSeq; ; seq++) {
            Increment write = write(key, seq);
            handles.add(ring.channel(key).write(write));
            writes.add(write);
            if (handles.size() == WINDOW) {
                WriteHandle<Long> handle = handles.poll();
                Increment acked = writes.poll();
                try {
                    handle.await(JOURNALED);
                    out.println("ACK " + handle.epoch() + " " + key + " " + acked.seq());
                } catch (ApplyException e) {
                    if (!refused(acked.seq())) {
                        throw e;
                    }
                }
            }
        }
    }
}
