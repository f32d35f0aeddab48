package io.epochring;

import io.epochring.testing.MapDelta;
import io.epochring.testing.Put;
import io.epochring.testing.RecordingLogger;
import io.epochring.testing.TestFlusher;
import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.Test;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * The default error handler: each distinct error logged once with its stack trace, repeats
 * counted and logged once per interval. Time comes from a clock the tests move.
 */
class LoggingErrorHandlerTest {

    private static final Duration INTERVAL = Duration.ofSeconds(10);

    private final RecordingLogger logger = new RecordingLogger();
    private final CachedNanoClock clock = new CachedNanoClock();
    private final LoggingErrorHandler handler = new LoggingErrorHandler(logger, "epochring-test: ", INTERVAL, clock);

    @Test
    void shouldLogTheFirstErrorWithItsStackTraceAndCountRepeatsOncePerInterval() {
        // given errors of one kind: made at one place, told apart only by their messages
        List<Throwable> errors = applyFailures(8);

        // when the first comes
        handler.onError(errors.get(0));

        // then it is logged with its stack trace
        assertThat(logger.lines()).singleElement().satisfies(line -> {
            assertThat(line.level()).isEqualTo(Level.WARNING);
            assertThat(line.message()).startsWith("epochring-test: io.epochring.ApplyException: write at epoch 1 failed to apply")
                                      .contains("repeats of this error are counted and logged at most every 10.0 s");
            assertThat(line.error()).isSameAs(errors.get(0));
        });

        // when four more come within the interval, then nothing more is logged
        errors.subList(1, 5).forEach(handler::onError);
        clock.advance(INTERVAL.toNanos() - 1);
        assertThat(logger.lines()).hasSize(1);

        // when one comes once the interval has passed, then one line counts the five repeats
        clock.advance(1);
        handler.onError(errors.get(5));
        assertThat(logger.lines()).hasSize(2);
        assertThat(logger.lines().get(1)).satisfies(line -> {
            assertThat(line.level()).isEqualTo(Level.WARNING);
            assertThat(line.message()).isEqualTo("epochring-test: 5 more repeats in 10.0 s, the latest: " + errors.get(5)
                                                 + " (6 in all; the first was logged with its stack trace)");
            assertThat(line.error()).isNull();
        });

        // when two more come and the handler is asked for what it holds (as the coordinator does at stop)
        clock.advance(INTERVAL.toNanos() / 4);
        handler.onError(errors.get(6));
        handler.onError(errors.get(7));
        handler.reportRepeats();

        // then they are counted, and asking again logs nothing more
        assertThat(logger.lines().get(2).message()).startsWith("epochring-test: 2 more repeats in 2.5 s, the latest: " + errors.get(7));
        handler.reportRepeats();
        assertThat(logger.lines()).hasSize(3);
        assertThat(handler.totalErrors()).isEqualTo(8);
        assertThat(handler.distinctErrors()).isEqualTo(1);
    }

    @Test
    void shouldTellErrorsApartByClassAndStackTraceNotByMessage() {
        // made at one place (a stack trace includes every calling line)
        List<Throwable> samePlace = applyFailures(2);

        handler.onError(samePlace.get(0));
        handler.onError(samePlace.get(1));         // another message: a repeat
        handler.onError(otherPlace("write at epoch 1 failed"));
        handler.onError(new IllegalStateException("write at epoch 1 failed"));

        assertThat(logger.lines()).extracting(RecordingLogger.Line::error).doesNotContainNull().hasSize(3);
        assertThat(handler.distinctErrors()).isEqualTo(3);
    }

    @Test
    void shouldLogFaultsAndUnknownErrorsAsErrorsAndOneWritesFailureAsAWarning() {
        handler.onError(new FlushFailedException(new EpochRange(1, 2), "storage refused", new RuntimeException("disk")));
        handler.onError(new IllegalStateException("a listener threw"));
        handler.onError(applyFailure(3));

        assertThat(logger.lines()).extracting(RecordingLogger.Line::level).containsExactly(Level.ERROR, Level.ERROR, Level.WARNING);
    }

