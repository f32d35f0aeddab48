package io.epochring.bench.peer;

import io.epochring.BackpressureException;
import io.epochring.RejectedWriteException;
import io.epochring.WriteTimeoutException;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A named entry into the peer's single queue, with its own capacity held in a {@link Semaphore}:
 * a producer takes a permit per write, the apply thread gives permits back once per drained batch.
 * The same four ways to write as EpochRing's {@code Channel}.
 *
 * @param <W> the write type
 * @param <R> the apply result type
 */
public final class PeerChannel<W, R> {

    private final String name;
    private final int capacity;
    private final Semaphore permits;
    private final BlockingQueue<Command> queue;
    private final BlockingQueueCoordinator<W, R, ?, ?> coordinator;

    /** Closed until start, and from stop (or a flush failure) on. Checked after taking a permit. */
    private volatile boolean closed = true;
    /** Apply thread only: writes applied in the current batch, whose permits are not back yet. */
    private int appliedInBatch;
    private volatile long applied;

    PeerChannel(String name, int capacity, BlockingQueue<Command> queue, BlockingQueueCoordinator<W, R, ?, ?> coordinator) {
        this.name = name;
        this.capacity = capacity;
        this.permits = new Semaphore(capacity);
        this.queue = queue;
        this.coordinator = coordinator;
    }

    public String name() {
        return name;
    }

    public int capacity() {
        return capacity;
    }

    /** @return writes applied so far (including ones whose apply failed) */
    public long applied() {
        return applied;
    }

    /**
     * Fire and forget, if there is space.
     *
     * @return false when the channel or the queue is full
     */
    public boolean tryPublish(W write) {
        requireWrite(write);
        if (!permits.tryAcquire()) {
            return false;
        }
        requireOpen(write);
        if (!queue.offer(new Command.Write(this, write, null))) {
            permits.release();
            return false;
        }
        return true;
    }

    /**
     * Fire and forget, all or nothing: the counterpart of EpochRing's batch publish. Takes the
     * batch's permits in one step, then queues its writes in order (what
     * {@code ArrayBlockingQueue.addAll} does: one {@code offer}, so one lock, per write; the apply
     * thread takes them off with {@code drainTo}). The queue holds as many commands as the channel
     * has permits, so the writes fit unless flush commands took the room; then the rest wait for
     * space instead of being refused half-queued.
     *
     * @return false when the channel lacks permits for all of them (none is accepted)
     */
    public boolean tryPublishAll(W[] writes, int from, int count) {
        for (int i = from; i < from + count; i++) {
            requireWrite(writes[i]);
        }
        if (!permits.tryAcquire(count)) {
            return false;
        }
        if (closed) {
            permits.release(count);
            throw coordinator.refusal(writes[from]);
        }
        int i = from;
        while (i < from + count && queue.offer(new Command.Write(this, writes[i], null))) {
            i++;
        }
        boolean interrupted = false;
        while (i < from + count) {
            try {
                queue.put(new Command.Write(this, writes[i], null));
                i++;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return true;
    }

    /**
     * Accepts the write if there is space, else fails at once.
     *
     * @throws BackpressureException when the channel or the queue is full; it hands the write back
     */
    public PeerHandle<R> tryWrite(W write) {
        requireWrite(write);
        if (!permits.tryAcquire()) {
            throw new BackpressureException(name, capacity, write);
        }
        requireOpen(write);
        PeerHandle<R> handle = new PeerHandle<>();
        if (!queue.offer(command(write, handle))) {
            permits.release();
            throw new BackpressureException(name, capacity, write);
        }
        return handle;
    }

    /**
     * Accepts the write, waiting up to {@code timeout} for space.
     *
     * @throws WriteTimeoutException when no space appeared in time; it hands the write back
     */
    public PeerHandle<R> write(W write, Duration timeout) {
        requireWrite(write);
        Objects.requireNonNull(timeout, "timeout must not be null");
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            if (!permits.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new WriteTimeoutException(name, timeout, write);
            }
            requireOpen(write);
            PeerHandle<R> handle = new PeerHandle<>();
            if (!queue.offer(command(write, handle), deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
                permits.release();
                throw new WriteTimeoutException(name, timeout, write);
            }
            return handle;
        } catch (InterruptedException e) {
            throw interrupted(write);
        }
    }

    /** Accepts the write, waiting as long as it takes for space. */
    public PeerHandle<R> write(W write) {
        PeerHandle<R> handle = new PeerHandle<>();
        put(write, handle);
        return handle;
    }

    /** Fire and forget, waiting as long as it takes for space. */
    public void publish(W write) {
        put(write, null);
    }

    @Override
    public String toString() {
        return "PeerChannel[" + name + "]";
    }

    // ---- coordinator and apply thread side --------------------------------------------------

    void open() {
        closed = false;
    }

    void close() {
        closed = true;
    }

    /** @return true when every accepted write has been applied (all permits are back) */
    boolean drained() {
        return permits.availablePermits() == capacity;
    }

    /** Apply thread: one of this channel's writes was applied (or failed). */
    void onApplied() {
        appliedInBatch++;
    }

    /** Apply thread, at the end of each drained batch: give the batch's permits back at once. */
    void onBatchEnd() {
        int n = appliedInBatch;
        if (n > 0) {
            appliedInBatch = 0;
            applied += n;
            permits.release(n);
        }
    }

    // ---- producers ---------------------------------------------------------------------------

    private void put(W write, PeerHandle<R> handle) {
        requireWrite(write);
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            throw interrupted(write);
        }
        requireOpen(write);
        try {
            queue.put(command(write, handle));
        } catch (InterruptedException e) {
            permits.release();
            throw interrupted(write);
        }
    }

    @SuppressWarnings("unchecked")
    private Command command(W write, PeerHandle<R> handle) {
        return new Command.Write(this, write, (PeerHandle<Object>) handle);
    }

    /**
     * Called with a permit held. The coordinator closes the channel, then waits for every permit
     * to come back: a producer either sees the close (and gives its permit back) or its write is
     * waited for and applied.
     */
    private void requireOpen(W write) {
        if (closed) {
            permits.release();
            throw coordinator.refusal(write);
        }
    }

    private RejectedWriteException interrupted(W write) {
        Thread.currentThread().interrupt();
        return new RejectedWriteException("interrupted while waiting for space in channel '" + name
                                          + "': the write was not accepted", write, null, false);
    }

    private void requireWrite(W write) {
        if (write == null) {
            throw new NullPointerException("write must not be null (channel '" + name + "'); nothing was accepted");
        }
    }
}
