package io.epochring;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The caller's side of one accepted write (or flush): its epoch, its apply result, and waits for
 * each {@link DurabilityLevel}.
 *
 * <p>Every accepted write ends in exactly one of: reaching the level waited for, or an error
 * ({@link ApplyException}, {@link WriteCancelledException}, {@link CoordinatorFaultException},
 * {@link ShutdownException}). Waits spin briefly, then block; futures complete on the coordinator's
 * threads, so keep their callbacks short or hop to your own executor.
 *
 * @param <T> the apply result type ({@link EpochRange} for a flush)
 */
public final class WriteHandle<T> {

    private static final int QUEUED = 0;
    private static final int SEQUENCED = 1;
    private static final int APPLIED = 2;
    private static final int FAILED = 3;
    private static final int CANCELLED = 4;

    private static final VarHandle STATE;

    /**
     * Waits for the write's outcome. Store-load pairing as described on {@link BackoffWait}: a
     * waiter stores {@code watched} then reads {@code state}; {@link #complete}, {@link #fail} and
     * {@link #cancel} store {@code state} then read {@code watched}; all four accesses are volatile.
     */
    private static final BackoffWait.Condition<WriteHandle<?>> RESOLVED = new BackoffWait.Condition<>() {
        @Override
        public boolean isMet(WriteHandle<?> handle, long resolvedState) {
            if (handle.state >= resolvedState) {
                return true;
            }
            EpochRingException abandoned = handle.watermarks.abandoned();
            if (abandoned != null) {
                throw new ShutdownException("the outcome of this write is unknown, and will not be reported: " + abandoned.getMessage()
                                            + " (a thread left behind may still apply it)", null);
            }
            return false;
        }

        @Override
        public void addWaiter(WriteHandle<?> handle) {
            handle.watched = true;
        }

        @Override
        public void removeWaiter(WriteHandle<?> handle) {
            // watched stays set: the handle resolves once, and a future may be watching too.
        }
    };

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(WriteHandle.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Watermarks watermarks;
    private final Channel<?, ?> channel;
    private volatile int state;
    private volatile long epoch;
    private volatile boolean watched;
    private T result;
    private EpochRingException error;
    private CompletableFuture<T> appliedFuture;

    WriteHandle(Watermarks watermarks, Channel<?, ?> channel) {
        this.watermarks = watermarks;
        this.channel = channel;
    }

    /** A handle for a flush command: sequenced at once, not cancellable. */
    static <T> WriteHandle<T> forFlush(Watermarks watermarks) {
        WriteHandle<T> handle = new WriteHandle<>(watermarks, null);
        handle.state = SEQUENCED;
        return handle;
    }

    /** @return the write's epoch; 0 while it is queued, or when it was cancelled */
    public long epoch() {
        return epoch;
    }

    /** @return the apply result, or null when the write is not applied (yet) */
    public T result() {
        return state == APPLIED ? result : null;
    }

    /** @return the write's error (apply failure or cancellation), or null */
    public EpochRingException error() {
        int s = state;
        if (s == FAILED) {
            return error;
        }
        return s == CANCELLED ? cancelled() : null;
    }

    /** @return true once the write was applied, failed or was cancelled */
    public boolean isResolved() {
        return state >= APPLIED;
    }

    /**
     * Cancels the write if it has not been sequenced yet (queued in the ring, or held by a paused
     * channel): it then never applies, and every wait on it throws {@link WriteCancelledException}.
     *
     * @return true if this call cancelled it; false if it was already sequenced, applied or cancelled
     */
    public boolean cancel() {
        if (channel == null || !STATE.compareAndSet(this, QUEUED, CANCELLED)) {
            return false;
        }
        channel.onCancelled();
        wake();
        return true;
    }

    /**
     * Waits, without a time limit, until the write reaches {@code level}.
     *
     * @return the apply result
     * @throws EpochRingException the write's error, if it failed before reaching the level
     */
    public T await(DurabilityLevel level) {
        return await(level, Long.MAX_VALUE, BackoffWait.DEFAULT);
    }

    /**
     * Waits until the write reaches {@code level}, or the timeout passes.
     *
     * @return the apply result
     * @throws AwaitTimeoutException when the timeout passes first
     * @throws EpochRingException    the write's error, if it failed before reaching the level
     */
    public T await(DurabilityLevel level, Duration timeout) {
        return await(level, deadline(timeout), BackoffWait.DEFAULT);
    }

    /**
     * @return a future completed with the apply result when the write reaches {@code level}, or
     * exceptionally with its error
     */
    public CompletableFuture<T> future(DurabilityLevel level) {
        CompletableFuture<T> applied = appliedFuture();
        if (level == DurabilityLevel.APPLIED) {
            return applied;
        }
        Watermark watermark = watermarks.of(level);
        return applied.thenCompose(r -> watermark.future(epoch).thenApply(ignored -> r));
    }

    /** {@link #await(DurabilityLevel, Duration)} up to a {@link System#nanoTime()} deadline, with the given way of waiting. */
    T await(DurabilityLevel level, long deadlineNanos, BackoffWait backoff) {
        Watermark watermark = level == DurabilityLevel.APPLIED ? null : watermarks.of(level);
        T r = awaitResolved(level, deadlineNanos, backoff);
        if (watermark != null && !watermark.await(epoch, deadlineNanos, backoff)) {
            throw new AwaitTimeoutException(level + " of epoch " + epoch + " (watermark at " + watermark.get() + ")");
        }
        return r;
    }

    private T awaitResolved(DurabilityLevel level, long deadlineNanos, BackoffWait backoff) {
        if (!backoff.await(this, APPLIED, deadlineNanos, RESOLVED)) {
            throw new AwaitTimeoutException(level + " of a write still queued"
                                            + (channel == null ? "" : " on channel '" + channel.name() + "'"));
        }
        return outcome();
    }

    private T outcome() {
        switch (state) {
            case APPLIED:
                return result;
            case FAILED:
                throw error;
            default:
                throw cancelled();
        }
    }

    private synchronized CompletableFuture<T> appliedFuture() {
        if (appliedFuture == null) {
            appliedFuture = new CompletableFuture<>();
            watched = true;
            if (state >= APPLIED) {
                completeFuture();
            }
        }
        return appliedFuture;
    }

    private WriteCancelledException cancelled() {
        return new WriteCancelledException(channel == null ? "?" : channel.name());
    }

    // ---- stage side -------------------------------------------------------------------------

    /** Sequence stage: claims the write for an epoch; false when it was cancelled first. */
    boolean trySequence() {
        return state == SEQUENCED || STATE.compareAndSet(this, QUEUED, SEQUENCED);
    }

    void epoch(long epoch) {
        this.epoch = epoch;
    }

    void complete(T result) {
        this.result = result;
        state = APPLIED;
        wake();
    }

    void fail(EpochRingException error) {
        this.error = error;
        state = FAILED;
        wake();
    }

    private void wake() {
        if (watched) {
            synchronized (this) {
                notifyAll();
                if (appliedFuture != null) {
                    completeFuture();
                }
            }
        }
    }

    private void completeFuture() {
        int s = state;
        if (s == APPLIED) {
            appliedFuture.complete(result);
        } else {
            appliedFuture.completeExceptionally(s == FAILED ? error : cancelled());
        }
    }

    /** @return the {@link System#nanoTime()} deadline {@code timeout} from now, or {@code Long.MAX_VALUE} */
    /**
     * @return the {@link System#nanoTime()} deadline {@code timeout} from now; {@code Long.MAX_VALUE}
     * (no deadline) for a timeout too long to represent (hundreds of years)
     */
    static long deadline(Duration timeout) {
        try {
            return Math.addExact(System.nanoTime(), timeout.toNanos());
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }

    @Override
    public String toString() {
        return "WriteHandle[epoch=" + epoch + ", state=" + state + "]";
    }
}
