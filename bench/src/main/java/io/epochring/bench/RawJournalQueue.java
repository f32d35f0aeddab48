package io.epochring.bench;

import net.openhft.chronicle.bytes.SyncMode;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;

import java.nio.file.Path;

/**
 * The raw Chronicle ceilings' queue: a fresh directory, a queue with the journal's roll cycle
 * ({@code FAST_HOURLY}), an appender, and the journal's record bytes for one payload size. Open it
 * in a trial setup, since appenders belong to their thread and JMH runs trial fixtures on the
 * benchmark thread; closing it deletes the directory.
 */
final class RawJournalQueue implements AutoCloseable {

    final ExcerptAppender appender;
    final RawJournalRecord record;
    private final Path directory;
    private final SingleChronicleQueue queue;

    private RawJournalQueue(Path directory, SingleChronicleQueue queue, RawJournalRecord record) {
        this.directory = directory;
        this.queue = queue;
        this.appender = queue.createAppender();
        this.record = record;
    }

    /**
     * @param name         names the directory under {@link QueueDirectories}
     * @param channel      the channel name every record carries
     * @param payloadBytes the {@link FixedSizeCodec} payload size of each record
     * @param syncMode     {@code SyncMode.SYNC} for a queue whose {@code sync()} must reach the disk, else null
     */
    static RawJournalQueue open(String name, String channel, int payloadBytes, SyncMode syncMode) {
        Path directory = QueueDirectories.create(name);
        SingleChronicleQueueBuilder builder = SingleChronicleQueueBuilder.binary(directory).rollCycle(RollCycles.FAST_HOURLY);
        if (syncMode != null) {
            builder.syncMode(syncMode);
        }
        return new RawJournalQueue(directory, builder.build(),
                                   new RawJournalRecord(channel, CounterDelta.ONE, new FixedSizeCodec(payloadBytes), 1));
    }

    @Override
    public void close() {
        try {
            appender.close();
            queue.close();
        } finally {
            QueueDirectories.delete(directory);
        }
    }
}
