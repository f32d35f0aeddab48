package io.epochring.journal;

import io.epochring.Journal.Checkpoint;
import io.epochring.JournalCorruptedException;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;

/**
 * What recovery needs to know about the end of a journal: the newest checkpoint (and where its
 * record is) and the newest write record's epoch.
 *
 * <p>Design note: finding the newest checkpoint must not mean reading the journal twice (once to
 * find it, once to replay what follows it). The writer keeps a {@link CheckpointHint}: when it is
 * settled, the hinted record is the newest checkpoint, and the end is found by reading that record
 * and the journal's last records backwards. Only an unsettled hint (a crash while a checkpoint was
 * being appended) or none at all (a copied directory) costs a forward read of the records after
 * the last known checkpoint (or all of them). The records stay the truth; the hint only says where
 * to look, and replay refuses a checkpoint newer than the one found here.
 *
 * @param checkpoint      the newest checkpoint, or {@link Checkpoint#NONE}
 * @param checkpointIndex the Chronicle index of its record, or -1
 * @param lastWriteEpoch  the epoch of the newest write record, 0 when there is none
 * @param recordsRead     how many records locating it read (two or three with a settled hint)
 */
record JournalTail(Checkpoint checkpoint, long checkpointIndex, long lastWriteEpoch, long recordsRead) {

    /** The end of a journal with no file yet. */
    static final JournalTail NONE = new JournalTail(Checkpoint.NONE, -1, 0, 0);

    /** @return the newest epoch the journal knows of, written or checkpointed */
    long lastEpoch() {
        return Math.max(lastWriteEpoch, checkpoint.writtenEpoch());
    }

    /** Reads the end of the journal; call on the thread that owns nothing else of the queue. */
    static JournalTail locate(SingleChronicleQueue queue, CheckpointHint.State hint) {
        try (JournalCursor cursor = new JournalCursor(queue)) {
            // Replay reads and verifies every write above the checkpoint right after this, so
            // here a write's header is enough.
            cursor.headersOnly = true;
            if (hint.settled()) {
                try {
                    JournalTail tail = fromSettledHint(cursor, hint.index());
                    if (tail != null) {
                        return tail;
                    }
                } catch (JournalCorruptedException e) {
                    return fromTheStart(cursor);
                }
            }
            try {
                return scan(cursor, hint.index());
            } catch (JournalCorruptedException e) {
                if (hint.index() < 0) {
                    throw e; // that was a read from the start already
                }
                return fromTheStart(cursor);
            }
        }
    }

    /**
     * Reading by index (the hinted record, the last records backwards) failed: reads forward from
     * the first record instead, verifying every record in full as the inspector does, so the error
     * names the first damaged record rather than where Chronicle's index led.
     */
    private static JournalTail fromTheStart(JournalCursor cursor) {
        cursor.headersOnly = false;
        return scan(cursor, CheckpointHint.UNKNOWN);
    }

    /** @return the end, reading only the hinted checkpoint and the last records; null when the hint names no checkpoint */
    private static JournalTail fromSettledHint(JournalCursor cursor, long hintIndex) {
        Checkpoint checkpoint = Checkpoint.NONE;
        long checkpointIndex = -1;
        if (hintIndex != CheckpointHint.NO_CHECKPOINT) {
            if (!(cursor.moveTo(hintIndex) && cursor.next() && cursor.record.isCheckpoint())) {
                return null;
            }
            checkpoint = new Checkpoint(cursor.record.epoch, cursor.record.secondEpoch);
            checkpointIndex = cursor.index;
        }
        long lastWrite = cursor.lastWriteFromEnd();
        return new JournalTail(checkpoint, checkpointIndex, Math.max(0, lastWrite), cursor.recordsRead);
    }

    /** @return the end, reading forward from the hinted checkpoint (or the start) to the last record */
    private static JournalTail scan(JournalCursor cursor, long hintIndex) {
        boolean hinted = hintIndex >= 0 && cursor.moveTo(hintIndex) && cursor.next() && cursor.record.isCheckpoint();
        Checkpoint checkpoint = Checkpoint.NONE;
        long checkpointIndex = -1;
        if (hinted) {
            checkpoint = new Checkpoint(cursor.record.epoch, cursor.record.secondEpoch);
            checkpointIndex = cursor.index;
        } else {
            cursor.toStart();
        }
        long lastWrite = -1;
        while (cursor.next()) {
            if (cursor.record.isCheckpoint()) {
                checkpoint = new Checkpoint(cursor.record.epoch, cursor.record.secondEpoch);
                checkpointIndex = cursor.index;
            } else {
                lastWrite = cursor.record.epoch;
            }
        }
        if (lastWrite == -1 && hinted) {
            // Every write precedes the hinted checkpoint (a clean stop ends with one): look back.
            lastWrite = cursor.findWrite(hintIndex, TailerDirection.BACKWARD, Integer.MIN_VALUE);
        }
        return new JournalTail(checkpoint, checkpointIndex, Math.max(0, lastWrite), cursor.recordsRead);
    }
}
