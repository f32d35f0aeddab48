package io.epochring;

/**
 * Stage 3 (only with a journal): appends each applied write, as the apply stage encoded it, with
 * its epoch and channel, recording a write that apply rejected (or the codec could not encode, or
 * whose encoding was too long for the journal: with no payload) as rejected, so the journal
 * accounts for every epoch; commits once per ring batch and then advances JOURNALED. Writes
 * refused after a fault have no record.
 *
 * <p>A failed append or commit fails the coordinator: nothing more is appended (a half-written
 * record must not be followed by more), and JOURNALED never covers an epoch at or after the failure.
 */
final class JournalStage implements Stage {

    private final Journal journal;
    private final Watermark journaled;
    private final Conductor<?, ?, ?, ?> ring;
    private long lastAppended;
    private boolean pending;
    private boolean failed;

    JournalStage(Journal journal, Watermark journaled, Conductor<?, ?, ?, ?> ring, long lastEpoch) {
        this.journal = journal;
        this.journaled = journaled;
        this.ring = ring;
        this.lastAppended = lastEpoch;
    }

    @Override
    public void onSlot(Slot slot) {
        if (slot.kind == Slot.WRITE && slot.epoch > 0) {
            append(slot.channel, slot.encoded, slot.epoch);
        } else if (slot.kind == Slot.RESUME) {
            for (HeldWrite write : slot.released) {
                if (write.epoch > 0) {
                    append(write.channel, write.encoded, write.epoch);
                }
            }
        }
    }

    @Override
    public void onBatchEnd() {
        if (pending && !failed && ring.failureCause() == null) {
            try {
                journal.commit();
            } catch (RuntimeException | Error e) {
                // The batch may not be synced: JOURNALED must never claim it, now or later.
                fail("the journal could not commit (sync) a batch", e);
                return;
            }
            pending = false;
            journaled.advance(lastAppended);
        }
    }

    private void append(Channel<?, ?> channel, EncodedWrite encoded, long epoch) {
        if (failed || encoded.outcome == EncodedWrite.REFUSED) {
            return;
        }
        try {
            if (encoded.outcome == EncodedWrite.NOT_ENCODED) {
                journal.appendRejected(epoch, channel.name(), encoded.buffer, 0, 0);
            } else if (encoded.outcome == EncodedWrite.REJECTED) {
                journal.appendRejected(epoch, channel.name(), encoded.buffer, 0, encoded.length);
            } else {
                journal.append(epoch, channel.name(), encoded.buffer, 0, encoded.length);
            }
        } catch (RuntimeException | Error e) {
            fail("the journal could not append the write at epoch " + epoch + " (check the journal directory: disk space, permissions)", e);
            return;
        }
        lastAppended = epoch;
        pending = true;
    }

    private void fail(String reason, Throwable cause) {
        failed = true;
        long first = journaled.get() + 1;
        // The conductor fails the JOURNALED watermark with the first fault, this one or an earlier one.
        ring.fail(new JournalFailedException(new EpochRange(first, Math.max(first, lastAppended)), reason, cause));
    }
}
