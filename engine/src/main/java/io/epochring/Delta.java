package io.epochring;

/**
 * The in-memory structure that writes are applied to between two flushes: the user's half of the
 * apply stage.
 *
 * <p>Threads: the engine calls {@link #apply}, {@link #estimatedSizeBytes}, {@link #freeze} and
 * {@link #view} from its apply thread only, one call at a time (and from the thread calling
 * {@code start()} during recovery, before the apply thread exists). The {@code F} objects they
 * return are read concurrently by any thread: readers of {@link View}s, the flush thread, sink
 * threads. So an {@code F} must allow reads from many threads while the apply thread writes to the
 * live one, and a frozen {@code F} must never change again.
 *
 * @param <W> the write type
 * @param <R> what applying one write returns to its writer
 * @param <F> the read type shared by the live view and a frozen delta (for a key-value store, a
 *            sorted map both can answer {@code get} and {@code scan} from)
 */
public interface Delta<W, R, F> {

    /**
     * Applies one write. An exception fails this write only: its handle reports it with the epoch,
     * and the delta must be left as if the write had not happened.
     *
     * <p>Must be deterministic: the same writes applied in the same order to a delta rebuilt from
     * the same storage give the same results and the same exceptions, because recovery replays
     * the journal through this method. The journal records which writes threw the first time, and
     * replay skips exactly those without calling this method. A write that applied the first time
     * but throws on replay stops {@link EpochRing#start()} with a {@link RecoveryFailedException}
     * naming its epoch and channel, with nothing changed on disk. An {@link Error} is not a
     * rejection: it fails the coordinator (the delta may be half-changed).
     *
     * @param epoch the write's epoch, strictly increasing across calls
     * @param write the write, never null
     * @return the result handed to the write's handle, may be null
     * @throws Exception when the write cannot be applied
     */
    R apply(long epoch, W write) throws Exception;

    /**
     * Called after every write (it is how the size threshold cuts a flush), so it must be O(1) and
     * allocation-free: keep a running total, do not measure.
     *
     * @return an estimate of the memory the live contents hold; crossing the coordinator's flush
     * threshold cuts a flush
     */
    long estimatedSizeBytes();

    /**
     * @return a thread-safe read view of the live contents; the engine calls this again after each
     * {@link #freeze()}, so a view may be the live structure itself
     */
    F view();

    /**
     * Seals the live contents for flushing and starts an empty live structure, keeping context that
     * must outlive a flush (sequence counters, say). Must be O(1): swap, do not copy. Expensive
     * sealing (sorting, encoding) belongs in the frozen object, done lazily off the apply thread.
     *
     * @return the sealed contents, a new object at every call (the engine tells frozen deltas apart
     * by identity); no longer written to by this delta
     */
    F freeze();
}
