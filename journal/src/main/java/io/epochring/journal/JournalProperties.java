package io.epochring.journal;

import io.epochring.PropertyReader;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.rollcycles.LargeRollCycles;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the {@code journal.*} keys (see {@link ChronicleJournal#fromProperties(Map)}). The sync and
 * retention keys are shared with the kv store, which places its journal itself.
 */
public final class JournalProperties {

    /** The prefix of every journal key. */
    public static final String PREFIX = "journal.";
    static final String DIR = PREFIX + "dir";
    static final String SYNC = PREFIX + "sync";
    static final String SYNC_INTERVAL = PREFIX + "sync.interval";
    static final String ROLL_CYCLE = PREFIX + "roll.cycle";
    static final String RETAIN_FILES = PREFIX + "retain.files";
    static final String ADOPT_CODEC = PREFIX + "adopt-codec";
    static final List<String> KEYS = List.of(DIR, SYNC, SYNC_INTERVAL, ROLL_CYCLE, RETAIN_FILES, ADOPT_CODEC);
    private static final String SYNC_NAMES = "none, batch, interval (with " + SYNC_INTERVAL + ") or interval:<duration> such as interval:50ms";
    private static final Map<String, RollCycle> ROLL_CYCLES = new LinkedHashMap<>();

    static {
        for (RollCycles cycle : RollCycles.values()) {
            ROLL_CYCLES.put(cycle.name(), cycle);
        }
        for (LargeRollCycles cycle : LargeRollCycles.values()) {
            ROLL_CYCLES.put(cycle.name(), cycle);
        }
    }

    private final SyncPolicy sync;
    private final Integer retainFiles;
    private final Boolean adoptCodec;

    /** Reads the sync, retention and codec keys; the caller reads or refuses the others. */
    JournalProperties(PropertyReader in) {
        sync = sync(in);
        retainFiles = in.intIn(RETAIN_FILES, 0, Integer.MAX_VALUE);
        adoptCodec = in.bool(ADOPT_CODEC);
    }

    /**
     * For a component that places the journal itself (the kv store): reads the sync, retention and
     * codec keys and refuses {@code journal.dir} and {@code journal.roll.cycle} naming the reason.
     *
     * @param properties every property; only {@code journal.*} keys are read
     * @param owner      what places the journal, for the error message
     * @throws IllegalArgumentException naming the first bad or unknown key
     */
    public static JournalProperties readShared(Map<String, String> properties, String owner) {
        PropertyReader in = new PropertyReader(properties, PREFIX);
        for (String placed : List.of(DIR, ROLL_CYCLE)) {
            if (in.has(placed)) {
                throw new IllegalArgumentException("property " + placed + "=" + in.raw(placed) + " is not settable for " + owner
                                                   + ", which places its journal itself: remove it");
            }
        }
        JournalProperties shared = new JournalProperties(in);
        in.refuseUnknown(List.of(SYNC, SYNC_INTERVAL, RETAIN_FILES, ADOPT_CODEC));
        return shared;
    }

    /** @return the sync policy, or null when not set */
    public SyncPolicy sync() {
        return sync;
    }

    /** @return how many newest files retention keeps (0: every file), or null when not set */
    public Integer retainFiles() {
        return retainFiles;
    }

    /** @return whether to adopt a journal that names no codec, or null when not set */
    public Boolean adoptCodec() {
        return adoptCodec;
    }

    static ChronicleJournalBuilder builder(Map<String, String> properties) {
        PropertyReader in = new PropertyReader(properties, PREFIX);
        String dir = in.string(DIR);
        if (dir == null) {
            throw new IllegalArgumentException("property " + DIR + " is missing: set it to the journal's directory");
        }
        Path directory;
        try {
            directory = Path.of(dir);
        } catch (InvalidPathException e) {
            throw PropertyReader.bad(DIR, dir, "a directory path (" + e.getReason() + ")");
        }
        RollCycle rollCycle = in.choice(ROLL_CYCLE, ROLL_CYCLES);
        JournalProperties shared = new JournalProperties(in);
        in.refuseUnknown(KEYS);
        ChronicleJournalBuilder builder = new ChronicleJournalBuilder(directory);
        if (rollCycle != null) {
            builder.rollCycle(rollCycle);
        }
        if (shared.sync != null) {
            builder.syncPolicy(shared.sync);
        }
        if (shared.retainFiles != null) {
            if (shared.retainFiles == 0) {
                builder.retainAll();
            } else {
                builder.retainFiles(shared.retainFiles);
            }
        }
        if (Boolean.TRUE.equals(shared.adoptCodec)) {
            builder.adoptCodec();
        }
        return builder;
    }

    private static SyncPolicy sync(PropertyReader in) {
        String value = in.raw(SYNC);
        Duration interval = in.duration(SYNC_INTERVAL, ChronoUnit.MILLIS);
        if (value == null) {
            if (interval != null) {
                throw new IllegalArgumentException("property " + SYNC_INTERVAL + "=" + in.raw(SYNC_INTERVAL) + " needs "
                                                   + SYNC + "=interval: set both, or remove " + SYNC_INTERVAL);
            }
            return null;
        }
        String lower = value.toLowerCase(java.util.Locale.ROOT);
        if (lower.equals("none") || lower.equals("batch")) {
            if (interval != null) {
                throw new IllegalArgumentException("property " + SYNC_INTERVAL + "=" + in.raw(SYNC_INTERVAL) + " applies only to "
                                                   + SYNC + "=interval, but " + SYNC + "=" + value + ": remove one of them");
            }
            return lower.equals("none") ? SyncPolicy.NONE : SyncPolicy.PER_BATCH;
        }
        if (lower.equals("interval")) {
            if (interval == null) {
                throw new IllegalArgumentException("property " + SYNC + "=" + value + " needs " + SYNC_INTERVAL
                                                   + ": set it to a duration such as 50ms");
            }
            return SyncPolicy.interval(interval);
        }
        if (lower.startsWith("interval:")) {
            if (interval != null) {
                throw new IllegalArgumentException("property " + SYNC + "=" + value + " already gives the interval, and "
                                                   + SYNC_INTERVAL + "=" + in.raw(SYNC_INTERVAL) + " gives another: remove one");
            }
            return SyncPolicy.interval(in.parseDuration(SYNC, value, value.substring("interval:".length()).trim(), ChronoUnit.MILLIS));
        }
        throw PropertyReader.bad(SYNC, value, "one of " + SYNC_NAMES);
    }
}
