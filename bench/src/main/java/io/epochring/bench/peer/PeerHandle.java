package io.epochring.bench.peer;

import java.util.concurrent.CompletableFuture;

/**
 * The caller's side of a write it waits for: a {@link CompletableFuture} completed with the apply
 * result when the write is APPLIED (or exceptionally with its error), plus the write's epoch for
 * waiting on the coordinator's WRITTEN and DURABLE watermarks.
 *
 * @param <R> the apply result type
 */
public final class PeerHandle<R> extends CompletableFuture<R> {

    private volatile long epoch;

    /** @return the write's epoch, 0 until it is applied */
    public long epoch() {
        return epoch;
    }

    void applied(long epoch, R result) {
        this.epoch = epoch;
        complete(result);
    }

    void failed(long epoch, Throwable error) {
        this.epoch = epoch;
        completeExceptionally(error);
    }

    @Override
    public String toString() {
        return "PeerHandle[epoch=" + epoch + ", " + (isDone() ? "done" : "pending") + "]";
    }
}
