package io.epochring.journal.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Keeps what the journal logs while open. The journal logs through {@link System.Logger}, which
 * the JDK sends to {@code java.util.logging} when no other backend is installed (as in these
 * tests), so a handler on the journal's logger sees every line.
 */
public final class JournalLogCapture implements AutoCloseable {

    /** One logged line. */
    public record Line(Level level, String message) {
    }

    private final Logger logger = Logger.getLogger("io.epochring.journal");
    private final List<Line> lines = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            lines.add(new Line(record.getLevel(), record.getMessage()));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    public JournalLogCapture() {
        logger.addHandler(handler);
    }

    /** @return the lines logged at {@code level} so far */
    public List<String> at(Level level) {
        return lines.stream().filter(l -> l.level().equals(level)).map(Line::message).toList();
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
    }
}
