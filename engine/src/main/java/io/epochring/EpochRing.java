package io.epochring;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

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

    /** How long {@link #stop()} and {@link #close()} wait: longer than the default retry window. */
    public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofMinutes(2);

    private final Conductor<W, R, F, S> conductor;

    EpochRing(Conductor<W, R, F, S> conductor) {
        this.conductor = conductor;
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
     * @throws IllegalStateException     when already started or stopped
     * @throws CodecMismatchException   when the journal was written with another codec, or holds
     *                                   records but does not know their codec; nothing was replayed
     * @throws JournalCorruptedException when the journal cannot be replayed
     * @throws RecoveryFailedException   when a journaled write fails to apply again, or storage or a
     *                                   sink holds a position the journal contradicts
     */
    public EpochRing<W, R, F, S> start() {
        conductor.start();
        return this;
    }

    /** @return the name given to {@link EpochRingBuilder#name}: it starts thread names, log lines and JFR events */
    public String name() {
        return conductor.config.name;
    }

    /** @return the levels this coordinator reports: all four with a journal, all but JOURNALED without one */
    public Set<DurabilityLevel> levels() {
        return Collections.unmodifiableSet(conductor.config.journal != null ? EnumSet.allOf(DurabilityLevel.class)
                                                                            : EnumSet.complementOf(EnumSet.of(DurabilityLevel.JOURNALED)));
    }

    /**
     * @throws IllegalArgumentException naming the configured channels when {@code name} is not one
     */
    public Channel<W, R> channel(String name) {
        return conductor.channel(name);
    }

    /** @return every channel, in configuration order */
    public List<Channel<W, R>> channels() {
        return List.copyOf(conductor.channels());
    }

    /** Same as {@code flush(false)}. */
    public WriteHandle<EpochRange> flush() {
        return flush(false);
    }

    /**
     * Freezes everything applied so far and hands it to the flush thread. The handle's epoch is
     * the last write covered and its result the epochs frozen (empty when nothing was new, in which
     * case nothing is flushed); wait for WRITTEN or DURABLE on it. When the ring is full (a slow
     * flusher or required sink pushing back) this waits for a slot, like a blocking write.
     *
     * @param sync also sync storage afterwards (advancing DURABLE), even when nothing was new
     * @throws ShutdownException          when the coordinator is not running, or stop() came while waiting
     * @throws CoordinatorFailedException when the coordinator failed, before or while waiting
     */
    public WriteHandle<EpochRange> flush(boolean sync) {
        return conductor.flush(sync);
    }

    /** @return the level's watermark: every epoch up to it has reached the level */
    public long watermark(DurabilityLevel level) {
        return conductor.watermarks().of(level).get();
    }

    /**
     * Waits until the level's watermark reaches {@code epoch}.
     *
     * @return false when the timeout passed first
     * @throws CoordinatorFaultException when the coordinator failed and the level never will
     */
    public boolean awaitWatermark(DurabilityLevel level, long epoch, Duration timeout) {
        return conductor.watermarks().of(level).await(epoch, WriteHandle.deadline(timeout));
    }

    /** @return what readers see now: live delta, frozen deltas newest first, storage snapshot */
    public View<F, S> view() {
        return conductor.started().views().current();
    }

    /** @return a stream of views, starting with the current one */
    public ViewSubscription<F, S> subscribe() {
        return conductor.started().views().subscribe();
    }

    /** @return watermarks and flush counters now */
    public CoordinatorStats stats() {
        return conductor.started().stats();
    }

    /** @return each secondary sink's health and counters, in configuration order */
    public List<SinkStatus> sinks() {
        return conductor.started().sinkStatus();
    }

    /** @return what {@link #start()} recovered from the journal */
    public RecoveryReport recovery() {
        return conductor.recovery();
    }

    /** @return the first fault, which stopped this coordinator taking writes, if there was one */
    public Optional<CoordinatorFaultException> failure() {
        return Optional.ofNullable(conductor.failureCause());
    }

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
     * @throws CoordinatorFaultException when the coordinator failed (now or earlier)
     * @throws EpochRingException        when stopping took longer than {@code timeout}, naming what
     *                                   did not finish and the epochs not flushed (journaled ones are
     *                                   recovered)
     */
    public void stop(Duration timeout) {
        conductor.stop(timeout);
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return conductor.toString();
    }
}
