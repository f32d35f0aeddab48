package io.epochring;

import org.agrona.ErrorHandler;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The coordinator's default {@link ErrorHandler}: logs the first occurrence of each distinct error
 * with its stack trace, then counts its repeats and logs the count at most once per interval, so a
 * stream of failing fire-and-forget writes costs one log line per interval, not one per write.
 * Never throws.
 *
 * <p>Two errors are the same kind when their cause chains have the same classes and their root
 * causes the same stack trace (where they were thrown); messages are ignored, since they usually
 * carry an epoch. At most {@value #MAX_DISTINCT} kinds are kept; errors of further kinds are
 * counted together.
 *
 * <p>Levels: {@code ERROR} for a {@link CoordinatorFaultException} and for anything that is not an
 * {@link EpochRingException} (a listener's throw, a bug); {@code WARNING} for other
 * {@link EpochRingException}s, which concern one write (an {@link ApplyException} of a
 * fire-and-forget write, a write the codec could not encode).
 *
 * <p>Design note (System.Logger): the engine logs through {@link System.Logger}, logger
 * {@value #LOGGER_NAME}, so it needs no logging dependency (it depends on Disruptor and Agrona
 * only). With nothing else configured the JDK routes it to {@code java.util.logging}; an
 * application on SLF4J adds {@code org.slf4j:slf4j-jdk-platform-logging} and these lines go
 * wherever its other logs go. Chronicle Queue, in the journal module, logs through SLF4J directly.
 *
 * <p>The last interval's counts are logged by {@link #reportRepeats()}, which the coordinator calls
 * when it stops; call it yourself to see them sooner.
 */
public final class LoggingErrorHandler implements ErrorHandler {

    /** The logger the coordinator's default handler uses. */
    public static final String LOGGER_NAME = "io.epochring";
    /** How often the default handler logs the count of an error's repeats, at most. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);
    /** Distinct kinds of error remembered; further kinds are counted together. */
    public static final int MAX_DISTINCT = 64;
    private static final int MAX_CAUSES = 16;

    private final System.Logger logger;
    private final String prefix;
    private final long intervalNanos;
    private final NanoClock clock;
    private final Map<Chain, Kind> kinds = new LinkedHashMap<>();
    private final Kind others = new Kind();

    /**
     * @param logger   where lines go
     * @param prefix   starts every line, to tell coordinators apart (the default is {@code "epochring-<name>: "})
     * @param interval how often an error's repeats are counted in a line, at most
     * @param clock    the time for the interval; inject a controllable one in tests
     */
    public LoggingErrorHandler(System.Logger logger, String prefix, Duration interval, NanoClock clock) {
        this.logger = Objects.requireNonNull(logger, "logger must not be null");
        this.prefix = Objects.requireNonNull(prefix, "prefix must not be null");
        this.clock = Objects.requireNonNull(clock, "clock must not be null");
        if (interval == null || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be > 0, was " + interval);
        }
        this.intervalNanos = interval.toNanos();
    }

    /**
     * @return the handler a coordinator named {@code ringName} gets by default: logger
     * {@value #LOGGER_NAME}, lines starting {@code "epochring-<ringName>: "}, repeats counted every
     * {@link #DEFAULT_INTERVAL}
     */
    public static LoggingErrorHandler forRing(String ringName) {
        return new LoggingErrorHandler(System.getLogger(LOGGER_NAME), "epochring-" + ringName + ": ", DEFAULT_INTERVAL,
                                       SystemNanoClock.INSTANCE);
    }

    @Override
    public synchronized void onError(Throwable error) {
        if (error == null) {
            return;
        }
        try {
            long now = clock.nanoTime();
            Chain chain = new Chain(error);
            Kind kind = kinds.get(chain);
            if (kind == null) {
                if (kinds.size() < MAX_DISTINCT) {
                    kind = new Kind();
                    kinds.put(chain, kind);
                } else {
                    kind = others;
                }
            }
            if (kind.occurred(error, now)) {
                String note = kind != others ? "repeats of this error are counted"
                              : MAX_DISTINCT + " distinct kinds of error were logged already: errors of further kinds are counted together";
                log(levelOf(error), prefix + error + " (" + note + " and logged at most every " + seconds(intervalNanos) + ")", error);
            } else if (now - kind.lastReportNanos >= intervalNanos) {
                report(kind, now);
            }
        } catch (RuntimeException | Error e) {
            // An error handler must not throw into the thread that reported the error.
            fallback(prefix, error, e);
        }
    }

    /** Logs every kind's repeats not logged yet. The coordinator calls it when it stops. */
    public synchronized void reportRepeats() {
        long now = clock.nanoTime();
        for (Kind kind : kinds.values()) {
            report(kind, now);
        }
        report(others, now);
    }

    /** @return how many distinct kinds of error were seen (at most {@value #MAX_DISTINCT}) */
    public synchronized int distinctErrors() {
        return kinds.size();
    }

    /** @return every error handed to this handler */
    public synchronized long totalErrors() {
        long total = others.count;
        for (Kind kind : kinds.values()) {
            total += kind.count;
        }
        return total;
    }

    @Override
    public String toString() {
        return "LoggingErrorHandler[" + logger.getName() + ", every " + seconds(intervalNanos) + "]";
    }

    private void report(Kind kind, long now) {
        long repeats = kind.count - kind.reported;
        if (repeats <= 0) {
            return;
        }
        Throwable latest = kind.latest;
        String what = kind == others ? (repeats == 1 ? " error of another kind" : " errors of other kinds")
                                     : (repeats == 1 ? " repeat" : " repeats");
        log(levelOf(latest), prefix + String.format(Locale.ROOT, "%,d", repeats) + " more" + what
                             + " in " + seconds(now - kind.lastReportNanos) + ", the latest: " + latest + " ("
                             + String.format(Locale.ROOT, "%,d", kind.count) + " in all; the first was logged with its stack trace)", null);
        kind.reported = kind.count;
        kind.lastReportNanos = now;
    }

    private void log(Level level, String message, Throwable error) {
        try {
            if (!logger.isLoggable(level)) {
                return;
            }
            if (error == null) {
                logger.log(level, message);
            } else {
                logger.log(level, message, error);
            }
        } catch (RuntimeException | Error e) {
            fallback(message, null, e);
        }
    }

    private static void fallback(String message, Throwable error, Throwable loggingFailure) {
        try {
            System.err.println(message + (error == null ? "" : error) + " (and logging it failed: " + loggingFailure + ")");
        } catch (RuntimeException | Error ignored) {
            // Nowhere left to report to: the reporting thread must go on.
        }
    }

    private static Level levelOf(Throwable error) {
        if (error instanceof CoordinatorFaultException || !(error instanceof EpochRingException)) {
            return Level.ERROR;
        }
        return Level.WARNING;
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }

    /**
     * What makes an error's kind: the classes of its cause chain and the stack trace of its root
     * cause, where it was thrown. Only the root cause's trace is read (materializing a trace is
     * most of what this handler costs per error); the wrappers around it are told apart by class.
     */
    private static final class Chain {
        private final Class<?>[] classes;
        private final StackTraceElement[] rootTrace;
        private final int hash;

        Chain(Throwable error) {
            Class<?>[] found = new Class<?>[4];
            int n = 0;
            Throwable root = error;
            for (Throwable t = error; t != null && n < MAX_CAUSES; t = t.getCause()) {
                if (n == found.length) {
                    found = Arrays.copyOf(found, n * 2);
                }
                found[n++] = t.getClass();
                root = t;
                if (t.getCause() == t) {
                    break;
                }
            }
            classes = Arrays.copyOf(found, n);
            rootTrace = root.getStackTrace();
            hash = 31 * Arrays.hashCode(classes) + Arrays.hashCode(rootTrace);
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Chain)) {
                return false;
            }
            Chain other = (Chain) o;
            return hash == other.hash && Arrays.equals(classes, other.classes) && Arrays.equals(rootTrace, other.rootTrace);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /** One kind of error: how often it came, and how much of that was logged. */
    private static final class Kind {
        long count;
        long reported;
        long lastReportNanos;
        Throwable latest;

        /** @return true for the first occurrence, which is logged in full */
        boolean occurred(Throwable error, long now) {
            latest = error;
            if (count++ == 0) {
                reported = 1;
                lastReportNanos = now;
                return true;
            }
            return false;
        }
    }
}
