package io.epochring.journal.support;

import io.epochring.Delta;
import io.epochring.EpochRing;
import io.epochring.EpochRingBuilder;
import io.epochring.Flusher;
import io.epochring.journal.ChronicleJournal;
import io.epochring.testing.Put;

import java.time.Duration;
import java.util.Map;

/** Coordinators over the test fakes, journaled by a {@link ChronicleJournal}, flushing only when told. */
public final class Rings {

    private Rings() {
    }

    /**
     * @return a builder with channels "a" and "b", no timer flushes (1 h), the journal and {@link PutCodec}
     */
    public static EpochRingBuilder<Put, Long, Map<String, Long>, Map<String, Long>> builder(
        Delta<Put, Long, Map<String, Long>> delta, Flusher<Map<String, Long>, Map<String, Long>> flusher, ChronicleJournal journal) {
        return EpochRing.builder(delta, flusher)
                        .name("journal-test")
                        .channel("a", 4096)
                        .channel("b", 4096)
                        .flushInterval(Duration.ofHours(1))
                        .journal(journal, new PutCodec());
    }

    /** @return a started coordinator (recovering from the journal) */
    public static EpochRing<Put, Long, Map<String, Long>, Map<String, Long>> start(
        Delta<Put, Long, Map<String, Long>> delta, Flusher<Map<String, Long>, Map<String, Long>> flusher, ChronicleJournal journal) {
        return builder(delta, flusher, journal).build().start();
    }
}
