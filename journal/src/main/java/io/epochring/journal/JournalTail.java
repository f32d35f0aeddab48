package io.epochring.journal;

import io.epochring.Journal.Checkpoint;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;

/**
 * What recovery needs to know about the end of a journal: the newest checkpoint (and where its
 * record is) and the newest write record's epoch.
 *
 * <p>Design note: finding the newest checkpoint must not mean reading the whole journal. After
 * each checkpoint the writer stores the checkpoint record's index in Chronicle's table store
 * ({@code metadata.cq4t}) as a hint. Recovery reads forward from the hinted record only, which
 * also finds any newer checkpoint whose hint was lost to a crash; without a usable hint (a fresh
 * or copied directory) it reads forward from the start. The record stays the truth; the hint only
 * says where to start looking.
 *
 * @param checkpoint      the newest checkpoint, or {@link Checkpoint#NONE}
 * @param checkpointIndex the Chronicle index of its record, or -1
 * @param lastWriteEpoch  the epoch of the newest write record, 0 when there is none
 */
record JournalTail(Checkpoint checkpoint, long checkpointIndex, long lastWriteEpoch) {

    static final String CHECKPOINT_HINT_KEY = "epochring.checkpoint.index";

    /** @return the newest epoch the journal knows of, written or checkpointed */
    long lastEpoch() {
        return Math.max(lastWriteEpoch, checkpoint.writtenEpoch());
    }

    /** Reads the end of the journal; call on the thread that owns nothing else of the queue. */
    static JournalTail locate(SingleChronicleQueue queue) {
        try (JournalCursor cursor = new JournalCursor(queue)) {
            // Replay reads and verifies every write above the checkpoint right after this, so
            // here a write's header is enough: it halves the reads of recovery.
            cursor.headersOnly = true;
            long hint = queue.tableStoreGet(CHECKPOINT_HINT_KEY);
            boolean hinted = hint != Long.MIN_VALUE && cursor.moveTo(hint) && cursor.next() && cursor.record.isCheckpoint();
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
                lastWrite = cursor.findWrite(hint, TailerDirection.BACKWARD, Integer.MIN_VALUE);
            }
            return new JournalTail(checkpoint, checkpointIndex, Math.max(0, lastWrite));
        }
    }
}
