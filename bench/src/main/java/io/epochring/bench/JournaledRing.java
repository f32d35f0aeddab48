package io.epochring.bench;

import io.epochring.Channel;
import io.epochring.EpochRing;
import io.epochring.ThreadingMode;
import io.epochring.bench.CounterDelta.Counter;
import io.epochring.journal.ChronicleJournal;
import io.epochring.journal.SyncPolicy;

import java.nio.file.Path;

/**
 * The journal benchmarks' EpochRing row: a fresh directory, a {@link ChronicleJournal} in it with
 * one sync policy, and a started coordinator journaling a fixed-size payload per write on one
 * channel ({@link Rings#journaled}). Closing it stops the coordinator (which closes the journal)
 * and deletes the directory.
 */
final class JournaledRing implements AutoCloseable {

    final ChronicleJournal journal;
    final EpochRing<Long, Long, Counter, Long> ring;
    final Channel<Long, Long> channel;
    private final Path directory;

    private JournaledRing(Path directory, ChronicleJournal journal, EpochRing<Long, Long, Counter, Long> ring, String channel) {
        this.directory = directory;
        this.journal = journal;
        this.ring = ring;
        this.channel = ring.channel(channel);
    }

    static JournaledRing start(String name, SyncPolicy syncPolicy, ThreadingMode mode, int payloadBytes, String channel) {
        Path directory = QueueDirectories.create(name);
        ChronicleJournal journal = ChronicleJournal.builder(directory).syncPolicy(syncPolicy).build();
        EpochRing<Long, Long, Counter, Long> ring =
            Rings.journaled(CounterDelta.withoutResults(), mode, journal, new FixedSizeCodec(payloadBytes), channel);
        return new JournaledRing(directory, journal, ring, channel);
    }

    @Override
    public void close() {
        try {
            ring.stop(); // closes the journal
        } finally {
            QueueDirectories.delete(directory);
        }
    }
}
