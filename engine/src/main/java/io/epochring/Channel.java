package io.epochring;

import com.lmax.disruptor.EventTranslatorOneArg;
import com.lmax.disruptor.EventTranslatorTwoArg;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NanoClock;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A named entry into the coordinator's single epoch sequence, with its own capacity: at most
 * {@code capacity} writes may be accepted and not yet applied. Writes of one channel apply in the
 * order they were accepted; channels share the ring and the epoch sequence. Thread-safe: any
 * number of producers may write to one channel (unless the coordinator has a single producer).
 *
 * <p>Batches ({@link #tryPublishAll}, {@link #publishAll}, {@link #tryWriteAll}, {@link #writeAll})
 * are accepted whole or not at all, with one permit claim and one claim of their ring slots, and
 * take consecutive epochs.
 *
 * <p>A coordinator built with {@link EpochRingBuilder#singleProducer(boolean) singleProducer(true)}
 * takes writes from one thread only, across all its channels: any other thread's write is refused
 * with {@link ProducerThreadException}.
 *
 * <p>Four ways to write, by what happens when the channel is full:
 * <ul>
 *   <li>{@link #tryPublish} - fire and forget: returns false, allocates nothing;</li>
 *   <li>{@link #tryWrite} - throws {@link BackpressureException} at once, handing the write back;</li>
 *   <li>{@link #write(Object, Duration)} - waits up to a timeout, then {@link WriteTimeoutException};</li>
 *   <li>{@link #write(Object)} - waits for space as long as it takes.</li>
 * </ul>
 *
 * @param <W> the write type
 * @param <R> the apply result type
 */
public final class Channel<W, R> {

    /** Set in {@link #claimed} when the channel accepts no more writes (stop, failure). */
    private static final long CLOSED = 1L << 62;
    /** At most one backpressure event per channel per this interval (see {@link EngineEvents.Backpressure}). */
    static final long BACKPRESSURE_EVENT_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final String name;
    private final int id;
    private final int capacity;
    private final Conductor<?, ?, ?, ?> coordinator;
    private final Supplier<IdleStrategy> idleStrategies;
    /** Only one thread may write (to any channel of the coordinator): see {@link EpochRingBuilder#singleProducer}. */
    private final boolean singleProducer;

    /** Permits taken by producers (writes accepted), plus the CLOSED bit. CAS by producers. */
    private final Sequence claimed = new Sequence(0);
    /** Permits given back by the apply stage (writes applied, cancelled or failed). Single writer. */
    private final Sequence released = new Sequence(0);
    /**
     * Producers' last read of {@link #released}: checking capacity against it avoids touching the
     * consumer's hot cache line on every write (the Disruptor's gating-sequence cache, per channel).
     */
    private final Sequence releasedCache = new Sequence(0);
    /** Writes given back without being applied (cancelled, failed at stop). Rare; applied = released - dropped. */
    private final Sequence dropped = new Sequence(0);
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong cancelled = new AtomicLong();
    private final AtomicLong maxDepth = new AtomicLong();
    /** Refusals not yet in a backpressure event; counted only while a recording wants the event. */
    private final AtomicLong unreportedRefusals = new AtomicLong();
    private final AtomicLong lastBackpressureEvent;
    private final NanoClock clock;
    /** This channel's batch translators, made once: a batch publish allocates nothing for them. */
    private final EventTranslatorOneArg<Slot, Object> batchWrite = (slot, sequence, write) -> Slot.WRITE_TRANSLATOR.translateTo(slot, sequence, this, write, null);
    private final EventTranslatorTwoArg<Slot, Object, WriteHandle<?>> batchWriteWithHandle =
        (slot, sequence, write, handle) -> Slot.WRITE_TRANSLATOR.translateTo(slot, sequence, this, write, handle);

    Channel(String name, int id, int capacity, Conductor<?, ?, ?, ?> coordinator, Supplier<IdleStrategy> idleStrategies) {
        this.name = name;
        this.id = id;
        this.capacity = capacity;
        this.coordinator = coordinator;
        this.idleStrategies = idleStrategies;
        this.singleProducer = coordinator.config.singleProducer;
        this.clock = coordinator.config.clock;
        // An interval ago, so the first refusal is recorded at once.
        this.lastBackpressureEvent = new AtomicLong(clock.nanoTime() - BACKPRESSURE_EVENT_INTERVAL_NANOS);
        claimed.set(CLOSED);
    }

    public String name() {
        return name;
    }

    public int capacity() {
        return capacity;
    }

    /**
     * Fire and forget: accepts the write if there is space, without a handle and without
     * allocating. Apply errors go to the coordinator's error handler.
     *
     * @return false when the channel or ring is full (counted as rejected)
     * @throws ShutdownException           when the coordinator is not running
     * @throws CoordinatorFailedException when the coordinator failed
     */
    public boolean tryPublish(W write) {
        requireWrite(write);
        if (!tryClaim(write)) {
            onRefused();
            return false;
        }
        if (!ring().tryPublishEvent(Slot.WRITE_TRANSLATOR, this, write, null)) {
            unclaim();
            onRefused();
            return false;
        }
        return true;
    }

    /**
     * Accepts the write if there is space, else fails at once.
     *
     * @throws BackpressureException when the channel or ring is full; it hands the write back
     */
    public WriteHandle<R> tryWrite(W write) {
        requireWrite(write);
        if (!tryClaim(write)) {
            onRefused();
            throw new BackpressureException(name, capacity, write);
        }
        WriteHandle<R> handle = new WriteHandle<>(coordinator.watermarks(), this);
        if (!ring().tryPublishEvent(Slot.WRITE_TRANSLATOR, this, write, handle)) {
            unclaim();
            onRefused();
            throw BackpressureException.ringFull(name, ring().getBufferSize(), write);
        }
        return handle;
    }

    /**
     * Accepts the write, waiting up to {@code timeout} for space.
     *
     * @throws WriteTimeoutException when no space appeared in time; it hands the write back
     */
    public WriteHandle<R> write(W write, Duration timeout) {
        requireWrite(write);
        Objects.requireNonNull(timeout, "timeout must not be null");
        long deadline = WriteHandle.deadline(timeout);
        if (!claimWithin(write, deadline)) {
            onRefused();
            throw new WriteTimeoutException(name, timeout, write);
        }
        WriteHandle<R> handle = new WriteHandle<>(coordinator.watermarks(), this);
        if (!ring().tryPublishEvent(Slot.WRITE_TRANSLATOR, this, write, handle) && !publishWithin(write, handle, deadline)) {
            onRefused();
            throw new WriteTimeoutException(name, timeout, write);
        }
        return handle;
    }

    /**
     * Accepts the write, waiting as long as it takes for space.
     *
     * @throws ShutdownException          when the coordinator stops while waiting
     * @throws CoordinatorFailedException when the coordinator fails while waiting
     */
    public WriteHandle<R> write(W write) {
        requireWrite(write);
        claimWithin(write, Long.MAX_VALUE);
        WriteHandle<R> handle = new WriteHandle<>(coordinator.watermarks(), this);
        if (!ring().tryPublishEvent(Slot.WRITE_TRANSLATOR, this, write, handle)) {
            publishWithin(write, handle, Long.MAX_VALUE);
        }
        return handle;
    }

    /**
     * Fire and forget, waiting as long as it takes for space. Allocates nothing when there is space.
     *
     * @throws ShutdownException          when the coordinator stops while waiting
     * @throws CoordinatorFailedException when the coordinator fails while waiting
     */
    public void publish(W write) {
        requireWrite(write);
        claimWithin(write, Long.MAX_VALUE);
        if (!ring().tryPublishEvent(Slot.WRITE_TRANSLATOR, this, write, null)) {
            publishWithin(write, null, Long.MAX_VALUE);
        }
    }

    // ---- batches: one permit claim and one claim of n ring slots for n writes -----------------

    /**
     * Fire and forget, all or nothing: accepts {@code writes[from, from + count)} if the channel
     * and the ring have room for every one of them, taking their permits in one step and their
     * ring slots in one claim. They get consecutive epochs, in array order, with no other write
     * between them. Allocates nothing.
     *
     * @return false when there is not room for all of them: none is accepted (all are counted as rejected)
     * @throws IllegalArgumentException when the range is outside the array, or {@code count} is more
     *                                  than the channel's capacity or the ring's size
     * @throws NullPointerException     when one of them is null: none is accepted
     * @throws ShutdownException        when the coordinator is not running
     * @throws CoordinatorFailedException when the coordinator failed
     */
    public boolean tryPublishAll(W[] writes, int from, int count) {
        if (isOneWrite(writes, from, count)) {
            return tryPublish(writes[from]);
        }
        if (requireBatch(writes, from, count) == 0) {
            return true;
        }
        if (!tryClaim(count, writes[from])) {
            onRefused(count);
            return false;
        }
        if (!ring().tryPublishEvents(batchWrite, from, count, writes)) {
            unclaim(count);
            onRefused(count);
            return false;
        }
        return true;
    }

    /**
     * Fire and forget, all or nothing, waiting as long as it takes for room for all of them; as
     * {@link #tryPublishAll} otherwise. Allocates nothing when there is room.
     *
     * @throws ShutdownException          when the coordinator stops while waiting: none is accepted
     * @throws CoordinatorFailedException when the coordinator fails while waiting: none is accepted
     */
    public void publishAll(W[] writes, int from, int count) {
        if (isOneWrite(writes, from, count)) {
            publish(writes[from]);
            return;
        }
        if (requireBatch(writes, from, count) == 0) {
            return;
        }
        claimWithin(count, writes[from], Long.MAX_VALUE);
        if (!ring().tryPublishEvents(batchWrite, from, count, writes)) {
            publishWithin(count, writes[from], Long.MAX_VALUE, () -> ring().tryPublishEvents(batchWrite, from, count, writes));
        }
    }

    /**
     * All or nothing: accepts every write in the list if there is room for all of them, else fails
     * at once; one handle per write, in list order, with consecutive epochs.
     *
     * @throws BackpressureException when the channel or ring lacks room for all of them; it hands the list back
     */
    public List<WriteHandle<R>> tryWriteAll(List<? extends W> writes) {
        return writeAll(writes, false);
    }

    /**
     * All or nothing: accepts every write in the list, waiting as long as it takes for room for
     * all of them; one handle per write, in list order, with consecutive epochs.
     *
     * @throws ShutdownException          when the coordinator stops while waiting: none is accepted
     * @throws CoordinatorFailedException when the coordinator fails while waiting: none is accepted
     */
    public List<WriteHandle<R>> writeAll(List<? extends W> writes) {
        return writeAll(writes, true);
    }

    private List<WriteHandle<R>> writeAll(List<? extends W> writes, boolean wait) {
        Object[] batch = writes.toArray();
        int count = requireBatch(batch, 0, batch.length);
        if (count == 0) {
            return List.of();
        }
        WriteHandle<?>[] handles = handles(count);
        if (wait) {
            claimWithin(count, batch[0], Long.MAX_VALUE);
            if (!ring().tryPublishEvents(batchWriteWithHandle, 0, count, batch, handles)) {
                publishWithin(count, batch[0], Long.MAX_VALUE, () -> ring().tryPublishEvents(batchWriteWithHandle, 0, count, batch, handles));
            }
        } else {
            boolean permitted = tryClaim(count, batch[0]);
            if (!permitted || !ring().tryPublishEvents(batchWriteWithHandle, 0, count, batch, handles)) {
                if (permitted) {
                    unclaim(count);
                }
                onRefused(count);
                throw BackpressureException.batchDoesNotFit(name, capacity, ring().getBufferSize(), count, writes);
            }
        }
        @SuppressWarnings("unchecked")
        List<WriteHandle<R>> accepted = (List<WriteHandle<R>>) (List<?>) List.of(handles);
        return accepted;
    }

    /**
     * Holds this channel's writes from the next one on: they keep their place (and their share of
     * the capacity) but get no epoch and are not applied until {@link #resume()}. Other channels
     * flow on.
     */
    public void pause() {
        coordinator.channelCommand(Slot.PAUSE, this);
    }

    /** Applies the held writes, in order, then lets new ones through. */
    public void resume() {
        coordinator.channelCommand(Slot.RESUME, this);
    }

    /** @return this channel's counters now */
    public ChannelStats stats() {
        long c = claimed.get() & ~CLOSED;
        long r = released.get();
        return new ChannelStats(name, c, r - dropped.get(), rejected.get(), cancelled.get(), c - r, maxDepth.get());
    }

    @Override
    public String toString() {
        return "Channel[" + name + "]";
    }

    // ---- coordinator and stage side --------------------------------------------------------

    int id() {
        return id;
    }

    void open() {
        long c;
        do {
            c = claimed.get();
        } while (!claimed.compareAndSet(c, c & ~CLOSED));
    }

    void close() {
        long c;
        do {
            c = claimed.get();
        } while ((c & CLOSED) == 0 && !claimed.compareAndSet(c, c | CLOSED));
    }

    /** @return writes accepted and not yet given back by the apply stage */
    long depth() {
        return (claimed.get() & ~CLOSED) - released.get();
    }

    /** Apply stage: a write of this channel was applied (successfully or not). */
    void onApplied() {
        released.set(released.get() + 1);
    }

    /** Apply stage: a write of this channel left without being applied (cancelled, shut down). */
    void onDropped() {
        dropped.set(dropped.get() + 1);
        released.set(released.get() + 1);
    }

    void onCancelled() {
        cancelled.incrementAndGet();
    }

    /** Records the refusals not yet in a backpressure event (at stop, so the last ones are not lost). */
    void reportBackpressure() {
        long refused = unreportedRefusals.getAndSet(0);
        if (refused == 0) {
            return;
        }
        EngineEvents.backpressure(coordinator.config.name, name, capacity, refused, depth());
    }

    /**
     * A write was refused for lack of space. Counted always; while a recording wants backpressure
     * events, also counted for the next one, recorded by the refusal that finds the last one an
     * interval old (one CAS decides which, when several producers are refused at once).
     */
    private void onRefused() {
        onRefused(1);
    }

    private void onRefused(int writes) {
        rejected.addAndGet(writes);
        if (EngineEvents.backpressureWanted()) {
            unreportedRefusals.addAndGet(writes);
            long now = clock.nanoTime();
            long last = lastBackpressureEvent.get();
            if (now - last >= BACKPRESSURE_EVENT_INTERVAL_NANOS && lastBackpressureEvent.compareAndSet(last, now)) {
                reportBackpressure();
            }
        }
    }

    // ---- permits ----------------------------------------------------------------------------

    /**
     * Takes a permit if the channel has room, and keeps the maximum-depth statistic: the depth
     * this claim makes, computed from the cached release count, is an upper bound; only when that
     * bound passes the capacity or the maximum so far is the apply stage's counter read for the
     * depth itself. Depth only grows by claims, so no peak is missed; a write released between
     * that read and the claim can make the recorded depth one or a few higher than any real one.
     * With a deep queue the consumer's line is read about once per maximum-depth's worth of
     * writes; with a queue one or two deep (a caller awaiting each write) about once per write,
     * a cache miss small next to the wait.
     */
    private boolean tryClaim(Object write) {
        return tryClaim(1, write);
    }

    /** Takes {@code n} permits at once if the channel has room for all of them; {@code write} is named if it is closed. */
    private boolean tryClaim(int n, Object write) {
        while (true) {
            long c = claimed.get();
            if ((c & CLOSED) != 0) {
                throw coordinator.refusal(write);
            }
            long depth = c + n - releasedCache.get();
            boolean exact = false;
            if (depth > capacity || depth > maxDepth.get()) {
                long r = released.get();
                releasedCache.set(r);
                depth = c + n - r;
                exact = true;
                if (depth > capacity) {
                    recordDepth(depth - n); // full: the depth that refused this write
                    return false;
                }
            }
            if (claimed.compareAndSet(c, c + n)) {
                if (exact) {
                    recordDepth(depth);
                }
                return true;
            }
        }
    }

    private boolean claimWithin(W write, long deadlineNanos) {
        return claimWithin(1, write, deadlineNanos);
    }

    private boolean claimWithin(int n, Object write, long deadlineNanos) {
        IdleStrategy idle = null;
        while (!tryClaim(n, write)) {
            if (System.nanoTime() >= deadlineNanos) {
                return false;
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new RejectedWriteException("interrupted while waiting for space in channel '" + name
                                                  + "': the write was not accepted", write, null, false);
            }
            idle = idle(idle);
        }
        return true;
    }

    /**
     * Waits for ring slots for writes that hold their permits (the ring is full when commands or
     * other channels took the slots). While the coordinator runs or drains for stop() the writes
     * keep their place; once it failed or stop() halted the ring, no slot will ever come, so the
     * permits are given back and the writes refused.
     *
     * @param attempt one try at claiming and filling the {@code n} slots
     * @return false when the deadline passed first (the permits are given back)
     */
    private boolean publishWithin(int n, Object write, long deadlineNanos, BooleanSupplier attempt) {
        IdleStrategy idle = null;
        while (true) {
            // Checked before each attempt: a failed coordinator frees slots only after its cause is set.
            if (coordinator.failureCause() != null || coordinator.stopped()) {
                unclaim(n);
                throw coordinator.refusal(write);
            }
            if (attempt.getAsBoolean()) {
                return true;
            }
            if (System.nanoTime() >= deadlineNanos) {
                unclaim(n);
                return false;
            }
            if (Thread.currentThread().isInterrupted()) {
                unclaim(n);
                throw new RejectedWriteException("interrupted while waiting for a free ring slot in channel '" + name
                                                 + "': " + (n == 1 ? "the write was" : "the " + n + " writes were") + " not accepted",
                                                 write, null, false);
            }
            idle = idle(idle);
        }
    }

    private boolean publishWithin(W write, WriteHandle<R> handle, long deadlineNanos) {
        return publishWithin(1, write, deadlineNanos, () -> ring().tryPublishEvent(Slot.WRITE_TRANSLATOR, this, write, handle));
    }

    private IdleStrategy idle(IdleStrategy idle) {
        if (idle == null) {
            idle = idleStrategies.get();
            idle.reset();
        }
        idle.idle();
        return idle;
    }

    private void unclaim() {
        unclaim(1);
    }

    private void unclaim(int n) {
        claimed.addAndGet(-n);
    }

    private void recordDepth(long depth) {
        long max;
        while (depth > (max = maxDepth.get()) && !maxDepth.compareAndSet(max, depth)) {
            Thread.onSpinWait();
        }
    }

    private RingBuffer<Slot> ring() {
        return coordinator.ringBuffer();
    }

    /**
     * A batch of one valid write takes the single write's path, which one producer's batches of one
     * ran faster through than through the batch's checks and claim of n slots; a batch of one that
     * is not valid gets the batch's checks and their messages.
     */
    private static boolean isOneWrite(Object[] writes, int from, int count) {
        return count == 1 && writes != null && from >= 0 && from < writes.length && writes[from] != null;
    }

    /**
     * Checks a batch before anything is claimed, so a bad one is refused whole.
     *
     * @return {@code count}
     */
    private int requireBatch(Object[] writes, int from, int count) {
        Objects.requireNonNull(writes, "writes must not be null");
        if (from < 0 || count < 0 || from > writes.length - count) {
            throw new IllegalArgumentException("writes[" + from + ", " + from + " + " + count + ") is outside the array of "
                                               + writes.length + " (channel '" + name + "'); nothing was accepted");
        }
        int limit = Math.min(capacity, ring().getBufferSize());
        if (count > limit) {
            throw new IllegalArgumentException("a batch of " + count + " writes can never fit channel '" + name + "' (capacity "
                                               + capacity + ") and the ring (" + ring().getBufferSize() + " slots) at once: split it"
                                               + " into batches of at most " + limit + "; nothing was accepted");
        }
        for (int i = from; i < from + count; i++) {
            if (writes[i] == null) {
                throw new NullPointerException("write " + (i - from) + " of the batch is null (channel '" + name + "'); nothing was accepted");
            }
        }
        if (singleProducer) {
            coordinator.requireProducer(name, writes);
        }
        return count;
    }

    private WriteHandle<?>[] handles(int count) {
        WriteHandle<?>[] handles = new WriteHandle<?>[count];
        for (int i = 0; i < count; i++) {
            handles[i] = new WriteHandle<>(coordinator.watermarks(), this);
        }
        return handles;
    }

    private void requireWrite(W write) {
        if (write == null) {
            throw new NullPointerException("write must not be null (channel '" + name + "'); nothing was accepted");
        }
        if (singleProducer) {
            coordinator.requireProducer(name, write);
        }
    }
}