    @Test
    void shouldCountErrorsBeyondTheDistinctLimitTogether() {
        for (int depth = 0; depth < LoggingErrorHandler.MAX_DISTINCT + 3; depth++) {
            handler.onError(atDepth(depth)); // a different stack trace at every depth
        }

        List<RecordingLogger.Line> lines = logger.lines();
        assertThat(lines).hasSize(LoggingErrorHandler.MAX_DISTINCT + 1);
        assertThat(lines.get(LoggingErrorHandler.MAX_DISTINCT).message())
            .contains(LoggingErrorHandler.MAX_DISTINCT + " distinct kinds of error were logged already");
        handler.reportRepeats();
        assertThat(logger.lines().get(LoggingErrorHandler.MAX_DISTINCT + 1).message())
            .startsWith("epochring-test: 2 more errors of other kinds in 0.0 s");
        assertThat(handler.distinctErrors()).isEqualTo(LoggingErrorHandler.MAX_DISTINCT);
        assertThat(handler.totalErrors()).isEqualTo(LoggingErrorHandler.MAX_DISTINCT + 3);
    }

    @Test
    void shouldBuildNoLineWhenTheLevelIsOff() {
        logger.threshold(Level.ERROR);

        handler.onError(applyFailure(1));
        handler.onError(new IllegalStateException("a listener threw"));

        assertThat(logger.lines()).extracting(RecordingLogger.Line::level).containsExactly(Level.ERROR);
    }

    @Test
    void shouldNeverThrowWhenTheLoggerThrows() {
        logger.failWith(new IllegalStateException("the logging backend is broken"));

        assertThatCode(() -> handler.onError(applyFailure(1))).doesNotThrowAnyException();
        assertThatCode(() -> handler.onError(applyFailure(2))).doesNotThrowAnyException();
        assertThatCode(handler::reportRepeats).doesNotThrowAnyException();
        assertThat(handler.totalErrors()).isEqualTo(2);
    }

    @Test
    void shouldLogFailedFireAndForgetWritesThroughSystemLoggerByDefault() {
        // given the JDK's default System.Logger backend, java.util.logging, with a handler that keeps records
        Logger jul = Logger.getLogger(LoggingErrorHandler.LOGGER_NAME);
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        Handler keep = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        jul.addHandler(keep);
        jul.setUseParentHandlers(false);
        try {
            // when 100 fire-and-forget writes fail to apply and the coordinator stops
            // (a clock that stands still: no interval passes before the stop)
            try (var ring = EpochRing.builder(new MapDelta(), new TestFlusher()).name("logged").clock(new CachedNanoClock()).build().start()) {
                Channel<Put, Long> channel = ring.channel("default");
                for (int i = 0; i < 100; i++) {
                    channel.publish(new Put("fail-" + i, i));
                }
                ring.flush().await(DurabilityLevel.APPLIED);
            }

            // then the first is logged with its stack trace, and the other 99 are counted at stop
            List<String> messages = new ArrayList<>();
            records.forEach(r -> messages.add(r.getMessage()));
            assertThat(records).hasSize(2);
            assertThat(records.get(0).getLevel()).isEqualTo(java.util.logging.Level.WARNING);
            assertThat(records.get(0).getMessage()).startsWith("epochring-logged: io.epochring.ApplyException: write at epoch 1 failed");
            assertThat(records.get(0).getThrown()).isInstanceOf(ApplyException.class)
                                                  .hasCauseInstanceOf(IllegalArgumentException.class);
            assertThat(records.get(1).getMessage()).as(messages.toString())
                                                   .startsWith("epochring-logged: 99 more repeats in")
                                                   .contains("write at epoch 100 failed to apply");
        } finally {
            jul.removeHandler(keep);
            jul.setUseParentHandlers(true);
        }
    }

    /** @return failures of epochs 1..n, made at one place, so with one stack trace */
    private static List<Throwable> applyFailures(int n) {
        List<Throwable> failures = new ArrayList<>();
        for (int epoch = 1; epoch <= n; epoch++) {
            failures.add(applyFailure(epoch));
        }
        return failures;
    }

    private static Throwable applyFailure(long epoch) {
        return new ApplyException(epoch, new IllegalArgumentException("key 'k" + epoch + "' is refused"));
    }

    private static Throwable otherPlace(String message) {
        return new ApplyException(1, new IllegalArgumentException(message));
    }

    private static RuntimeException atDepth(int depth) {
        return depth == 0 ? new IllegalStateException("deep") : atDepth(depth - 1);
    }
}
