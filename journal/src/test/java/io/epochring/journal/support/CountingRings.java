package io.epochring.journal.support;

import io.epochring.EpochRing;
import io.epochring.EpochRingBuilder;
import io.epochring.SinkOptions;
import io.epochring.ThreadingMode;
import io.epochring.journal.ChronicleJournal;
import io.epochring.journal.ChronicleJournalBuilder;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Coordinators for the exactly-once crash test, configured the same in every process that opens
 * one directory: channels {@code t0..t3} (one per producer, its key too), a {@link CountingFlusher},
 * a REQUIRED {@link CountingSink} named {@code required} and an OPTIONAL one named {@code optional}
 * that blocks instead of dropping, over a {@link ChronicleJournal} in {@code <dir>/journal}.
 */
public final class CountingRings {

    /** Channels, and so producers at most. */
    public static final int CHANNELS = 4;

    /** What varies from round to round; {@link #toString()} and {@link #parse} carry it to a child. */
    public record Setup(String syncPolicy, boolean secondlyRolls, ThreadingMode threading, int flushIntervalMs,
                        boolean syncEveryFlush, int syncEveryMs, int sinkWindowMs, int optionalPauseMicros, int producers) {

        public static Setup parse(String text) {
            Map<String, String> fields = new LinkedHashMap<>();
            for (String field : text.split(",")) {
                int eq = field.indexOf('=');
                fields.put(field.substring(0, eq), field.substring(eq + 1));
            }
            return new Setup(fields.get("sync"), Boolean.parseBoolean(fields.get("secondlyRolls")),
                             ThreadingMode.valueOf(fields.get("threading")), Integer.parseInt(fields.get("flushMs")),
                             Boolean.parseBoolean(fields.get("syncEveryFlush")), Integer.parseInt(fields.get("syncEveryMs")),
                             Integer.parseInt(fields.get("sinkWindowMs")), Integer.parseInt(fields.get("optionalPauseMicros")),
                             Integer.parseInt(fields.get("producers")));
        }

        @Override
        public String toString() {
            return "sync=" + syncPolicy + ",secondlyRolls=" + secondlyRolls + ",threading=" + threading + ",flushMs=" + flushIntervalMs
                   + ",syncEveryFlush=" + syncEveryFlush + ",syncEveryMs=" + syncEveryMs + ",sinkWindowMs=" + sinkWindowMs
                   + ",optionalPauseMicros=" + optionalPauseMicros + ",producers=" + producers;
        }
    }

    /** The targets of one coordinator, loaded from their files. */
    public record Targets(CountingFlusher storage, CountingSink required, CountingSink optional) {

        public static Targets open(Path dir, KillPoints points, long optionalPauseNanos) {
            return new Targets(new CountingFlusher(storageFile(dir), points),
                               new CountingSink(sinkFile(dir, "required"), "required", points, 0),
                               new CountingSink(sinkFile(dir, "optional"), "optional", points, optionalPauseNanos));
        }
    }

    private CountingRings() {
    }

    public static String channel(int producer) {
        return "t" + producer;
    }

    public static Path journalDir(Path dir) {
        return dir.resolve("journal");
    }

    public static Path storageFile(Path dir) {
        return dir.resolve("storage.txt");
    }

    public static Path sinkFile(Path dir, String name) {
        return dir.resolve("sink-" + name + ".txt");
    }

    /** @return the journal of {@code dir}, syncing as {@code setup} says */
    public static ChronicleJournal journal(Setup setup, Path dir) {
        ChronicleJournalBuilder builder = ChronicleJournal.builder(journalDir(dir)).syncPolicy(CrashWriterMain.policy(setup.syncPolicy()));
        if (setup.secondlyRolls()) {
            builder.rollCycle(TestRollCycles.TEST_SECONDLY); // kills also land while a new file starts
        }
        return builder.build();
    }

    public static EpochRingBuilder<Increment, Long, Map<String, Long>, Map<String, Long>> builder(
        Setup setup, CountingDelta delta, Targets targets, ChronicleJournal journal) {
        EpochRingBuilder<Increment, Long, Map<String, Long>, Map<String, Long>> builder =
            EpochRing.builder(delta, targets.storage()).name("exactly-once");
        for (int c = 0; c < CHANNELS; c++) {
            builder.channel(channel(c), 4096);
        }
        Duration window = Duration.ofMillis(setup.sinkWindowMs());
        return builder.flushInterval(Duration.ofMillis(setup.flushIntervalMs()))
                      .syncEveryFlush(setup.syncEveryFlush())
                      .threadingMode(setup.threading())
                      .journal(journal, new IncrementCodec())
                      .sink("required", targets.required(), SinkOptions.required().withBatchWindow(window))
                      .sink("optional", targets.optional(), SinkOptions.optional().withOverflow(SinkOptions.Overflow.BLOCK).withBatchWindow(window));
    }
}
