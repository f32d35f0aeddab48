package io.epochring;

import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.WaitStrategy;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Configures an {@link EpochRing}. Setters only record; {@link #build()} checks every field and
 * names the first bad one, then fills the defaults below.
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><td>name</td><td>"epochring" (thread names start with {@code epochring-<name>-})</td></tr>
 *   <tr><td>ring size</td><td>4096 slots</td></tr>
 *   <tr><td>channels</td><td>one, "default", capacity 1024</td></tr>
 *   <tr><td>flush interval / size threshold</td><td>200 ms / 64 MiB</td></tr>
 *   <tr><td>sync every flush</td><td>true (DURABLE follows WRITTEN)</td></tr>
 *   <tr><td>threading</td><td>{@link ThreadingMode#SINGLE_THREAD}</td></tr>
 *   <tr><td>producers</td><td>any number of threads ({@link #singleProducer(boolean)}: one)</td></tr>
 *   <tr><td>consumer wait strategy</td><td>Disruptor's {@link SleepingWaitStrategy}</td></tr>
 *   <tr><td>linger</td><td>5 µs, after fire-and-forget writes only, once caught up or before a run of fewer than 64 ({@link #linger(Duration)})</td></tr>
 *   <tr><td>producer idle strategy</td><td>Agrona backoff: spin, yield, then park up to 100 µs</td></tr>
 *   <tr><td>retries</td><td>{@link FlushRetryPolicy#defaults()} for {@link TransientFlushException}</td></tr>
 *   <tr><td>error handler</td><td>{@link LoggingErrorHandler}: System.Logger {@code "io.epochring"}, repeats counted every 10 s</td></tr>
 * </table>
 *
 * @param <W> the write type
 * @param <R> the apply result type
 * @param <F> the delta read type
 * @param <S> the storage snapshot type
 */
public final class EpochRingBuilder<W, R, F, S> {

    /** The longest flush interval: the clock counts nanoseconds in a {@code long}. */
    static final Duration MAX_FLUSH_INTERVAL = Duration.ofNanos(Long.MAX_VALUE);

    final Delta<W, R, F> delta;
    final Flusher<F, S> flusher;
    String name = "epochring";
    int ringSize = 4096;
    final Map<String, Integer> channels = new LinkedHashMap<>();
    Duration flushInterval = Duration.ofMillis(200);
    long flushThresholdBytes = 64L << 20;
    boolean syncEveryFlush = true;
    boolean acceptJournalLoss;
    ThreadingMode threadingMode = ThreadingMode.SINGLE_THREAD;
    boolean singleProducer;
    WaitStrategy waitStrategy;
    Duration linger = LingeringWaitStrategy.DEFAULT_LINGER;
    Supplier<IdleStrategy> producerIdleStrategy = () -> new BackoffIdleStrategy(64, 64, 1_000, 100_000);
    NanoClock clock = SystemNanoClock.INSTANCE;
    Journal journal;
    WriteCodec<W> codec;
    FlushRetryPolicy retryPolicy = FlushRetryPolicy.defaults();
    Predicate<Throwable> isTransient = e -> e instanceof TransientFlushException;
    final List<FlushListener> listeners = new ArrayList<>();
    final Map<String, SinkSpec<F>> sinks = new LinkedHashMap<>();
    ErrorHandler errorHandler;
    Consumer<String> onThreadStart;
    private final List<String> problems = new ArrayList<>();
    private boolean built;

    EpochRingBuilder(Delta<W, R, F> delta, Flusher<F, S> flusher) {
        this.delta = delta;
        this.flusher = flusher;
    }

    /** Names the coordinator's threads: {@code epochring-<name>-<role>}. */
    public EpochRingBuilder<W, R, F, S> name(String name) {
        this.name = name;
        return this;
    }

    /** Ring slots, a power of two. Bounds writes in flight across all channels. */
    public EpochRingBuilder<W, R, F, S> ringSize(int ringSize) {
        this.ringSize = ringSize;
        return this;
    }

    /** Adds a named channel admitting at most {@code capacity} writes not yet applied. */
    public EpochRingBuilder<W, R, F, S> channel(String name, int capacity) {
        if (name != null && channels.containsKey(name)) {
            problems.add("channel '" + name + "' is configured twice: channel names must be unique");
        }
        channels.put(name, capacity);
        return this;
    }

    /** Cuts a flush when this long has passed since the last one (and something was applied). */
    public EpochRingBuilder<W, R, F, S> flushInterval(Duration flushInterval) {
        this.flushInterval = flushInterval;
        return this;
    }

    /** Cuts a flush when the delta's estimated size reaches this many bytes. */
    public EpochRingBuilder<W, R, F, S> flushThresholdBytes(long flushThresholdBytes) {
        this.flushThresholdBytes = flushThresholdBytes;
        return this;
    }

    /** Whether every flush also syncs storage (and advances DURABLE), or only {@code flush(true)}. */
    public EpochRingBuilder<W, R, F, S> syncEveryFlush(boolean syncEveryFlush) {
        this.syncEveryFlush = syncEveryFlush;
        return this;
    }

    public EpochRingBuilder<W, R, F, S> threadingMode(ThreadingMode threadingMode) {
        this.threadingMode = threadingMode;
        return this;
    }

    /**
     * Whether every write comes from one thread (one event loop feeding the coordinator, say). The
     * ring then claims slots without atomic instructions (Disruptor's single-producer sequencer),
     * and flush, pause, resume, stop and timer ticks, from any thread, reach the ring thread through
     * a queue beside the ring instead of taking slots. A command still covers every write published
     * before it was called, and a write published after it returned comes after it.
     *
     * <p>The producer is the first thread that writes, for the coordinator's life; a write from any
     * other thread is refused with {@link ProducerThreadException} before anything is claimed, so
     * the ring is never corrupted and nothing accepted is lost. Needs
     * {@link ThreadingMode#SINGLE_THREAD}, the default: commands run between slots on the one
     * thread that runs every stage. Off by default.
     */
    public EpochRingBuilder<W, R, F, S> singleProducer(boolean singleProducer) {
        this.singleProducer = singleProducer;
        return this;
    }

    /** How ring consumer threads wait for work (Disruptor's strategies: blocking, sleeping, yielding, busy-spin). */
    public EpochRingBuilder<W, R, F, S> waitStrategy(WaitStrategy waitStrategy) {
        this.waitStrategy = waitStrategy;
        return this;
    }

    /**
     * How long the ring thread keeps off the ring after a batch of fire-and-forget writes
     * ({@link Channel#publish}, {@link Channel#tryPublish} and their batch forms) when it has caught
     * up with the producers or finds fewer than 64 writes ready (a quarter of the ring or half the
     * smallest channel, when that is less), before it takes them or waits for the next write with
     * the {@link #waitStrategy wait strategy}; 5 µs by default, zero for none. Writes published
     * meanwhile are taken as one batch, so a producer writing back to back no longer meets the ring
     * thread on every slot: in the same benchmark runs on a 2-vCPU VM, one producer's single writes
     * ran at 38 to 47 M/s (medians, either ring) with a linger of 5 µs and at 10 to 22 M/s without one.
     *
     * <p>After a batch that held a write or a flush with a handle ({@link Channel#write},
     * {@link EpochRing#flush}) the ring thread does not linger: its caller may be waiting on that
     * handle and about to write again, so a thread that writes, awaits and writes again pays nothing
     * for the linger. What pays is a write that comes within the linger after a batch of
     * fire-and-forget writes, or reaches the ring while fewer than that run of 64 is ahead of the
     * ring thread: it waits up to the linger (one after a longer gap does not). Commands in the ring
     * wait the same way (and count towards the run), except in a
     * {@link #singleProducer(boolean) single-producer} ring, where a queued command (flush, pause,
     * resume, stop) ends the linger at once. Zero suits a caller who publishes fire-and-forget and
     * then watches a watermark or a view for each write.
     *
     * @param linger from zero to 1 ms; a few microseconds is what batches writes
     */
    public EpochRingBuilder<W, R, F, S> linger(Duration linger) {
        this.linger = linger;
        return this;
    }

    /** How producers wait for space in a full channel; one strategy instance per waiting call. */
    public EpochRingBuilder<W, R, F, S> producerIdleStrategy(Supplier<IdleStrategy> producerIdleStrategy) {
        this.producerIdleStrategy = producerIdleStrategy;
        return this;
    }

    /**
     * The clock for flush timing, the default error handler's interval and the rate of backpressure
     * events; inject a controllable one in tests.
     */
    public EpochRingBuilder<W, R, F, S> clock(NanoClock clock) {
        this.clock = clock;
        return this;
    }

    /**
     * Journals every write (enabling JOURNALED and recovery at start). The coordinator closes it at
     * stop. At start the journal is told the codec's {@link WriteCodec#name() name} and
     * {@link WriteCodec#version() version}, and refuses a codec other than the one that wrote it.
     */
    public EpochRingBuilder<W, R, F, S> journal(Journal journal, WriteCodec<W> codec) {
        this.journal = journal;
        this.codec = codec;
        if (journal == null || codec == null) {
            problems.add("journal and codec must both be non-null (journal=" + journal + ", codec=" + codec + ")");
        } else {
            String name = codec.name();
            if (name == null || name.isBlank()) {
                problems.add("codec " + codec.getClass().getName() + " has a blank name(): give it a stable one");
            }
            if (codec.version() < 1) {
                problems.add("codec " + name + " has version() " + codec.version() + ": versions start at 1");
            }
        }
        return this;
    }

    /**
     * Whether {@code start()} may recover over records the journal is known to have lost (off by
     * default: it refuses). The journal lost records when they end below what its end marker, its
     * newest checkpoint or a target's position says was journaled: a deleted, truncated or zeroed
     * file (move a damaged file aside first), or a tail lost in a power cut before it was synced.
     * With this on, recovery replays what is left, new epochs continue after the highest epoch
     * anything recorded, the journal records the loss so the next start does not refuse it again,
     * and {@link RecoveryReport#loss()} says how many writes were lost.
     */
    public EpochRingBuilder<W, R, F, S> acceptJournalLoss(boolean acceptJournalLoss) {
        this.acceptJournalLoss = acceptJournalLoss;
        return this;
    }

    public EpochRingBuilder<W, R, F, S> retryPolicy(FlushRetryPolicy retryPolicy) {
        this.retryPolicy = retryPolicy;
        return this;
    }

    /** Decides which flusher errors are transient (retried); by default {@link TransientFlushException}. */
    public EpochRingBuilder<W, R, F, S> transientErrors(Predicate<Throwable> isTransient) {
        this.isTransient = isTransient;
        return this;
    }

    public EpochRingBuilder<W, R, F, S> listener(FlushListener listener) {
        if (listener == null) {
            problems.add("listener must not be null");
        }
        listeners.add(listener);
        return this;
    }

    /**
     * Adds a secondary sink fed every frozen delta after the primary flusher accepted it, on its
     * own thread and queue.
     */
    public EpochRingBuilder<W, R, F, S> sink(String name, Sink<F> sink, SinkOptions options) {
        if (name == null || sink == null || options == null) {
            problems.add("sink name, sink and options must not be null (sink '" + name + "')");
        } else if (sinks.containsKey(name)) {
            problems.add("sink '" + name + "' is configured twice: sink names must be unique");
        } else if (options.problem(name) != null) {
            problems.add(options.problem(name));
        }
        sinks.put(name, new SinkSpec<>(sink, options));
        return this;
    }

    /**
     * Receives errors that belong to no handle (a fire-and-forget write's apply error, a listener's
     * throw) and the coordinator's first fault. It is called on the coordinator's threads, must
     * return quickly and must not throw. By default a {@link LoggingErrorHandler}: each distinct
     * error logged once with its stack trace, its repeats counted and logged every 10 s, through
     * {@link System.Logger} {@code "io.epochring"}.
     */
    public EpochRingBuilder<W, R, F, S> errorHandler(ErrorHandler errorHandler) {
        this.errorHandler = errorHandler;
        return this;
    }

    /**
     * Runs first on each of the coordinator's threads, with the thread's role: {@code pipeline}
     * (the ring thread in {@link ThreadingMode#SINGLE_THREAD}), {@code sequence}, {@code apply},
     * {@code journal} and {@code publish} (one ring thread per stage otherwise), {@code flush},
     * {@code sink-<name>}, {@code ring-allocation}. The thread is named
     * {@code epochring-<name>-<role>}. For what only the thread itself can do: pin it to a core
     * (a ring thread and its producer on cores of their own keep a ping-pong's tail off the
     * scheduler), raise its priority, register it with a profiler. A throw fails the coordinator
     * with {@link StageFailedException} naming the thread, and the thread then does its work as
     * usual, so nothing waits on a thread that never began.
     */
    public EpochRingBuilder<W, R, F, S> onThreadStart(Consumer<String> onThreadStart) {
        this.onThreadStart = onThreadStart;
        return this;
    }

    /**
     * Applies settings from properties; keys under {@code epochring.} must all be known, keys under
     * other prefixes are ignored (so one file can also hold {@code journal.*} keys). Every value is
     * checked before any is applied: on an error the builder is unchanged. Settings made in code
     * after this call override the properties; objects (delta, flusher, codec, listeners, clock)
     * stay code.
     *
     * <table>
     *   <caption>Keys</caption>
     *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
     *   <tr><td>{@code epochring.name}</td><td>epochring</td><td>thread names start with {@code epochring-<name>-}</td></tr>
     *   <tr><td>{@code epochring.ring.size}</td><td>4096</td><td>ring slots, a power of two</td></tr>
     *   <tr><td>{@code epochring.flush.interval}</td><td>200ms</td><td>cut a flush this long after the last one
     *       (like Kafka's {@code linger.ms}); a plain number is milliseconds</td></tr>
     *   <tr><td>{@code epochring.flush.bytes}</td><td>64MiB</td><td>cut a flush when the delta reaches this size;
     *       a plain number is bytes</td></tr>
     *   <tr><td>{@code epochring.flush.sync}</td><td>true</td><td>every flush also syncs storage (DURABLE follows
     *       WRITTEN)</td></tr>
     *   <tr><td>{@code epochring.threading}</td><td>single</td><td>{@code single} (one consumer thread) or
     *       {@code per-stage} (one thread per stage)</td></tr>
     *   <tr><td>{@code epochring.wait.strategy}</td><td>sleeping</td><td>how consumer threads wait: {@code blocking},
     *       {@code sleeping}, {@code yielding} or {@code busy-spin} (Disruptor's strategies)</td></tr>
     *   <tr><td>{@code epochring.linger}</td><td>5us</td><td>see {@link #linger(Duration)}; {@code 0} for none; a
     *       plain number is microseconds</td></tr>
     *   <tr><td>{@code epochring.single-producer}</td><td>false</td><td>see {@link #singleProducer(boolean)}</td></tr>
     *   <tr><td>{@code epochring.channel.<name>.capacity}</td><td>one channel, default, 1024</td><td>adds a channel
     *       admitting this many writes not yet applied; channels are added sorted by name (properties have no order)</td></tr>
     *   <tr><td>{@code epochring.recovery.accept-journal-loss}</td><td>false</td><td>see
     *       {@link #acceptJournalLoss(boolean)}</td></tr>
     * </table>
     *
     * <p>Durations take {@code ns, us, ms, s, m, h, d} ({@code 200ms}, {@code 2s}); sizes take
     * {@code B, KiB, MiB, GiB, TiB} ({@code 64MiB}); names are case-insensitive.
     *
     * @throws IllegalArgumentException naming the key, the value and what is allowed, for an unknown
     *                                  key under {@code epochring.} or a bad value
     */
    public EpochRingBuilder<W, R, F, S> properties(Map<String, String> properties) {
        EngineProperties.read(properties).applyTo(this);
        return this;
    }

    /** Applies settings from {@link Properties} (their defaults included); see {@link #properties(Map)}. */
    public EpochRingBuilder<W, R, F, S> properties(Properties properties) {
        return properties(PropertyReader.toMap(properties));
    }

    /**
     * Checks the configuration and builds a coordinator that is not started yet. The coordinator
     * keeps a copy of the configuration: changing this builder afterwards does not reach it. A
     * builder builds one coordinator (a second would share the first one's delta and flusher).
     *
     * @throws IllegalArgumentException naming the first bad field and what it must be
     */
    public EpochRing<W, R, F, S> build() {
        require(problems.isEmpty(), problems.isEmpty() ? "" : problems.get(0));
        require(delta != null, "delta must not be null");
        require(flusher != null, "flusher must not be null");
        require(name != null && !name.isBlank(), "name must not be blank");
        require(ringSize >= 2 && Integer.bitCount(ringSize) == 1, "ringSize must be a power of two >= 2, was " + ringSize);
        for (Map.Entry<String, Integer> channel : channels.entrySet()) {
            require(channel.getKey() != null && !channel.getKey().isBlank(), "channel name must not be blank");
            require(channel.getValue() > 0, "channel '" + channel.getKey() + "' capacity must be > 0, was " + channel.getValue());
        }
        require(flushInterval != null && !flushInterval.isNegative() && !flushInterval.isZero(),
                "flushInterval must be > 0, was " + flushInterval);
        require(flushInterval == null || flushInterval.compareTo(MAX_FLUSH_INTERVAL) <= 0,
                "flushInterval must be at most " + MAX_FLUSH_INTERVAL.toDays() + " days (" + Long.MAX_VALUE
                + " ns, the clock's range), was " + flushInterval);
        require(flushThresholdBytes > 0, "flushThresholdBytes must be > 0, was " + flushThresholdBytes);
        require(threadingMode != null, "threadingMode must not be null");
        require(!singleProducer || threadingMode == ThreadingMode.SINGLE_THREAD,
                "singleProducer(true) runs commands between slots on the ring's one thread: it needs threadingMode(SINGLE_THREAD), was "
                + threadingMode);
        require(linger != null, "linger must not be null (Duration.ZERO for none)");
        require(!linger.isNegative() && linger.compareTo(LingeringWaitStrategy.MAX_LINGER) <= 0,
                "linger must be from 0 to 1 ms (a few microseconds batches writes), was " + linger);
        require(producerIdleStrategy != null, "producerIdleStrategy must not be null");
        require(clock != null, "clock must not be null");
        require(retryPolicy != null, "retryPolicy must not be null");
        require(isTransient != null, "transientErrors must not be null");
        if (built) {
            throw new IllegalStateException("this builder already built a coordinator, which owns its delta, flusher and journal: use a new builder for another");
        }
        built = true;
        Map<String, Integer> concludedChannels = channels.isEmpty() ? Map.of("default", 1024) : channels;
        WaitStrategy concludedWait = concludedWaitStrategy(concludedChannels);
        ErrorHandler concludedErrors = errorHandler != null ? errorHandler
                                       : new LoggingErrorHandler(System.getLogger(LoggingErrorHandler.LOGGER_NAME), "epochring-" + name + ": ",
                                                                 LoggingErrorHandler.DEFAULT_INTERVAL, clock);
        return new EpochRing<>(new Conductor<>(new EngineConfig<>(this, concludedChannels, concludedWait, concludedErrors)));
    }

    /** The ring's wait strategy for these channels: the configured one (sleeping if none), behind the linger unless it is zero. */
    WaitStrategy concludedWaitStrategy(Map<String, Integer> concludedChannels) {
        WaitStrategy configured = waitStrategy != null ? waitStrategy : new SleepingWaitStrategy();
        if (linger.isZero()) {
            return configured;
        }
        int smallestCapacity = concludedChannels.values().stream().mapToInt(Integer::intValue).min().orElseThrow();
        return new LingeringWaitStrategy(configured, linger, LingeringWaitStrategy.minBatch(ringSize, smallestCapacity), SystemNanoClock.INSTANCE);
    }

    /** A configured sink. */
    record SinkSpec<F>(Sink<F> sink, SinkOptions options) {
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("bad EpochRing configuration: " + message);
        }
    }
}
