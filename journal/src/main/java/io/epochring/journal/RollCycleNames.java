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
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

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
        File[] files = directory.toFile().listFiles((dir, name) -> name.endsWith(SUFFIX));
        if (files == null || files.length == 0) {
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
