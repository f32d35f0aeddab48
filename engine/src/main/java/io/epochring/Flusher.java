package io.epochring;

import java.util.OptionalLong;

/**
 * Writes frozen deltas to storage from the coordinator's flush thread, and syncs storage on request.
 *
 * <p>Threads: {@link #flush} and {@link #sync} come from the coordinator's flush thread, one at a
 * time, in epoch order; {@link #snapshot} and {@link #storedEpoch} from the thread calling
 * {@code start()}, before the flush thread runs. Snapshots returned are read by any thread. A flush that throws is handled by the
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
     * The highest epoch storage holds, read from storage itself when the coordinator starts (and
     * stored atomically with each flushed delta, so it never claims a delta that is only partly
     * there). With it, recovery replays the journal only above this epoch and never hands storage
     * an epoch it holds: <b>exactly once</b>. Storage behind the journal's durable checkpoint is
     * refused at start, since writes it had synced are gone.
     *
     * <p>The default, empty, means "cannot tell": recovery then assumes storage holds exactly the
     * durable checkpoint, and epochs written after it but not yet checkpointed are flushed again
     * (<b>at least once</b>: the {@link EpochRange} passed to {@link #flush} lets such storage
     * skip what it already has).
     *
     * @return the epoch storage holds, or empty when this flusher cannot tell
     */
    default OptionalLong storedEpoch() {
        return OptionalLong.empty();
    }

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
