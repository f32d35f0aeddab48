package io.epochring.kv.cli;

import io.epochring.CoordinatorStats;

import java.io.PrintWriter;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The demo's live progress on stderr: writes, write rate, the four watermarks and flushes.
 * Updated in place (carriage return) on a terminal; one plain line per second otherwise, so logs
 * stay readable.
 */
final class ProgressLine implements AutoCloseable {

    private final PrintWriter err;
    private final boolean interactive;
    private final Supplier<CoordinatorStats> stats;
    private final long baseEpoch;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "epochring-demo-progress");
        thread.setDaemon(true);
        return thread;
    });
    private final long start = System.nanoTime();
    private long lastApplied;
    private long lastNanos = start;
    private int lastLength;

    ProgressLine(PrintWriter err, boolean interactive, Supplier<CoordinatorStats> stats, long baseEpoch) {
        this.err = err;
        this.interactive = interactive;
        this.stats = stats;
        this.baseEpoch = baseEpoch;
        this.lastApplied = baseEpoch;
    }

    ProgressLine start() {
        long period = interactive ? 200 : 1000;
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
        String line = String.format(java.util.Locale.ROOT, "%6.1fs  %s writes  %s w/s  | applied %s  journaled %s  written %s  durable %s  | flushes %s",
                                    (now - start) / 1e9, Format.count(s.applied() - baseEpoch), Format.count(rate),
                                    Format.count(s.applied()), Format.count(s.journaled()), Format.count(s.written()),
                                    Format.count(s.durable()), Format.count(s.flushCount()));
        if (interactive) {
            err.print("\r" + line + " ".repeat(Math.max(0, lastLength - line.length())));
            lastLength = line.length();
        } else {
            err.println(line);
        }
        err.flush();
    }
}
