package io.epochring;

import com.lmax.disruptor.WaitStrategy;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NanoClock;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A coordinator's configuration as {@link EpochRingBuilder#build()} concluded it: checked, with
 * defaults filled in, and copied, so nothing done to the builder afterwards (another listener,
 * another channel) reaches the coordinator built from it.
 */
final class EngineConfig<W, R, F, S> {

    final Delta<W, R, F> delta;
    final Flusher<F, S> flusher;
    final String name;
    final int ringSize;
    /** Channel name to capacity, in configuration order. */
    final Map<String, Integer> channels;
    final Duration flushInterval;
    final long flushThresholdBytes;
    final boolean syncEveryFlush;
    final boolean acceptJournalLoss;
    final ThreadingMode threadingMode;
    final boolean singleProducer;
    final WaitStrategy waitStrategy;
    final Supplier<IdleStrategy> producerIdleStrategy;
    final NanoClock clock;
    /** Null without a journal (and then {@link #codec} is null too). */
    final Journal journal;
    final WriteCodec<W> codec;
    final FlushRetryPolicy retryPolicy;
    final Predicate<Throwable> isTransient;
    final List<FlushListener> listeners;
    final Map<String, EpochRingBuilder.SinkSpec<F>> sinks;
    final ErrorHandler errorHandler;
    /** Null when none was set. */
    final Consumer<String> onThreadStart;

    EngineConfig(EpochRingBuilder<W, R, F, S> b, Map<String, Integer> channels, WaitStrategy waitStrategy, ErrorHandler errorHandler) {
        this.delta = b.delta;
        this.flusher = b.flusher;
        this.name = b.name;
        this.ringSize = b.ringSize;
        this.channels = Collections.unmodifiableMap(new LinkedHashMap<>(channels));
        this.flushInterval = b.flushInterval;
        this.flushThresholdBytes = b.flushThresholdBytes;
        this.syncEveryFlush = b.syncEveryFlush;
        this.acceptJournalLoss = b.acceptJournalLoss;
        this.threadingMode = b.threadingMode;
        this.singleProducer = b.singleProducer;
        this.waitStrategy = waitStrategy;
        this.producerIdleStrategy = b.producerIdleStrategy;
        this.clock = b.clock;
        this.journal = b.journal;
        this.codec = b.codec;
        this.retryPolicy = b.retryPolicy;
        this.isTransient = b.isTransient;
        this.listeners = List.copyOf(b.listeners);
        this.sinks = Collections.unmodifiableMap(new LinkedHashMap<>(b.sinks));
        this.errorHandler = errorHandler;
        this.onThreadStart = b.onThreadStart;
    }
}
