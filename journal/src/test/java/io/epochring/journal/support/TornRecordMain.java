package io.epochring.journal.support;

import io.epochring.journal.ChronicleJournal;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.ExpandableArrayBuffer;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Journals epochs 1..5 into {@code args[0]}, then starts a sixth record the way the journal does
 * (one Chronicle document), writes only its first bytes, prints {@code TORN} and waits to be
 * killed in the middle of the append.
 */
public final class TornRecordMain {

    private TornRecordMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        ExpandableArrayBuffer payload = new ExpandableArrayBuffer(16);
        try (ChronicleJournal journal = ChronicleJournal.builder(dir).rollCycle(RollCycles.FAST_HOURLY).build()) {
            for (int epoch = 1; epoch <= 5; epoch++) {
                payload.putLong(0, epoch * 100L);
                journal.append(epoch, "a", payload, 0, 8);
            }
            journal.commit();
        }
        SingleChronicleQueue queue = SingleChronicleQueueBuilder.binary(dir).rollCycle(RollCycles.FAST_HOURLY).build();
        ExcerptAppender appender = queue.createAppender();
        DocumentContext dc = appender.writingDocument();
        // version 1, WRITE, channel length 1, payload length 8, epoch 6: the header of a sixth record, and no more
        dc.wire().bytes().write(new byte[] {1, 1, 1, 0, 8, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0});
        System.out.println("TORN");
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
