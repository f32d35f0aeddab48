package io.epochring;

import org.agrona.DirectBuffer;

import java.util.Optional;

/**
 * An append-only log of every write and of durability checkpoints, replayed for recovery. The
 * engine defines the contract; the {@code journal} module implements it on Chronicle Queue.
 *
 * <p>Threads: {@link #append} and {@link #commit} come from the ring's journal stage thread only;
 * {@link #checkpoint} from the flush thread; {@link #bindCodec}, {@link #lastCheckpoint},
 * {@link #lastEpoch} and {@link #replay} from the thread that starts the coordinator, before the
 * ring runs, {@code bindCodec} first.
 */
public interface Journal extends AutoCloseable {

    /**
     * Tells the journal which {@link WriteCodec} encodes its payloads ({@link WriteCodec#name()},
     * {@link WriteCodec#version()}). The coordinator calls it at {@code start()} before it reads
     * anything else. A journal that records its codec refuses, with a
     * {@link CodecMismatchException} naming both, a codec other than the one that wrote it, and a
     * journal holding records whose codec it does not know; a new journal records this codec.
     * Calling it again with the same codec does nothing. By default the journal records nothing.
     *
     * @throws CodecMismatchException when the journal was written with another codec, or holds
     *                                records but does not know their codec
     * @throws IllegalStateException  when another codec was bound to this journal object before
     */
    default void bindCodec(String name, int version) {
    }

    /** @return the newest checkpoint in the journal, or {@link Checkpoint#NONE} */
    Checkpoint lastCheckpoint();

    /** @return the highest epoch of any write record in the journal, 0 when it has none */
    long lastEpoch();

    /**
     * What the journal keeps about its own end apart from its records (a small marker moved as
     * batches are committed and checkpoints recorded), so that recovery can tell a journal that lost
     * records (a deleted, truncated or zeroed file, a tail lost in a power cut before it was synced)
     * from one that never had them. Recovery refuses a journal whose records end below it, unless
     * the loss is accepted ({@link EpochRingBuilder#acceptJournalLoss}).
     *
     * @return the recorded end, or empty when this journal keeps none (the default) or it is gone
     */
    default Optional<RecordedEnd> recordedEnd() {
        return Optional.empty();
    }

    /**
     * Records that the loss recovery found was accepted: the journal's end moves to
     * {@code continueAfter} (the epochs between its last record and it are recorded as lost, so new
     * epochs never repeat one a target or a lost record had), and what it keeps about its own end
     * agrees with its records again, so the next recovery does not refuse the same loss. Called from
     * {@code start()} once replay has succeeded, before anything else is appended.
     *
     * @param continueAfter the highest epoch anything recorded, at or above {@link #lastEpoch()}
     * @throws UnsupportedOperationException when the journal cannot record a loss (the default)
     */
    default void acceptLoss(long continueAfter) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot record an accepted loss: recover with a journal that"
                                                + " implements Journal.acceptLoss, or restore the lost records");
    }

    /**
     * Replays, in epoch order, every write record with an epoch above {@code afterEpoch}.
     *
     * @return the number of records replayed
     * @throws JournalCorruptedException when a record cannot be read; never skips one silently
     */
    long replay(long afterEpoch, ReplayHandler handler);

    /**
     * Appends one write record. It may be visible to readers at once, but the engine counts it as
     * JOURNALED only after the next {@link #commit()} returns.
     */
    void append(long epoch, String channel, DirectBuffer payload, int offset, int length);

    /**
     * Appends the record of a write that {@link Delta#apply} rejected (threw for). Replay hands it
     * to {@link ReplayHandler#onRejected} instead of {@link ReplayHandler#onWrite}, so recovery
     * rejects the write again without applying it, and a write that fails only on replay can be
     * told apart from one that failed the first time. Committed like {@link #append}.
     */
    void appendRejected(long epoch, String channel, DirectBuffer payload, int offset, int length);

    /**
     * The longest payload {@link #append} and {@link #appendRejected} can record, in bytes, on any
     * channel. The coordinator checks each encoded write against it before applying the write: a
     * longer one fails, is not applied, and is journaled as rejected with an empty payload, like a
     * write the codec could not encode, while the coordinator keeps going. A journal whose records
     * have no size limit keeps the default, {@link Integer#MAX_VALUE}.
     */
    default int maxPayloadLength() {
        return Integer.MAX_VALUE;
    }

    /**
     * Ends a ring batch: makes the appended records durable as far as the sync policy says. Called
     * at each ring batch end, so appends are committed (and synced) in groups. A throw puts the
     * coordinator in its failed state: the batch is never reported JOURNALED.
     */
    void commit();

    /**
     * Records that every epoch up to {@code durableEpoch} is DURABLE (storage synced, every required
     * sink delivered) and that storage was written up to {@code writtenEpoch}. The coordinator
     * records it before it reports DURABLE, so the newest checkpoint never trails DURABLE; recovery
     * replays nothing at or below it for targets that cannot report their own position.
     */
    void checkpoint(long durableEpoch, long writtenEpoch);

    /**
     * {@link #checkpoint(long, long)}, and a floor for any deletion of old records the journal
     * does (retention): every record above {@code keepAbove} stays, even at or below
     * {@code durableEpoch}, because a target that reports its own position (a sink that lags)
     * still lacks those epochs and recovery hands them to it from the journal. The coordinator
     * calls this one; {@code Long.MAX_VALUE} means no target needs more than the checkpoint.
     * The default ignores the floor, for journals that delete nothing.
     */
    default void checkpoint(long durableEpoch, long writtenEpoch, long keepAbove) {
        checkpoint(durableEpoch, writtenEpoch);
    }

    /** Releases files and locks. */
    @Override
    void close();

    /** Receives replayed write records, in epoch order. */
    @FunctionalInterface
    interface ReplayHandler {
        /**
         * A write that was applied when it was first written: apply it again.
         *
         * <p>The buffer is valid only during this call; copy what you keep. A journal may hand over
         * the payload where it lies in its file's mapped memory, which can be unmapped once replay
         * moves on, and reuses the buffer for the next record: decode the write here, and do not
         * let the codec's result hold on to {@code payload}.
         */
        void onWrite(long epoch, String channel, DirectBuffer payload, int offset, int length);

        /** A write that {@link Delta#apply} rejected when it was first written: it is not applied again. */
        default void onRejected(long epoch, String channel) {
        }
    }

    /**
     * What a journal recorded about its own end (see {@link #recordedEnd()}).
     *
     * @param lastEpoch      the highest epoch it recorded as appended and committed
     * @param durableEpoch   the durable epoch of the newest checkpoint it recorded
     */
    record RecordedEnd(long lastEpoch, long durableEpoch) {
    }

    /**
     * A durability checkpoint.
     *
     * @param durableEpoch storage was synced up to this epoch
     * @param writtenEpoch storage was written up to this epoch
     */
    record Checkpoint(long durableEpoch, long writtenEpoch) {
        public static final Checkpoint NONE = new Checkpoint(0, 0);
    }
}
