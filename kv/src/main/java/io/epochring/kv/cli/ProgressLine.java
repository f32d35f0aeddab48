package io.epochring.kv.cli;

import io.epochring.CoordinatorStats;

import java.io.PrintWriter;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The demo's live progress on stderr: writes done of total, ETA, write rate, watermarks and
 * flushes (laid out by {@link ProgressFormat}). On a terminal it is redrawn in place (carriage
 * return) every 200 ms and kept within the terminal's width, so it never wraps; otherwise a full
 * line is printed every few seconds, so logs stay readable.
 */
final class ProgressLine implements AutoCloseable {

    static final long INTERACTIVE_PERIOD_MILLIS = 200;
    static final long LOG_PERIOD_MILLIS = 5_000;

    private final PrintWriter err;
    private final boolean interactive;
    private final int width;
    private final Supplier<CoordinatorStats> stats;
    private final long baseEpoch;
    private final long total;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "epochring-demo-progress");
        thread.setDaemon(true);
        return thread;
    });
    private final long start = System.nanoTime();
    private long lastApplied;
    private long lastNanos = start;
    private int lastLength;

    /**
     * @param width     the terminal's columns; used only when {@code interactive}
     * @param baseEpoch the applied watermark before the run, so counts are this run's writes
     * @param total     the writes the run will make
     */
    ProgressLine(PrintWriter err, boolean interactive, int width, Supplier<CoordinatorStats> stats, long baseEpoch, long total) {
        this.err = err;
        this.interactive = interactive;
        this.width = width;
        this.stats = stats;
        this.baseEpoch = baseEpoch;
        this.total = total;
        this.lastApplied = baseEpoch;
    }

    ProgressLine start() {
        long period = interactive ? INTERACTIVE_PERIOD_MILLIS : LOG_PERIOD_MILLIS;
        timer.scheduleAtFixedRate(this::print, period, period, TimeUnit.MILLISECONDS);
        return this;
    }

    /** Prints a last update and, on a terminal, ends the line. */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        print();
        if (interactive) {
            err.println();
        }
        err.flush();
    }

    private synchronized void print() {
        CoordinatorStats s = stats.get();
        long now = System.nanoTime();
        long rate = now > lastNanos ? Math.round((s.applied() - lastApplied) * 1e9 / (now - lastNanos)) : 0;
        lastApplied = s.applied();
        lastNanos = now;
        ProgressFormat.Progress progress = new ProgressFormat.Progress(sinceBase(s.applied()), total, now - start, rate,
                                                                       sinceBase(s.journaled()), sinceBase(s.written()),
                                                                       sinceBase(s.durable()), s.flushCount());
        if (interactive) {
            // One column short of the width: a character in the last column wraps the cursor on some terminals.
            String line = ProgressFormat.format(progress, width - 1);
            err.print("\r" + line + " ".repeat(Math.max(0, lastLength - line.length())));
            lastLength = line.length();
        } else {
            err.println(ProgressFormat.format(progress, Integer.MAX_VALUE));
        }
        err.flush();
    }

    private long sinceBase(long watermark) {
        return Math.max(0, watermark - baseEpoch);
    }
}
