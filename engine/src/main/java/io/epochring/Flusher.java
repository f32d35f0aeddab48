package io.epochring;

/**
 * Writes frozen deltas to storage from the coordinator's flush thread, and syncs storage on request.
 *
 * <p>Calls come from one thread, in epoch order. A flush that throws is handled by the
 * coordinator's {@link FlushRetryPolicy}; a {@link TransientFlushException} is the way to say
 * "retrying may help".
 *
 * @param <F> the frozen delta type
 * @param <S> the storage snapshot type readers see in a {@link View}
 */
public interface Flusher<F, S> {

    /**
     * @return the storage snapshot to show before the first flush
     */
    S snapshot();

    /**
     * Writes one frozen delta.
     *
     * @param frozen the sealed delta
     * @param range  the epochs the delta covers; successive ranges are contiguous
     * @return the storage snapshot that includes this delta
     * @throws Exception when storage refused the delta
     */
    S flush(F frozen, EpochRange range) throws Exception;

    /**
     * Makes every flushed delta survive a machine crash (as far as the storage promises).
     *
     * @throws Exception when storage could not sync
     */
    void sync() throws Exception;
}
