package io.epochring.journal;

import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.rollcycles.LargeRollCycles;
import net.openhft.chronicle.queue.rollcycles.LegacyRollCycles;
import net.openhft.chronicle.queue.rollcycles.SparseRollCycles;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;

import java.io.File;
import java.nio.file.Path;
import java.text.ParsePosition;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * Tells an existing journal's roll cycle from its file names (each of Chronicle's roll cycles
 * names files with its own date pattern). Opening a queue with a roll cycle other than the one it
 * was created with works, but Chronicle warns about it on every open; readers such as the
 * inspector, which do not know how the journal was configured, use this to open it quietly.
 */
final class RollCycleNames {

    private static final String SUFFIX = ".cq4";
    private static final List<RollCycle> KNOWN = new ArrayList<>();

    static {
        Collections.addAll(KNOWN, RollCycles.values());
        Collections.addAll(KNOWN, LargeRollCycles.values());
        Collections.addAll(KNOWN, SparseRollCycles.values());
        Collections.addAll(KNOWN, TestRollCycles.values());
        Collections.addAll(KNOWN, LegacyRollCycles.values());
    }

    private RollCycleNames() {
    }

    /** @return the one known roll cycle whose pattern fits every file in {@code directory}, or null */
    static RollCycle of(Path directory) {
        File[] files = cycleFiles(directory);
        if (files.length == 0) {
            return null;
        }
        RollCycle found = null;
        for (RollCycle cycle : KNOWN) {
            if (fitsAll(cycle, files)) {
                if (found != null) {
                    return null; // ambiguous: let Chronicle read it from the metadata
                }
                found = cycle;
            }
        }
        return found;
    }

    /**
     * @return the cycle numbers of the directory's files, oldest first, as Chronicle numbers them:
     *         the time a file's name gives, less the queue's epoch, divided by the cycle's length
     * @throws IllegalArgumentException naming a file whose name is not of {@code rollCycle}'s pattern
     */
    static NavigableSet<Long> cyclesOnDisk(Path directory, RollCycle rollCycle, long epoch) {
        NavigableSet<Long> cycles = new TreeSet<>();
        File[] files = cycleFiles(directory);
        // Fields a pattern leaves out (an hourly cycle's minutes, a daily one's hours) are the start of the cycle.
        DateTimeFormatter format = new DateTimeFormatterBuilder().appendPattern(rollCycle.format())
                .parseDefaulting(ChronoField.HOUR_OF_DAY, 0)
                .parseDefaulting(ChronoField.MINUTE_OF_HOUR, 0)
                .parseDefaulting(ChronoField.SECOND_OF_MINUTE, 0)
                .toFormatter()
                .withZone(ZoneOffset.UTC);
        for (File file : files) {
            String name = file.getName();
            try {
                long millis = Instant.from(format.parse(name.substring(0, name.length() - SUFFIX.length()))).toEpochMilli();
                cycles.add((millis - epoch) / rollCycle.lengthInMillis());
            } catch (DateTimeException e) {
                throw new IllegalArgumentException("journal file " + file + " is not named by the journal's roll cycle "
                                                   + rollCycle + " (" + e.getMessage() + ")", e);
            }
        }
        return cycles;
    }

    /** @return the directory's cycle files, none when it cannot be listed */
    private static File[] cycleFiles(Path directory) {
        File[] files = directory.toFile().listFiles((dir, name) -> name.endsWith(SUFFIX));
        return files == null ? new File[0] : files;
    }

    private static boolean fitsAll(RollCycle cycle, File[] files) {
        DateTimeFormatter format = DateTimeFormatter.ofPattern(cycle.format());
        for (File file : files) {
            String name = file.getName();
            String text = name.substring(0, name.length() - SUFFIX.length());
            ParsePosition position = new ParsePosition(0);
            if (format.parseUnresolved(text, position) == null || position.getErrorIndex() >= 0 || position.getIndex() != text.length()) {
                return false;
            }
        }
        return true;
    }
}
