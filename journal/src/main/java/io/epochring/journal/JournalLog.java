package io.epochring.journal;

import java.lang.System.Logger;

/**
 * Where the journal tells an operator about what it did on its own: files deleted by retention,
 * a retention pass that failed, a codec adopted, lost epochs recorded, writing zeros because the
 * file system cannot allocate blocks. Never on the write path: each is at most once per
 * checkpoint or once per journal.
 *
 * <p>Through {@link System.Logger}, as the engine logs, so the journal adds no logging
 * dependency: the JDK sends it to {@code java.util.logging} unless the application installs a
 * bridge (SLF4J's {@code slf4j-jdk-platform-logging}, Log4j's {@code log4j-jpl}). Chronicle Queue
 * logs through SLF4J itself; see the README for quieting its INFO lines.
 */
final class JournalLog {

    /** The logger's name; set its level to WARNING to keep only what needs attention. */
    static final String NAME = "io.epochring.journal";

    static final Logger LOGGER = System.getLogger(NAME);

    private JournalLog() {
    }
}
