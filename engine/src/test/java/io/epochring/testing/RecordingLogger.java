package io.epochring.testing;

import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link System.Logger} that keeps every line it is given, for tests to read; it can be made to throw. */
public final class RecordingLogger implements System.Logger {

    /** One logged line. */
    public record Line(Level level, String message, Throwable error) {
    }

    private final List<Line> lines = new CopyOnWriteArrayList<>();
    private volatile Level threshold = Level.ALL;
    private volatile RuntimeException failure;

    @Override
    public String getName() {
        return "recording";
    }

    @Override
    public boolean isLoggable(Level level) {
        return level.getSeverity() >= threshold.getSeverity();
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String message, Throwable thrown) {
        record(level, message, thrown);
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String format, Object... params) {
        record(level, format, null);
    }

    /** Lines below {@code level} are not loggable from now on. */
    public void threshold(Level level) {
        threshold = level;
    }

    /** Every call to log from now on throws {@code failure} (null: none). */
    public void failWith(RuntimeException failure) {
        this.failure = failure;
    }

    public List<Line> lines() {
        return List.copyOf(lines);
    }

    private void record(Level level, String message, Throwable thrown) {
        RuntimeException f = failure;
        if (f != null) {
            throw f;
        }
        lines.add(new Line(level, message, thrown));
    }
}
