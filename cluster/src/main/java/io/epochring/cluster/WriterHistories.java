package io.epochring.cluster;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.ObjIntConsumer;

/**
 * What the service remembers of each {@link ClusterWriter} so that a write the writer sends again
 * (after a leader change left its outcome unknown) is answered with its first epoch instead of being
 * applied twice.
 *
 * <p>Per writer id: the highest sequence applied, and the epochs of the last {@link #WINDOW}
 * sequences. A writer's sequences reach the log in increasing order, except for its resends, which
 * it sends, in order, before any newer write once the new leader is known; so a sequence at or below
 * the highest was applied, and a sequence above it is new. The writer never lets its oldest write
 * without an answer fall {@link #WINDOW} sequences behind its newest, so a resent write's epoch is
 * always still here.
 *
 * <p>This is part of the service's state: every node builds the same histories from the same log
 * (replay included), they go into each snapshot, and a writer's history goes when the cluster
 * session that last wrote for it closes, which keeps the memory to the open sessions.
 *
 * <p>Design note: the sequences of a writer are not contiguous in the log (a write refused at the
 * ingress took a sequence and never reached the log), so the window is indexed by sequence, and a
 * slot that holds another sequence means "not remembered".
 */
final class WriterHistories {

    /** Sequences remembered per writer; the writer keeps its writes without an answer within this span. */
    static final int WINDOW = 1024;
    /** Entries per snapshot message: small enough to stay one fragment (below the smallest MTU). */
    static final int ENTRIES_PER_MESSAGE = 64;

    /** Not applied: a new sequence, above the writer's highest. */
    static final long NEW = 0;
    /** At or below the writer's highest but no longer remembered (older than the window). */
    static final long FORGOTTEN = -2;

    private final Map<Long, History> histories = new HashMap<>();

    /**
     * @return the epoch the write {@code (writerId, sequence)} was applied with, {@link #NEW} when it
     *         was not applied, or {@link #FORGOTTEN}
     */
    long epochOf(long writerId, long sequence) {
        History history = histories.get(writerId);
        if (history == null || sequence > history.highest) {
            return NEW;
        }
        int slot = slot(sequence);
        return history.sequences[slot] == sequence ? history.epochs[slot] : FORGOTTEN;
    }

    /** Records that {@code (writerId, sequence)}, a new write of session {@code sessionId}, got {@code epoch}. */
    void applied(long writerId, long sequence, long epoch, long sessionId) {
        History history = histories.computeIfAbsent(writerId, id -> new History());
        history.record(sequence, epoch);
        history.sessionId = sessionId;
    }

    /** Forgets the writers whose last write came through this session: a closed session sends nothing more. */
    void sessionClosed(long sessionId) {
        histories.values().removeIf(h -> h.sessionId == sessionId);
    }

    int writers() {
        return histories.size();
    }

    /**
     * Encodes the histories as snapshot messages ({@link ReplicationProtocol}'s writer history layout),
     * handing each to {@code sink} with its length; the buffer is reused between messages.
     *
     * @return the number of messages
     */
    int encode(MutableDirectBuffer buffer, ObjIntConsumer<MutableDirectBuffer> sink) {
        int messages = 0;
        for (Map.Entry<Long, History> e : histories.entrySet()) {
            History history = e.getValue();
            Iterator<Integer> slots = history.usedSlots();
            do {
                int n = 0;
                while (n < ENTRIES_PER_MESSAGE && slots.hasNext()) {
                    int slot = slots.next();
                    int at = ReplicationProtocol.HISTORY_ENTRIES_OFFSET + n * ReplicationProtocol.HISTORY_ENTRY_LENGTH;
                    buffer.putLong(at, history.sequences[slot]);
                    buffer.putLong(at + Long.BYTES, history.epochs[slot]);
                    n++;
                }
                buffer.putInt(ReplicationProtocol.HISTORY_MAGIC_OFFSET, ReplicationProtocol.HISTORY_MAGIC);
                buffer.putInt(ReplicationProtocol.HISTORY_COUNT_OFFSET, n);
                buffer.putLong(ReplicationProtocol.HISTORY_WRITER_ID_OFFSET, e.getKey());
                buffer.putLong(ReplicationProtocol.HISTORY_SESSION_ID_OFFSET, history.sessionId);
                buffer.putLong(ReplicationProtocol.HISTORY_HIGHEST_OFFSET, history.highest);
                sink.accept(buffer, ReplicationProtocol.HISTORY_ENTRIES_OFFSET + n * ReplicationProtocol.HISTORY_ENTRY_LENGTH);
                messages++;
            } while (slots.hasNext());
        }
        return messages;
    }

    /**
     * Loads one message {@link #encode} wrote.
     *
     * @throws ClusterStateException when the message is not a writer history
     */
    void load(DirectBuffer buffer, int offset, int length) {
        if (length < ReplicationProtocol.HISTORY_ENTRIES_OFFSET
                || buffer.getInt(offset + ReplicationProtocol.HISTORY_MAGIC_OFFSET) != ReplicationProtocol.HISTORY_MAGIC) {
            throw new ClusterStateException("the cluster snapshot holds a " + length + "-byte message where a writer history "
                    + "should be; it was not written by this service (or is damaged)");
        }
        int count = buffer.getInt(offset + ReplicationProtocol.HISTORY_COUNT_OFFSET);
        if (count < 0 || count > ENTRIES_PER_MESSAGE
                || length != ReplicationProtocol.HISTORY_ENTRIES_OFFSET + count * ReplicationProtocol.HISTORY_ENTRY_LENGTH) {
            throw new ClusterStateException("the cluster snapshot holds a writer history of " + length + " bytes claiming "
                    + count + " entries; the snapshot is damaged");
        }
        History history = histories.computeIfAbsent(buffer.getLong(offset + ReplicationProtocol.HISTORY_WRITER_ID_OFFSET),
                                                    id -> new History());
        history.sessionId = buffer.getLong(offset + ReplicationProtocol.HISTORY_SESSION_ID_OFFSET);
        history.highest = buffer.getLong(offset + ReplicationProtocol.HISTORY_HIGHEST_OFFSET);
        for (int n = 0; n < count; n++) {
            int at = offset + ReplicationProtocol.HISTORY_ENTRIES_OFFSET + n * ReplicationProtocol.HISTORY_ENTRY_LENGTH;
            long sequence = buffer.getLong(at);
            history.sequences[slot(sequence)] = sequence;
            history.epochs[slot(sequence)] = buffer.getLong(at + Long.BYTES);
        }
    }

    private static int slot(long sequence) {
        return (int) (sequence & (WINDOW - 1));
    }

    /** One writer: the sequences and epochs of its last {@link #WINDOW} sequences, by slot. */
    private static final class History {
        final long[] sequences = new long[WINDOW];
        final long[] epochs = new long[WINDOW];
        long highest;
        long sessionId;

        void record(long sequence, long epoch) {
            sequences[slot(sequence)] = sequence;
            epochs[slot(sequence)] = epoch;
            highest = sequence;
        }

        Iterator<Integer> usedSlots() {
            return java.util.stream.IntStream.range(0, WINDOW)
                                             .filter(s -> sequences[s] != 0 && sequences[s] > highest - WINDOW)
                                             .iterator();
        }
    }
}
