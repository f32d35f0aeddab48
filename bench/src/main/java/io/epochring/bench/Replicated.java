package io.epochring.bench;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** How the replication benchmarks wait for a {@code ClusterWriter} future: bounded, and a failure ends the run. */
final class Replicated {

    private Replicated() {
    }

    /** @return the write's epoch once it is REPLICATED */
    static Long await(CompletableFuture<Long> future) {
        try {
            return future.get(Rings.STUCK.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a write to be REPLICATED", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a write failed to replicate: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("a write was not REPLICATED within " + Rings.STUCK + ": the benchmark cluster is stuck", e);
        }
    }
}
