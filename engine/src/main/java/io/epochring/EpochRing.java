package io.epochring;

import com.lmax.disruptor.RingBuffer;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The write coordinator: takes writes from any number of threads through named {@link Channel}s,
 * orders them into one sequence of epochs, applies them to a {@link Delta}, optionally journals
 * them, and flushes frozen deltas to a {@link Flusher} in the background. See {@code package-info}
 * for the pipeline.
 *
 * <pre>{@code
 * EpochRing<Put, Long, Segment, Snapshot> ring = EpochRing.builder(delta, flusher)
 *     .channel("orders", 4096).channel("audit", 256)
 *     .build().start();
 * WriteHandle<Long> h = ring.channel("orders").write(put);
 * h.await(DurabilityLevel.DURABLE);
 * ring.close();
 * }</pre>
 *
 * <p>Lifecycle: {@link #start()} once (recovering from the journal if there is one);
 * {@link #stop()} flushes and syncs what is pending, stops every thread, and reports a terminal
 * flush failure; every call after that is refused with {@link ShutdownException}.
 *
 * @param <W> the write type
 * @param <R> the apply result type
 * @param <F> the delta read type
 * @param <S> the storage snapshot type
 */
public final class EpochRing<W, R, F, S> implements AutoCloseable {

    private enum State { NEW, RUNNING, STOPPING, STOPPED }

    private final EpochRingBuilder<W, R, F, S> config;
    private final Watermarks watermarks;
    private final Map<String, Channel<W, R>> channels = new LinkedHashMap<>();
    private final NamedThreadFactory threads;
    private final Object lifecycle = new Object();

    private volatile State state = State.NEW;
    private volatile FlushFailedException failure;
    private RecoveryReport recovery = RecoveryReport.NONE;
    private volatile Pipeline<W, R, F, S> pipeline;

    EpochRing(EpochRingBuilder<W, R, F, S> config) {
        this.config = config;
        this.watermarks = new Watermarks(config.journal != null);
        this.threads = new NamedThreadFactory("epochring-" + config.name);
        int id = 0;
        for (Map.Entry<String, Integer> channel : config.channels.entrySet()) {
            channels.put(channel.getKey(), new Channel<>(channel.getKey(), id++, channel.getValue(), this, config.producerIdleStrategy));
        }
    }

    /**
     * @return a builder for a coordinator applying writes to {@code delta} and flushing to {@code flusher}
     */
    public static <W, R, F, S> EpochRingBuilder<W, R, F, S> builder(Delta<W, R, F> delta, Flusher<F, S> flusher) {
        return new EpochRingBuilder<>(delta, flusher);
    }

    /**
     * Recovers from the journal (if any), then starts the ring and flush threads. Call once.
     *
     * @return this coordinator
     * @throws IllegalStateException       when already started or stopped
     * @throws JournalCorruptedException when the journal cannot be replayed
     * @throws RecoveryFailedException   when a journaled write fails to apply again, or storage or a
     *                                   sink holds a position the journal contradicts
     */
    public EpochRing<W, R, F, S> start() {
        synchronized (lifecycle) {
            if (state != State.NEW) {
                throw new IllegalStateException("start() may be called once; this coordinator is " + state.name().toLowerCase());
            }
            try {
                JournalRecovery.Recovered recovered = new JournalRecovery<>(config.journal, config.codec, config.delta, config.flusher,
                                                                            config.sinks, config.syncEveryFlush).run();
                recovery = recovered.report();
                pipeline = new Pipeline<>(this, config, watermarks, channels.values().toArray(new Channel<?, ?>[0]), recovered, threads);
            } catch (RuntimeException e) {
                state = State.STOPPED;
                threads.interruptAndJoin();
                if (config.journal != null) {
                    config.journal.close();
                }
                throw e;
            }
            state = State.RUNNING;
            channels.values().forEach(Channel::open);
            return this;
        }
    }

    /**
     * @throws IllegalArgumentException naming the configured channels when {@code name} is not one
     */
    public Channel<W, R> channel(String name) {
        Channel<W, R> channel = channels.get(name);
        if (channel == null) {
            throw new IllegalArgumentException("unknown channel '" + name + "': configured channels are " + channels.keySet());
        }
        return channel;
    }

    /** @return every channel, in configuration order */
    public List<Channel<W, R>> channels() {
        return List.copyOf(channels.values());
    }

    /** Same as {@code flush(false)}. */
    public WriteHandle<EpochRange> flush() {
        return flush(false);
    }

    /**
     * Freezes everything applied so far and hands it to the flush thread. The handle's epoch is
     * the last write covered and its result the epochs frozen (empty when nothing was new, in which
     * case nothing is flushed); wait for WRITTEN or DURABLE on it.
     *
     * @param sync also sync storage afterwards (advancing DURABLE), even when nothing was new
     */
    public WriteHandle<EpochRange> flush(boolean sync) {
        synchronized (lifecycle) {
            requireRunning();
            WriteHandle<EpochRange> handle = WriteHandle.forFlush(watermarks);
            pipeline.ringBuffer().publishEvent(Slot.FLUSH_TRANSLATOR, handle, sync);
            return handle;
        }
    }

    /** @return the level's watermark: every epoch up to it has reached the level */
    public long watermark(DurabilityLevel level) {
        return watermarks.of(level).get();
    }

    /**
     * Waits until the level's watermark reaches {@code epoch}.
     *
     * @return false when the timeout passed first
     * @throws FlushFailedException when a terminal flush failure means it never will
     */
    public boolean awaitWatermark(DurabilityLevel level, long epoch, Duration timeout) {
        return watermarks.of(level).await(epoch, WriteHandle.deadline(timeout));
    }

    /** @return what readers see now: live delta, frozen deltas newest first, storage snapshot */
    public View<F, S> view() {
        return started().views().current();
    }

    /** @return a stream of views, starting with the current one */
    public ViewSubscription<F, S> subscribe() {
        return started().views().subscribe();
    }

    /** @return watermarks and flush counters now */
    public CoordinatorStats stats() {
        return started().stats();
    }

    /** @return each secondary sink's health and counters, in configuration order */
    public List<SinkStatus> sinks() {
        return started().sinkStatus();
    }

    /** @return what {@link #start()} recovered from the journal */
    public RecoveryReport recovery() {
        return recovery;
    }

    /** @return the terminal flush failure that stopped this coordinator accepting writes, if any */
    public Optional<FlushFailedException> failure() {
        return Optional.ofNullable(failure);
    }

    /** How long {@link #stop()} and {@link #close()} wait: longer than the default retry window. */
    public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofMinutes(2);

    /** Same as {@code stop(DEFAULT_STOP_TIMEOUT)}. */
    public void stop() {
        stop(DEFAULT_STOP_TIMEOUT);
    }

    /**
     * Stops accepting writes, fails writes held by paused channels, applies and flushes (with a
     * sync) every accepted write, stops every thread, and closes the journal. Idempotent. Always
     * returns by about {@code timeout}: past it, the ring is halted, threads still busy (a wedged
     * flusher, say) are interrupted and left behind, the journal is closed, and this throws.
     *
     * @throws FlushFailedException when the coordinator failed (now or earlier) to flush accepted writes
     * @throws EpochRingException   when stopping took longer than {@code timeout}, naming what did
     *                              not finish and the epochs not flushed (journaled ones are recovered)
     */
    public void stop(Duration timeout) {
        long deadline = WriteHandle.deadline(timeout);
        // The whole stop holds the lifecycle lock: a concurrent stop() waits and then returns, and
        // flush()/pause()/resume() racing with it are refused instead of landing after the last flush.
        // No pipeline thread takes this lock, so the pipeline drains while it is held.
        synchronized (lifecycle) {
            String late = null;
            if (state == State.RUNNING) {
                state = State.STOPPING;
                channels.values().forEach(Channel::close);
                try {
                    late = pipeline.drainAndStop(channels.values(), watermarks, this, deadline);
                } finally {
                    if (config.journal != null) {
                        config.journal.close();
                    }
                }
            } else if (state == State.NEW && config.journal != null) {
                config.journal.close();
            }
            state = State.STOPPED;
            throwIfFailed();
            if (late != null) {
                throw new EpochRingException("stop() did not finish within " + timeout + ": " + late + ". Epochs "
                                             + (watermarks.get(DurabilityLevel.WRITTEN) + 1) + ".." + watermarks.get(DurabilityLevel.APPLIED)
                                             + " were not flushed" + (config.journal == null ? " and are lost"
                                                                      : "; those journaled come back when the journal is reopened"));
            }
        }
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return "EpochRing[" + config.name + ", " + state.name().toLowerCase() + "]";
    }

    // ---- for channels and the flush thread ---------------------------------------------------

    Watermarks watermarks() {
        return watermarks;
    }

    RingBuffer<Slot> ringBuffer() {
        return pipeline.ringBuffer();
    }

    void channelCommand(byte kind, Channel<?, ?> channel) {
        synchronized (lifecycle) {
            requireRunning();
            pipeline.ringBuffer().publishEvent(Slot.CHANNEL_COMMAND_TRANSLATOR, kind, channel);
        }
    }

    void requestTick() {
        pipeline.requestTick();
    }

    FlushFailedException failureCause() {
        return failure;
    }

    /**
     * Any thread: the first fault (a flush that failed for good, a journal append or commit, an
     * Error from the delta, a sink or a stage). Refuse writes from now on; fail waiters above
     * JOURNALED, WRITTEN and DURABLE; tell listeners. Only the first failure counts.
     */
    synchronized void fail(FlushFailedException error) {
        if (failure != null) {
            return;
        }
        failure = error;
        channels.values().forEach(Channel::close);
        config.errorHandler.onError(error);
        // Listeners hear first, so a waiter woken by the failure knows they have been told.
        pipeline.terminalFailure(error);
        if (config.journal != null) {
            watermarks.journal().fail(error); // nothing is committed after a failure: JOURNALED waiters above it get the cause
        }
        watermarks.written().fail(error);
        watermarks.durable().fail(error);
    }

    /** @return the error for a write or command the coordinator cannot take now */
    RejectedWriteException refusal(Object write) {
        FlushFailedException cause = failure;
        if (cause != null) {
            return new CoordinatorFailedException(cause, write);
        }
        switch (state) {
            case NEW:
                return new ShutdownException("the coordinator is not started: call start() before writing", write);
            case RUNNING:
                return new ShutdownException("the coordinator is running but the channel is closed", write);
            default:
                return new ShutdownException("the coordinator is " + state.name().toLowerCase()
                                             + " and accepts no more writes or flushes: start a new one", write);
        }
    }

    private void requireRunning() {
        if (state != State.RUNNING || failure != null) {
            throw refusal(null);
        }
    }

    private Pipeline<W, R, F, S> started() {
        Pipeline<W, R, F, S> p = pipeline;
        if (p == null) {
            throw new IllegalStateException("the coordinator is not started: call start() first");
        }
        return p;
    }

    private void throwIfFailed() {
        if (failure != null) {
            throw failure;
        }
    }
}
